import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ACME, type RecordedRequest, type RunningSandbox } from "../../plugins/personio/sandbox/index.ts";
import { SandboxClient, SMALL_PDF, startTestSandbox, uploadForm, v1Body } from "./support/client.ts";

let sandbox: RunningSandbox;
let client: SandboxClient;
let token: string;

beforeAll(async () => {
  sandbox = await startTestSandbox();
  client = new SandboxClient(sandbox.url);
});

beforeEach(async () => {
  sandbox.control.reset();
  token = await client.token();
});

afterAll(async () => {
  await sandbox.stop();
});

const NEW_HIRE = { employee: { email: "control.hire@acme.example", first_name: "Con", last_name: "Trol" } };

describe("request recording", () => {
  it("records method, route, query, headers and JSON body", async () => {
    await client.post("/v1/company/employees?source=ats", { token, json: NEW_HIRE, headers: { "X-Personio-App-ID": "HRIS_EXPORT" } });

    const [recorded] = sandbox.control.requests({ route: "employees.create" });

    expect(recorded).toMatchObject({
      method: "POST",
      path: "/v1/company/employees",
      route: "employees.create",
      query: { source: "ats" },
      body: { kind: "json", value: NEW_HIRE },
      clientId: "sandbox-client-id",
      response: { outcome: "answered", status: 200 },
    });
    expect(recorded?.headers["authorization"]).toBe(`Bearer ${token}`);
  });

  it("records form bodies as sent", async () => {
    await client.post("/v1/company/employees", { token, form: { "employee[email]": "form@acme.example", "employee[first_name]": "F", "employee[last_name]": "L" } });

    const [recorded] = sandbox.control.requests({ route: "employees.create" });

    expect(recorded?.body).toEqual({
      kind: "form",
      value: { "employee[email]": "form@acme.example", "employee[first_name]": "F", "employee[last_name]": "L" },
    });
  });

  it("summarizes multipart files by name and size", async () => {
    await client.post("/v1/company/documents", {
      token,
      multipart: uploadForm({ title: "CV", employee_id: ACME.employees.lanNguyen, category_id: ACME.documentCategories.cv }, { name: "cv.pdf", content: SMALL_PDF }),
    });

    const [recorded] = sandbox.control.requests({ route: "documents.upload" });

    expect(recorded?.body).toEqual({
      kind: "multipart",
      fields: { title: "CV", employee_id: String(ACME.employees.lanNguyen), category_id: String(ACME.documentCategories.cv) },
      files: [{ field: "file", fileName: "cv.pdf", contentType: "application/pdf", size: Buffer.byteLength(SMALL_PDF) }],
    });
  });

  it("records identification headers and their case", async () => {
    await client.get("/v1/company/employees", { token, headers: { "X-Personio-App-ID": "HRIS_EXPORT", "X-Personio-Partner-ID": "acme" } });
    await client.get("/v1/company/employees", { token, headers: { "Personio-App-ID": "MY_APP_2" } });
    await client.get("/v1/company/employees", { token });

    const [first, second, third] = sandbox.control.requests({ route: "employees.list" });

    expect(first?.appId).toEqual({ value: "HRIS_EXPORT", headerName: "X-Personio-App-ID", upperSnakeCase: true });
    expect(first?.partnerId).toEqual({ value: "acme", headerName: "X-Personio-Partner-ID", upperSnakeCase: false });
    expect(second?.appId).toEqual({ value: "MY_APP_2", headerName: "Personio-App-ID", upperSnakeCase: true });
    expect(third?.appId).toBeNull();
    expect(third?.partnerId).toBeNull();
  });

  it("records the auth request's client id and masks the secret on request", async () => {
    const [auth] = sandbox.control.requests({ route: "auth" });
    const [redacted] = sandbox.control.requests({ route: "auth", redacted: true });

    expect(auth?.clientId).toBe("sandbox-client-id");
    expect(auth?.body).toEqual({ kind: "json", value: { client_id: "sandbox-client-id", client_secret: "sandbox-client-secret" } });
    expect(redacted?.body).toEqual({ kind: "json", value: { client_id: "sandbox-client-id", client_secret: "[redacted]" } });
  });

  it("masks bearer tokens in the redacted view", async () => {
    await client.get("/v1/company/employees", { token });

    const [redacted] = sandbox.control.requests({ route: "employees.list", redacted: true });

    expect(redacted?.headers["authorization"]).toBe(`Bearer ${token.slice(0, 9)}…[redacted]`);
  });

  it("records requests to unknown routes", async () => {
    const response = await client.get("/v1/company/attendances", { token });

    const recorded = sandbox.control.requests().at(-1);

    expect(response.status).toBe(404);
    expect(v1Body(response).success).toBe(false);
    expect(recorded).toMatchObject({ route: null, path: "/v1/company/attendances", response: { outcome: "answered", status: 404 } });
  });

  it("answers a wrong method with 405 and Allow", async () => {
    const response = await client.request("DELETE", "/v1/company/employees/1001", { token });

    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("GET, PATCH");
  });

  it("filters by method", async () => {
    await client.get("/v1/company/employees/1001", { token });
    await client.patch("/v1/company/employees/1001", { token, json: { employee: { position: "CEO" } } });

    expect(sandbox.control.requests({ method: "patch" }).map((request) => request.route)).toEqual(["employees.update"]);
  });
});

