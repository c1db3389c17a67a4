import { createHash } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ACME, ALLOWED_DOCUMENT_EXTENSIONS, MAX_DOCUMENT_BYTES, type RunningSandbox } from "../../plugins/personio/sandbox/index.ts";
import { SandboxClient, SMALL_PDF, startTestSandbox, uploadForm, v1Body } from "./support/client.ts";

let sandbox: RunningSandbox;
let client: SandboxClient;
let token: string;

beforeAll(async () => {
  sandbox = await startTestSandbox({ now: () => Date.parse("2025-03-03T09:00:00Z") });
  client = new SandboxClient(sandbox.url);
});

beforeEach(async () => {
  sandbox.control.reset();
  token = await client.token();
});

afterAll(async () => {
  await sandbox.stop();
});

const VALID_FIELDS = { title: "Curriculum vitae", employee_id: ACME.employees.lanNguyen, category_id: ACME.documentCategories.cv };

function upload(form: FormData) {
  return client.post("/v1/company/documents", { token, multipart: form });
}

describe("GET /v1/company/document-categories", () => {
  it("lists the company's categories", async () => {
    const response = await client.get("/v1/company/document-categories", { token });

    expect(response.status).toBe(200);
    expect(v1Body(response).data).toEqual([
      { id: 501, type: "DocumentCategory", attributes: { name: "CV" } },
      { id: 502, type: "DocumentCategory", attributes: { name: "Application documents" } },
      { id: 503, type: "DocumentCategory", attributes: { name: "Contracts" } },
      { id: 504, type: "DocumentCategory", attributes: { name: "Certificates" } },
      { id: 505, type: "DocumentCategory", attributes: { name: "Other documents" } },
    ]);
  });

  it("requires the Documents Read right", async () => {
    sandbox.control.addCredential({ clientId: "employees-only", clientSecret: "s", companyId: ACME.companyId, rights: { employees: { read: true } } });
    const limitedToken = await client.token("employees-only", "s");

    const response = await client.get("/v1/company/document-categories", { token: limitedToken });

    expect(response.status).toBe(403);
  });
});

