import { readFileSync } from "node:fs";
import { Ajv, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";
import { parse } from "yaml";

/**
 * Validators over Personio's OpenAPI files in ../openapi. Schemas are taken from the specs
 * as published. Where a spec schema contradicts documented behaviour, a named drift below
 * changes that one schema, and each test that depends on a drift names it in a comment.
 */

/** `personnelV1Published` is the personnel-data spec without the drifts below, for tests that show a drift is needed. */
type SpecName = "personnelV1" | "personnelV1Published" | "authV1" | "commonV2" | "tokenV2";

const SPEC_FILES: Record<SpecName, string> = {
  personnelV1: "personio-personnel-data-api-oa3.yaml",
  personnelV1Published: "personio-personnel-data-api-oa3.yaml",
  authV1: "personio-auth-api.yaml",
  commonV2: "common-components-v2.json",
  tokenV2: "credentials-service-v2-token-schemas.json",
};

type JsonObject = Record<string, unknown>;

function loadSpec(name: SpecName): JsonObject {
  const text = readFileSync(new URL(`../openapi/${SPEC_FILES[name]}`, import.meta.url), "utf8");
  return parse(text) as JsonObject;
}

function schemaAt(spec: JsonObject, ...path: string[]): JsonObject {
  let node: unknown = spec;
  for (const key of path) {
    node = (node as JsonObject)[key];
    if (node === undefined) {
      throw new Error(`The spec has no node at ${path.join(".")}.`);
    }
  }
  return node as JsonObject;
}

const nullable = (schema: unknown) => ({ anyOf: [schema, { type: "null" }] });

/**
 * Changes to the personnel-data spec that the sandbox follows, each with its reason.
 * Every other schema is used exactly as published.
 */
export const PERSONNEL_SPEC_DRIFTS: ReadonlyArray<{ name: string; reason: string; apply: (spec: JsonObject) => void }> = [
  {
    name: "list data is an array",
    reason:
      "`Response.data` is declared as an object, and `EmployeesResponse` combines it by allOf with `data` as an array, " +
      "so no list response could ever validate. The spec's own list examples carry arrays.",
    apply: (spec) => {
      schemaAt(spec, "components", "schemas", "Response", "properties", "data")["type"] = ["object", "array"];
    },
  },
  {
    name: "unset relations are null",
    reason:
      "The spec types supervisor, department, office, subcompany and team values as objects, " +
      "but its own example shows `value: null` for unset attributes, and an employee without a supervisor has none.",
    apply: (spec) => {
      for (const schemaName of ["Supervisor", "Department", "Office", "Team"]) {
        const properties = schemaAt(spec, "components", "schemas", schemaName, "properties");
        properties["value"] = nullable(properties["value"]);
      }
    },
  },
];

const personnelSpec = loadSpec("personnelV1");
for (const drift of PERSONNEL_SPEC_DRIFTS) {
  drift.apply(personnelSpec);
}
const specs: Record<SpecName, JsonObject> = {
  personnelV1: personnelSpec,
  personnelV1Published: loadSpec("personnelV1Published"),
  authV1: loadSpec("authV1"),
  commonV2: loadSpec("commonV2"),
  tokenV2: loadSpec("tokenV2"),
};

// ajv-formats is CommonJS, so under NodeNext its default import can be the module object.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv) => Ajv;

// strict: false lets OpenAPI 3.0 keywords such as `example` pass as annotations.
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
for (const [name, spec] of Object.entries(specs)) {
  ajv.addSchema(spec, `${name}.json`);
}

const compiled = new Map<string, ValidateFunction>();

function validatorFor(ref: string): ValidateFunction {
  let validate = compiled.get(ref);
  if (validate === undefined) {
    validate = ajv.compile({ $ref: ref });
    compiled.set(ref, validate);
  }
  return validate;
}

function pointerSegment(segment: string): string {
  return segment.replaceAll("~", "~0").replaceAll("/", "~1");
}

/**
 * Returns the validator of the response schema the spec documents for an operation and status,
 * or undefined when the spec documents none. `path` is the spec's path, e.g. `/company/employees/{employee_id}`.
 */
export function documentedResponseValidator(spec: SpecName, path: string, method: string, status: number): ValidateFunction | undefined {
  const operation = (schemaAt(specs[spec], "paths", path) as JsonObject)[method.toLowerCase()] as JsonObject | undefined;
  const responses = operation?.["responses"] as JsonObject | undefined;
  let response = responses?.[String(status)] as JsonObject | undefined;
  let pointer = ["paths", path, method.toLowerCase(), "responses", String(status)];
  const responseRef = response?.["$ref"];
  if (typeof responseRef === "string") {
    pointer = responseRef.replace(/^#\//, "").split("/");
    response = schemaAt(specs[spec], ...pointer);
  }
  const content = response?.["content"] as JsonObject | undefined;
  const mediaType = content === undefined ? undefined : Object.keys(content).find((type) => type.includes("json"));
  if (mediaType === undefined || (content?.[mediaType] as JsonObject)["schema"] === undefined) {
    return undefined;
  }
  const ref = `${spec}.json#/${[...pointer, "content", mediaType, "schema"].map(pointerSegment).join("/")}`;
  return validatorFor(ref);
}

/** Returns the validator of a named component schema, for responses whose operation documents none. */
export function componentValidator(spec: SpecName, schemaName: string): ValidateFunction {
  schemaAt(specs[spec], "components", "schemas", schemaName);
  return validatorFor(`${spec}.json#/components/schemas/${schemaName}`);
}

/** Runs a validator and returns its errors, or [] when the body is valid. `expect(...).toEqual([])` prints them. */
export function schemaErrors(validate: ValidateFunction, body: unknown): unknown[] {
  return validate(body) ? [] : (validate.errors ?? []).map((error) => `${error.instancePath || "/"} ${error.message ?? ""}`);
}

/** Returns the example of an operation's response, as the spec gives it. */
export function documentedExample(spec: SpecName, path: string, method: string, status: number): unknown {
  const content = schemaAt(specs[spec], "paths", path, method.toLowerCase(), "responses", String(status), "content");
  const json = content["application/json"] as JsonObject;
  const examples = json["examples"] as JsonObject;
  return (examples["response"] as JsonObject)["value"];
}