describe("typed control helpers", () => {
  it("return copies of stored employees and documents", async () => {
    const [employee] = sandbox.control.employees(ACME.companyId);
    employee!.firstName = "Changed";

    expect(sandbox.control.employee(employee!.id)?.firstName).not.toBe("Changed");
    expect(sandbox.control.employees(ACME.companyId)).toHaveLength(10);
    expect(sandbox.control.employees(999)).toEqual([]);
    expect(sandbox.control.documents()).toEqual([]);
  });

  it("reset restores data, tokens, faults and behaviour", async () => {
    await client.post("/v1/company/employees", { token, json: NEW_HIRE });
    sandbox.control.fail("employees.list", { status: 500 });
    sandbox.control.setBehaviour({ duplicateEmail: "create" });
    sandbox.control.setLatency(50);

    sandbox.control.reset();
    const oldToken = await client.get("/v1/company/employees", { token });

    expect(sandbox.control.employees()).toHaveLength(10);
    expect(sandbox.control.faults()).toEqual([]);
    expect(sandbox.control.behaviour.duplicateEmail).toBe("reject");
    expect(oldToken.status).toBe(401);
    expect(sandbox.control.requests()).toHaveLength(1);
  });

  it("addCredential rejects unknown companies and attributes", () => {
    expect(() => sandbox.control.addCredential({ clientId: "x", clientSecret: "y", companyId: 77, rights: {} })).toThrow(/companyId 77 does not exist/);
    expect(() =>
      sandbox.control.addCredential({ clientId: "x", clientSecret: "y", companyId: ACME.companyId, rights: {}, readableAttributes: ["shoe_size"] }),
    ).toThrow(/unknown keys shoe_size/);
    expect(() => sandbox.control.addCredential({ clientId: "sandbox-client-id", clientSecret: "y", companyId: ACME.companyId, rights: {} })).toThrow(
      /already exists/,
    );
  });

  it("setClock and advanceClock move sandbox time", () => {
    sandbox.control.setClock(new Date("2025-01-01T00:00:00Z"));
    sandbox.control.advanceClock(90_000);

    expect(sandbox.control.now().toISOString()).toBe("2025-01-01T00:01:30.000Z");
  });
});

