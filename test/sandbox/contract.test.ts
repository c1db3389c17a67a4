import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACME, type RunningSandbox } from "../../plugins/personio/sandbox/index.ts";
import { SandboxClient, SMALL_PDF, startTestSandbox, uploadForm, type ApiResponse } from "./support/client.ts";
import { componentValidator, documentedExample, documentedResponseValidator, schemaErrors } from "./support/openapi.ts";

/**
 * Every response of every implemented operation, success and error, checked with ajv against
 * Personio's published schemas. Where an operation documents no schema for a status, the
 * test names the schema it uses instead.
 */

let sandbox: RunningSandbox;
let client: SandboxClient;
let token: string;

beforeAll(async () => {
  sandbox = await startTestSandbox();
  client = new SandboxClient(sandbox.url);
  token = await client.token();
});

afterAll(async () => {
  await sandbox.stop();
});

function expectDocumented(response: ApiResponse, path: string, method: string, spec: "personnelV1" | "authV1" = "personnelV1"): void {
  const validate = documentedResponseValidator(spec, path, method, response.status);
  expect(validate, `spec documents ${method} ${path} ${response.status}`).toBeDefined();
  if (validate !== undefined) {
    expect(schemaErrors(validate, response.body)).toEqual([]);
  }
}

function expectComponent(response: ApiResponse, spec: "personnelV1" | "commonV2" | "tokenV2", schemaName: string): void {
  expect(schemaErrors(componentValidator(spec, schemaName), response.body)).toEqual([]);
}

describe("auth contract", () => {
  it("v1 token response matches AuthenticationTokenResponse", async () => {
    const json = await client.post("/v1/auth", { json: { client_id: "sandbox-client-id", client_secret: "sandbox-client-secret" } });
    const form = await client.post("/v1/auth", { form: { client_id: "sandbox-client-id", client_secret: "sandbox-client-secret" } });
    const query = await client.post("/v1/auth?client_id=sandbox-client-id&client_secret=sandbox-client-secret");

    for (const response of [json, form, query]) {
      expect(response.status).toBe(200);
      expectDocumented(response, "/auth", "post", "authV1");
    }
  });

  it("v1 wrong credentials match the generic ErrorResponse", async () => {
    // The auth spec documents only 200. The sandbox answers 401 with the message users report
    // ("Wrong credentials") and the personnel spec's generic v1 error schema.
    const response = await client.post("/v1/auth", { json: { client_id: "sandbox-client-id", client_secret: "wrong" } });

    expect(response.status).toBe(401);
    expectComponent(response, "personnelV1", "ErrorResponse");
  });

  it("v2 token response matches OAuth2Token", async () => {
    const response = await client.post("/v2/auth/token", {
      form: { grant_type: "client_credentials", client_id: "sandbox-client-id", client_secret: "sandbox-client-secret" },
    });

    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/json");
    expectComponent(response, "tokenV2", "OAuth2Token");
  });

  it.each([
    ["missing parameters", { client_id: "sandbox-client-id" }],
    ["unknown client", { grant_type: "client_credentials", client_id: "nobody", client_secret: "x" }],
    ["invalid grant", { grant_type: "lilu_dallas_multipass" }],
    ["wrong secret", { grant_type: "client_credentials", client_id: "sandbox-client-id", client_secret: "wrong" }],
    ["unsupported grant", { grant_type: "urn:ietf:params:oauth:grant-type:device_code" }],
    ["invalid scope", { grant_type: "client_credentials", client_id: "sandbox-client-id", client_secret: "sandbox-client-secret", scope: "fake_scope:777" }],
  ])("v2 token error (%s) matches OAuth2TokenErrorResponse", async (_case, form) => {
    const response = await client.post("/v2/auth/token", { form });

    expect(response.status).toBe(400);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    expectComponent(response, "tokenV2", "OAuth2TokenErrorResponse");
  });

  it("v2 token wrong content type matches OAuth2TokenErrorResponse", async () => {
    const response = await client.post("/v2/auth/token", { json: { grant_type: "client_credentials" } });

    expect(response.status).toBe(400);
    expectComponent(response, "tokenV2", "OAuth2TokenErrorResponse");
  });

  it("unknown v2 route matches the v2 common ErrorResponse", async () => {
    const response = await client.get("/v2/recruiting/jobs");

    expect(response.status).toBe(404);
    expectComponent(response, "commonV2", "ErrorResponse");
  });
});