describe("POST /v1/company/documents", () => {
  it("stores the document and answers 201", async () => {
    const response = await upload(uploadForm({ ...VALID_FIELDS, comment: "Imported from the ATS", date: "2025-02-28" }, { name: "cv.pdf", content: SMALL_PDF }));
    const [stored] = sandbox.control.documents();

    expect(response.status).toBe(201);
    expect(v1Body(response).data).toMatchObject({
      id: 1,
      type: "Document",
      attributes: {
        title: "Curriculum vitae",
        date: "2025-02-28",
        comment: "Imported from the ATS",
        employee: { type: "Employee", attributes: { id: { value: ACME.employees.lanNguyen }, email: { value: "lan.nguyen@acme.example" } } },
        category: { id: ACME.documentCategories.cv, type: "DocumentCategory", attributes: { name: "CV" } },
      },
    });
    expect(stored).toMatchObject({
      employeeId: ACME.employees.lanNguyen,
      categoryId: ACME.documentCategories.cv,
      fileName: "cv.pdf",
      contentType: "application/pdf",
      size: Buffer.byteLength(SMALL_PDF),
      sha256: createHash("sha256").update(SMALL_PDF).digest("hex"),
    });
  });

  it("defaults date to today and comment to empty", async () => {
    const response = await upload(uploadForm(VALID_FIELDS, { name: "cv.pdf", content: SMALL_PDF }));

    expect(v1Body(response).data).toMatchObject({ attributes: { date: "2025-03-03", comment: "" } });
    expect(sandbox.control.documents()[0]?.comment).toBeNull();
  });

  it.each(["title", "employee_id", "category_id"])("rejects a missing %s with 422 error_data", async (field) => {
    const fields: Record<string, string | number> = { ...VALID_FIELDS };
    delete fields[field];

    const response = await upload(uploadForm(fields, { name: "cv.pdf", content: SMALL_PDF }));

    expect(response.status).toBe(422);
    expect(v1Body(response).error).toEqual({
      message: "The given data was invalid.",
      code: 0,
      error_data: { [field]: [`Bitte geben Sie ${field.replaceAll("_", " ")} ein, um fortzufahren.`] },
    });
  });

  it("rejects a missing file with 422", async () => {
    const response = await upload(uploadForm(VALID_FIELDS));

    expect(response.status).toBe(422);
    expect(v1Body(response).error?.error_data).toEqual({ file: ["Bitte geben Sie file ein, um fortzufahren."] });
  });

  it("reports every invalid field at once", async () => {
    const response = await upload(
      uploadForm({ title: "x".repeat(256), employee_id: "abc", category_id: ACME.documentCategories.cv, date: "03.03.2025" }, { name: "cv.pdf", content: SMALL_PDF }),
    );

    expect(response.status).toBe(422);
    expect(Object.keys(v1Body(response).error?.error_data ?? {}).sort()).toEqual(["date", "employee_id", "title"]);
  });

  it("rejects a disallowed extension with the documented message", async () => {
    const response = await upload(uploadForm(VALID_FIELDS, { name: "installer.exe", content: "MZ", type: "application/octet-stream" }));

    expect(response.status).toBe(422);
    expect(v1Body(response).error?.error_data?.["file"]).toEqual([`The file must be a file of type: ${ALLOWED_DOCUMENT_EXTENSIONS.join(", ")}.`]);
  });

  it("accepts extensions case-insensitively", async () => {
    const response = await upload(uploadForm(VALID_FIELDS, { name: "SCAN.PDF", content: SMALL_PDF }));

    expect(response.status).toBe(201);
  });

  it("rejects fields sent as a form instead of multipart", async () => {
    const response = await client.post("/v1/company/documents", { token, form: { title: "CV", employee_id: "1008", category_id: "501" } });

    expect(response.status).toBe(422);
    expect(v1Body(response).error?.error_data?.["file"]).toBeDefined();
  });

  it("answers an unknown employee with 404 code 0", async () => {
    const response = await upload(uploadForm({ ...VALID_FIELDS, employee_id: 4242 }, { name: "cv.pdf", content: SMALL_PDF }));

    expect(response.status).toBe(404);
    expect(v1Body(response)).toEqual({ success: false, error: { code: 0, message: "No query results for model [Employee] 4242" } });
  });

  it("answers an unknown category with 404 code 0", async () => {
    const response = await upload(uploadForm({ ...VALID_FIELDS, category_id: 1 }, { name: "cv.pdf", content: SMALL_PDF }));

    expect(response.status).toBe(404);
    expect(v1Body(response)).toEqual({ success: false, error: { code: 0, message: "No query results for model [DocumentCategory] 1" } });
  });

  it("rejects a 31 MB file early with 422", async () => {
    const big = new Uint8Array(31 * 1024 * 1024);

    const response = await upload(uploadForm(VALID_FIELDS, { name: "huge.pdf", content: big }));
    const [recorded] = sandbox.control.requests({ route: "documents.upload" });
    const note = recorded?.body.kind === "text" ? recorded.body.text : "";
    const bytesRead = Number(/^\[rejected after (\d+) bytes\]$/.exec(note)?.[1]);

    expect(response.status).toBe(422);
    expect(v1Body(response).error?.error_data).toEqual({ file: ["The file may not be greater than 30720 kilobytes."] });
    expect(sandbox.control.documents()).toEqual([]);
    expect(bytesRead).toBeGreaterThan(MAX_DOCUMENT_BYTES);
    expect(bytesRead).toBeLessThan(big.length);
  });

  it("rejects a file just over 30 MiB after parsing", async () => {
    const justOver = new Uint8Array(MAX_DOCUMENT_BYTES + 1);

    const response = await upload(uploadForm(VALID_FIELDS, { name: "big.pdf", content: justOver }));

    expect(response.status).toBe(422);
    expect(v1Body(response).error?.error_data?.["file"]).toEqual(["The file may not be greater than 30720 kilobytes."]);
  });

  it("answers too large uploads with 413 when configured", async () => {
    sandbox.control.setBehaviour({ uploadTooLargeStatus: 413 });
    const big = new Uint8Array(31 * 1024 * 1024);

    const response = await upload(uploadForm(VALID_FIELDS, { name: "huge.pdf", content: big }));

    expect(response.status).toBe(413);
    expect(v1Body(response).error?.code).toBe(413);
  });

  it("keeps serving after a rejected large upload", async () => {
    await upload(uploadForm(VALID_FIELDS, { name: "huge.pdf", content: new Uint8Array(31 * 1024 * 1024) }));

    const response = await upload(uploadForm(VALID_FIELDS, { name: "cv.pdf", content: SMALL_PDF }));

    expect(response.status).toBe(201);
  });

  it("requires the Documents Write right", async () => {
    sandbox.control.addCredential({ clientId: "docs-reader", clientSecret: "s", companyId: ACME.companyId, rights: { documents: { read: true } } });
    const readerToken = await client.token("docs-reader", "s");

    const response = await client.post("/v1/company/documents", { token: readerToken, multipart: uploadForm(VALID_FIELDS, { name: "cv.pdf", content: SMALL_PDF }) });

    expect(response.status).toBe(403);
    expect(sandbox.control.documents()).toEqual([]);
  });
});
