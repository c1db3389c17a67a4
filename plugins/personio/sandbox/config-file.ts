import { readFile } from "node:fs/promises";
import { z } from "zod";
import { parseCompaniesConfig, SandboxConfigError } from "./config-schema.ts";
import { behaviourPatchSchema, rateLimitsPatchSchema } from "./options.ts";
import type { SandboxOptions } from "./server.ts";

/**
 * Top level of a `--config` file. `companies` and `credentials` come together. Without them
 * the default fixtures are used.
 */
const configFileSchema = z
  .object({
    companies: z.array(z.unknown()).optional(),
    credentials: z.array(z.unknown()).optional(),
    behaviour: behaviourPatchSchema.optional(),
    rateLimits: z.union([rateLimitsPatchSchema, z.literal(false)]).optional(),
    latencyMs: z.number().int().nonnegative().optional(),
  })
  .strict()
  .refine((file) => (file.companies === undefined) === (file.credentials === undefined), {
    message: "companies and credentials must be given together",
  });

/** Reads a JSON config file into sandbox options. Throws SandboxConfigError naming the file and every problem. */
export async function loadConfigFile(path: string): Promise<SandboxOptions> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new SandboxConfigError(`Cannot read config file ${path}: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new SandboxConfigError(`Config file ${path} is not valid JSON: ${(error as Error).message}`);
  }
  const result = configFileSchema.safeParse(json);
  if (!result.success) {
    throw new SandboxConfigError(`Invalid config file ${path}:\n${z.prettifyError(result.error)}`);
  }
  const file = result.data;
  const options: SandboxOptions = {};
  if (file.companies !== undefined && file.credentials !== undefined) {
    options.config = parseCompaniesConfig({ companies: file.companies, credentials: file.credentials }, `config file ${path}`);
  }
  if (file.behaviour !== undefined) options.behaviour = file.behaviour;
  if (file.rateLimits !== undefined) options.rateLimits = file.rateLimits;
  if (file.latencyMs !== undefined) options.latencyMs = file.latencyMs;
  return options;
}