describe("employees contract", () => {
  it("list matches EmployeesResponse", async () => {
    // Relies on the drifts "list data is an array" and "unset relations are null" (support/openapi.ts).
    const response = await client.get("/v1/company/employees?limit=100", { token });

    expect(response.status).toBe(200);
    expectDocumented(response, "/company/employees", "get");
  });

  it("published list schema rejects any list", async () => {
    // Shows why the drift "list data is an array" exists: unchanged, the schema fails a list
    // shaped exactly like the spec's own example.
    const response = await client.get("/v1/company/employees?attributes[]=first_name", { token });
    const validate = documentedResponseValidator("personnelV1Published", "/company/employees", "get", 200);

    expect(validate).toBeDefined();
    expect(schemaErrors(validate!, response.body)).toContain("/data must be object");
  });

  it("projected list matches EmployeesResponse", async () => {
    const response = await client.get("/v1/company/employees?attributes[]=first_name&attributes[]=department", { token });

    expect(response.status).toBe(200);
    expectDocumented(response, "/company/employees", "get");
  });

  it("list errors match the generic ErrorResponse", async () => {
    // GET employees documents no error responses.
    const tooLarge = await client.get("/v1/company/employees?limit=101", { token });
    const noToken = await client.get("/v1/company/employees");

    expect(tooLarge.status).toBe(400);
    expectComponent(tooLarge, "personnelV1", "ErrorResponse");
    expect(noToken.status).toBe(401);
    expectComponent(noToken, "personnelV1", "ErrorResponse");
  });

  it("get by id matches EmployeeResponse", async () => {
    const response = await client.get(`/v1/company/employees/${ACME.employees.jonasBecker}`, { token });

    expect(response.status).toBe(200);
    expectDocumented(response, "/company/employees/{employee_id}", "get");
  });

  it("get of unknown id matches Employee404ErrorResponse", async () => {
    const response = await client.get("/v1/company/employees/999999", { token });

    expect(response.status).toBe(404);
    expectDocumented(response, "/company/employees/{employee_id}", "get");
  });

  it("create responses match EmployeeCreated and EmployeeCreationError", async () => {
    const created = await client.post("/v1/company/employees", {
      token,
      json: { employee: { email: "contract.create@acme.example", first_name: "Con", last_name: "Tract", department: "Nowhere" } },
    });
    const invalid = await client.post("/v1/company/employees", {
      token,
      json: { employee: { email: "contract.bad@acme.example", first_name: "Bad", last_name: "Supervisor", supervisor_id: 1 } },
    });

    expect(created.status).toBe(200);
    expectDocumented(created, "/company/employees", "post");
    expect(invalid.status).toBe(422);
    expectDocumented(invalid, "/company/employees", "post");
  });

  it("update responses match EmployeeUpdated and EmployeeUpdateError", async () => {
    const path = `/v1/company/employees/${ACME.employees.oliverSmithJones}`;
    const updated = await client.patch(path, { token, json: { employee: { position: "Senior Account Executive" } } });
    const invalid = await client.patch(path, { token, json: { employee: { supervisor_id: 424242 } } });

    expect(updated.status).toBe(200);
    expectDocumented(updated, "/company/employees/{employee_id}", "patch");
    expect(invalid.status).toBe(422);
    expectDocumented(invalid, "/company/employees/{employee_id}", "patch");
  });

  it("attributes list matches Response and the example's item keys", async () => {
    // The spec gives this operation an example but no schema: the envelope is checked with
    // `Response`, and each item must carry exactly the keys of the example's items.
    const response = await client.get("/v1/company/employees/attributes", { token });
    const example = documentedExample("personnelV1", "/company/employees/attributes", "get", 200) as { data: object[] };
    const exampleKeys = Object.keys(example.data[0] ?? {}).sort();
    const items = (response.body as { data: object[] }).data;

    expect(response.status).toBe(200);
    expectComponent(response, "personnelV1", "Response");
    expect(items.length).toBeGreaterThan(0);
    for (const item of items) {
      expect(Object.keys(item).sort()).toEqual(exampleKeys);
    }
  });

  it("missing right and bad token match the generic ErrorResponse", async () => {
    sandbox.control.addCredential({ clientId: "contract-reader", clientSecret: "s", companyId: ACME.companyId, rights: { employees: { read: true } } });
    const readerToken = await client.token("contract-reader", "s");
    const forbidden = await client.post("/v1/company/employees", { token: readerToken, json: { employee: {} } });
    const invalid = await client.get("/v1/company/employees", { token: "papi-not-issued" });

    expect(forbidden.status).toBe(403);
    expectComponent(forbidden, "personnelV1", "ErrorResponse");
    expect(invalid.status).toBe(401);
    expectComponent(invalid, "personnelV1", "ErrorResponse");
  });
});

