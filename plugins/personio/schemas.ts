import { z } from 'zod';

/**
 * zod schemas of Personio v1 responses. They accept every variant seen in Personio's spec, its
 * examples and third-party reports: ids as numbers or strings, `category` or `category_id`,
 * `meta` absent, empty or a list, `expires_in` and `code` as numbers or strings.
 */

const idSchema = z.union([z.number().int(), z.string().regex(/^\d+$/)]).transform(String);

const numberLikeSchema = z.union([z.number(), z.string().regex(/^\d+(?:\.\d+)?$/).transform(Number)]);

export const authResponseSchema = z.object({
  data: z.object({
    token: z.string().min(1),
    expires_in: numberLikeSchema.nullish(),
    /** Space-separated access rights; Personio added it to the spec in Oct 2023. */
    scope: z.string().nullish(),
  }),
});

/** An attribute of an employee: Personio wraps each value as `{label, value, type, universal_id}`. */
export const employeeAttributesSchema = z.record(z.string(), z.unknown());
export type EmployeeAttributes = z.infer<typeof employeeAttributesSchema>;

const employeeSchema = z.object({
  type: z.string().optional(),
  attributes: employeeAttributesSchema,
});

export const employeeListSchema = z.object({
  data: z.array(employeeSchema),
  metadata: z
    .object({
      total_elements: z.number().int().optional(),
      current_page: z.number().int().optional(),
      total_pages: z.number().int().optional(),
    })
    .nullish(),
});

export const employeeResponseSchema = z.object({ data: employeeSchema });

/**
 * Notices of a create or update, such as an unknown department that Personio ignored. The shape is
 * not documented for create; the update response documents a list of strings. Objects are kept as JSON text.
 */
const metaSchema = z
  .unknown()
  .optional()
  .transform((meta): string[] => {
    if (meta === undefined || meta === null) {
      return [];
    }
    let entries: unknown[] = [meta];
    if (Array.isArray(meta)) {
      entries = meta;
    } else if (typeof meta === 'object') {
      entries = Object.values(meta);
    }
    return entries.flatMap((entry) => noticeText(entry)).filter((text) => text.trim() !== '');
  });

function noticeText(entry: unknown): string[] {
  if (typeof entry === 'string') {
    return [entry];
  }
  if (Array.isArray(entry)) {
    return entry.flatMap((inner) => noticeText(inner));
  }
  if (entry !== null && typeof entry === 'object') {
    return [JSON.stringify(entry)];
  }
  return entry === null || entry === undefined ? [] : [String(entry)];
}

export const employeeCreatedSchema = z.object({
  data: z.object({ id: idSchema }),
  meta: metaSchema,
});

export const employeeUpdatedSchema = z.object({
  data: z.object({ id: idSchema.optional() }).nullish(),
  meta: metaSchema,
});

const optionSchema = z.union([z.string(), z.number(), z.boolean()]).transform(String);

export const attributeListSchema = z.object({
  data: z.array(
    z.object({
      key: z.string().min(1),
      label: z.string().nullish(),
      type: z.string().nullish(),
      universal_id: z.string().nullish(),
      options: z.array(optionSchema).nullish(),
    }),
  ),
});
export type PersonioAttribute = z.infer<typeof attributeListSchema>['data'][number];

const categorySchema = z
  .object({
    id: idSchema,
    name: z.string().optional(),
    attributes: z.object({ name: z.string() }).partial().nullish(),
  })
  .transform((category) => ({ id: category.id, name: category.attributes?.name ?? category.name ?? null }));

export const documentCategoryListSchema = z.object({ data: z.array(categorySchema) });

export const documentUploadedSchema = z.object({
  data: z.object({
    id: idSchema,
    attributes: z
      .object({
        category: z.union([categorySchema, idSchema]).nullish(),
        category_id: z.union([categorySchema, idSchema]).nullish(),
      })
      .nullish(),
  }),
});

/** Error envelope `{success: false, error: {code, message, error_data?}}`; `code` is 0 or the HTTP status. */
export const errorBodySchema = z.object({
  error: z.object({
    code: z.union([z.number(), z.string()]).nullish(),
    message: z.string().nullish(),
    error_data: z.record(z.string(), z.unknown()).nullish(),
  }),
});