describe("HTTP control API", () => {
  async function control(method: string, path: string, json?: unknown) {
    return client.request(method, `/__sandbox${path}`, json === undefined ? {} : { json });
  }

  it("lists its endpoints", async () => {
    const response = await control("GET", "");

    expect(response.status).toBe(200);
    expect((response.body as { endpoints: string[] }).endpoints.length).toBeGreaterThan(10);
  });

  it("lists requests redacted by default", async () => {
    await client.get("/v1/company/employees", { token });

    const redacted = await control("GET", "/requests?route=employees.list");
    const raw = await control("GET", "/requests?route=employees.list&redacted=false");

    expect((redacted.body as RecordedRequest[])[0]?.headers["authorization"]).toContain("[redacted]");
    expect((raw.body as RecordedRequest[])[0]?.headers["authorization"]).toBe(`Bearer ${token}`);
    expect(sandbox.control.requests().some((request) => request.path.startsWith("/__sandbox"))).toBe(false);
  });

  it("rejects an unknown route filter", async () => {
    const response = await control("GET", "/requests?route=employees.delete");

    expect(response.status).toBe(400);
    expect((response.body as { error: string }).error).toContain("Unknown route");
  });

  it("lists employees and documents", async () => {
    await client.post("/v1/company/documents", {
      token,
      multipart: uploadForm({ title: "CV", employee_id: ACME.employees.lanNguyen, category_id: ACME.documentCategories.cv }, { name: "cv.pdf", content: SMALL_PDF }),
    });

    const employees = await control("GET", `/employees?companyId=${ACME.companyId}`);
    const documents = await control("GET", "/documents");

    expect((employees.body as unknown[]).length).toBe(10);
    expect(documents.body).toMatchObject([{ employeeId: ACME.employees.lanNguyen, fileName: "cv.pdf" }]);
  });

  it("schedules, lists and clears faults", async () => {
    const created = await control("POST", "/faults", { route: "employees.list", times: 2, fault: { kind: "status", status: 503 } });
    const listed = await control("GET", "/faults");
    const failed = await client.get("/v1/company/employees", { token });
    const cleared = await control("DELETE", "/faults");
    const afterClear = await client.get("/v1/company/employees", { token });

    expect(created.status).toBe(201);
    expect(listed.body).toMatchObject([{ route: "employees.list", remaining: 2, spec: { kind: "status", status: 503 } }]);
    expect(failed.status).toBe(503);
    expect(cleared.status).toBe(204);
    expect(afterClear.status).toBe(200);
  });

  it("schedules a late response and a connection reset", async () => {
    await control("POST", "/faults", { route: "employees.create", fault: { kind: "respondLate", delayMs: 400 } });
    await control("POST", "/faults", { route: "employees.list", fault: { kind: "connectionReset" } });

    const late = client.post("/v1/company/employees", { token, json: NEW_HIRE, signal: AbortSignal.timeout(100) });
    await expect(late).rejects.toThrow();
    await expect(client.get("/v1/company/employees", { token })).rejects.toThrow(/fetch failed/);

    expect(sandbox.control.employees().some((employee) => employee.email === NEW_HIRE.employee.email)).toBe(true);
  });

  it("rejects an invalid fault with a readable error", async () => {
    const response = await control("POST", "/faults", { route: "employees.list", fault: { kind: "status", status: 200 } });

    expect(response.status).toBe(400);
    expect((response.body as { error: string }).error).toMatch(/status/);
  });

  it("sets latency", async () => {
    await control("POST", "/latency", { ms: 100, route: "employees.list" });

    const started = performance.now();
    await client.get("/v1/company/employees", { token });

    expect(performance.now() - started).toBeGreaterThanOrEqual(90);
  });

  it("invalidates tokens now or after N calls", async () => {
    await control("POST", "/tokens/invalidate", { afterCalls: 1 });
    const allowed = await client.get("/v1/company/employees", { token });
    const rejected = await client.get("/v1/company/employees", { token });
    const fresh = await client.token();
    await control("POST", "/tokens/invalidate");
    const afterNow = await client.get("/v1/company/employees", { token: fresh });

    expect([allowed.status, rejected.status, afterNow.status]).toEqual([200, 401, 401]);
  });

  it("sets and advances the clock", async () => {
    const set = await control("POST", "/clock", { set: "2025-06-01T12:00:00Z" });
    const advanced = await control("POST", "/clock", { advanceMs: 1_000 });
    const read = await control("GET", "/clock");

    expect(set.body).toEqual({ now: "2025-06-01T12:00:00.000Z" });
    expect(advanced.body).toEqual({ now: "2025-06-01T12:00:01.000Z" });
    expect(read.body).toEqual({ now: "2025-06-01T12:00:01.000Z" });
  });

  it("adds a credential with limited rights", async () => {
    const created = await control("POST", "/credentials", {
      clientId: "http-reader",
      clientSecret: "s",
      companyId: ACME.companyId,
      rights: { employees: { read: true } },
      readableAttributes: ["email"],
    });
    const readerToken = await client.token("http-reader", "s");
    const list = await client.get("/v1/company/employees?limit=1", { token: readerToken });

    expect(created.status).toBe(201);
    expect((created.body as { clientSecret: string }).clientSecret).toBe("[redacted]");
    expect(Object.keys((v1Body(list).data as Array<{ attributes: object }>)[0]!.attributes).sort()).toEqual(["email", "id"]);
  });

  it("switches behaviour and rate limits", async () => {
    const behaviour = await control("PATCH", "/behaviour", { duplicateEmail: "create" });
    const limits = await control("PATCH", "/rate-limits", { enabled: true, employeesListBurst: { limit: 1 } });
    const invalid = await control("PATCH", "/behaviour", { duplicateEmail: "maybe" });
    await client.get("/v1/company/employees", { token });
    const limited = await client.get("/v1/company/employees", { token });

    expect(behaviour.body).toMatchObject({ duplicateEmail: "create" });
    expect(limits.body).toMatchObject({ enabled: true, employeesListBurst: { limit: 1, windowMs: 1_000 } });
    expect(invalid.status).toBe(400);
    expect(limited.status).toBe(429);
  });

  it("resets the sandbox", async () => {
    await client.post("/v1/company/employees", { token, json: NEW_HIRE });

    const response = await control("POST", "/reset");

    expect(response.status).toBe(200);
    expect(sandbox.control.employees()).toHaveLength(10);
  });

  it("answers unknown control paths with 404", async () => {
    const response = await control("GET", "/nothing-here");

    expect(response.status).toBe(404);
  });
});