describe("documents contract", () => {
  it("categories match DocumentCategoriesResponse", async () => {
    const response = await client.get("/v1/company/document-categories", { token });

    expect(response.status).toBe(200);
    expectDocumented(response, "/company/document-categories", "get");
  });

  it("upload 201 matches DocumentUploadSuccessResponse", async () => {
    const response = await client.post("/v1/company/documents", {
      token,
      multipart: uploadForm(
        { title: "CV", employee_id: ACME.employees.lanNguyen, category_id: ACME.documentCategories.cv, comment: "From the ATS", date: "2024-05-02" },
        { name: "cv.pdf", content: SMALL_PDF },
      ),
    });
    const attributes = (response.body as { data: { attributes: Record<string, unknown> } }).data.attributes;

    expect(response.status).toBe(201);
    expectDocumented(response, "/company/documents", "post");
    // The schema names the category `category_id`, while the spec example and the sandbox use
    // `category`. The schema leaves `category` unchecked, so it is checked here on its own.
    expect(schemaErrors(componentValidator("personnelV1", "DocumentCategory"), attributes["category"])).toEqual([]);
  });

  it("upload with category_id key matches the schema's property", async () => {
    sandbox.control.setBehaviour({ documentCategoryKey: "category_id" });
    try {
      const response = await client.post("/v1/company/documents", {
        token,
        multipart: uploadForm(
          { title: "Contract", employee_id: ACME.employees.lanNguyen, category_id: ACME.documentCategories.contracts },
          { name: "contract.pdf", content: SMALL_PDF },
        ),
      });
      const attributes = (response.body as { data: { attributes: Record<string, unknown> } }).data.attributes;

      expect(response.status).toBe(201);
      expect(attributes).toHaveProperty("category_id");
      expectDocumented(response, "/company/documents", "post");
    } finally {
      sandbox.control.setBehaviour({ documentCategoryKey: "category" });
    }
  });

  it("upload 404 and 422 match their documented schemas", async () => {
    const unknownCategory = await client.post("/v1/company/documents", {
      token,
      multipart: uploadForm({ title: "CV", employee_id: ACME.employees.lanNguyen, category_id: 9999 }, { name: "cv.pdf", content: SMALL_PDF }),
    });
    const badType = await client.post("/v1/company/documents", {
      token,
      multipart: uploadForm({ title: "CV", employee_id: ACME.employees.lanNguyen, category_id: ACME.documentCategories.cv }, { name: "cv.exe", content: "MZ" }),
    });

    expect(unknownCategory.status).toBe(404);
    expectDocumented(unknownCategory, "/company/documents", "post");
    expect(badType.status).toBe(422);
    expectDocumented(badType, "/company/documents", "post");
  });
});

describe("rate limit contract", () => {
  it("429 matches the generic ErrorResponse", async () => {
    // Personio documents the 429 status for v1 but no body, so the generic v1 error schema applies.
    const limited = await startTestSandbox({ rateLimits: { global: { limit: 1 } } });
    try {
      const limitedClient = new SandboxClient(limited.url);
      await limitedClient.post("/v1/auth", { json: {} });
      const response = await limitedClient.post("/v1/auth", { json: {} });

      expect(response.status).toBe(429);
      expectComponent(response, "personnelV1", "ErrorResponse");
    } finally {
      await limited.stop();
    }
  });
});
