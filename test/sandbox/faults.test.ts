import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ACME, type RunningSandbox } from "../../plugins/personio/sandbox/index.ts";
import { SandboxClient, startTestSandbox, v1Body } from "./support/client.ts";
import { documentedResponseValidator, schemaErrors } from "./support/openapi.ts";

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

const NEW_HIRE = { employee: { email: "late.commit@acme.example", first_name: "Late", last_name: "Commit" } };

function listEmployees() {
  return client.get("/v1/company/employees?limit=1", { token });
}

describe("status faults", () => {
  it("fail the next N calls of one route only", async () => {
    sandbox.control.fail("employees.list", { times: 2, status: 503, body: { success: false, error: { code: 503, message: "Down" } } });

    const first = await listEmployees();
    const otherRoute = await client.get("/v1/company/document-categories", { token });
    const second = await listEmployees();
    const third = await listEmployees();

    expect(first.status).toBe(503);
    expect(v1Body(first).error?.message).toBe("Down");
    expect(otherRoute.status).toBe(200);
    expect(second.status).toBe(503);
    expect(third.status).toBe(200);
    expect(sandbox.control.faults()).toEqual([]);
  });

  it("send a v1 error envelope for 500 by default", async () => {
    sandbox.control.fail("employees.create", { status: 500 });

    const response = await client.post("/v1/company/employees", { token, json: NEW_HIRE });

    expect(response.status).toBe(500);
    expect(v1Body(response)).toEqual({ success: false, error: { code: 500, message: "Something went wrong" } });
    expect(sandbox.control.employees().some((employee) => employee.email === NEW_HIRE.employee.email)).toBe(false);
  });

  it("send an HTML gateway page for 502 to 504 by default", async () => {
    sandbox.control.fail("employees.get", { status: 504 });

    const response = await client.get(`/v1/company/employees/${ACME.employees.katrinVogel}`, { token });

    expect(response.status).toBe(504);
    expect(response.headers.get("content-type")).toBe("text/html");
    expect(response.body).toBeUndefined();
    expect(response.text).toContain("504 Gateway Timeout");
  });

  it("fail the token endpoint", async () => {
    sandbox.control.fail("auth", { status: 500 });

    const failed = await client.post("/v1/auth", { json: { client_id: "sandbox-client-id", client_secret: "sandbox-client-secret" } });
    const retried = await client.post("/v1/auth", { json: { client_id: "sandbox-client-id", client_secret: "sandbox-client-secret" } });

    expect(failed.status).toBe(500);
    expect(retried.status).toBe(200);
  });

  it("apply to every route with *", async () => {
    sandbox.control.fail("*", { status: 502, times: 2 });

    const list = await listEmployees();
    const categories = await client.get("/v1/company/document-categories", { token });
    const afterwards = await listEmployees();

    expect([list.status, categories.status, afterwards.status]).toEqual([502, 502, 200]);
  });

  it("send a custom string body and headers as given", async () => {
    sandbox.control.fail("employees.list", { status: 429, body: "slow down", headers: { "x-custom": "yes" } });

    const response = await listEmployees();

    expect(response.status).toBe(429);
    expect(response.text).toBe("slow down");
    expect(response.headers.get("x-custom")).toBe("yes");
    expect(response.headers.get("retry-after")).toBeNull();
  });
});

describe("latency", () => {
  it("delays every request by the global latency", async () => {
    sandbox.control.setLatency(120);

    const started = performance.now();
    await listEmployees();
    const elapsed = performance.now() - started;

    expect(elapsed).toBeGreaterThanOrEqual(110);
  });

  it("delays only the chosen route", async () => {
    sandbox.control.setLatency(150, "employees.create");

    const fastStarted = performance.now();
    await listEmployees();
    const fast = performance.now() - fastStarted;
    const slowStarted = performance.now();
    await client.post("/v1/company/employees", { token, json: NEW_HIRE });
    const slow = performance.now() - slowStarted;

    expect(fast).toBeLessThan(140);
    expect(slow).toBeGreaterThanOrEqual(140);
  });

  it("starts from the latencyMs option", async () => {
    const slow = await startTestSandbox({ latencyMs: 100 });
    try {
      const started = performance.now();
      await new SandboxClient(slow.url).get("/v1/company/employees");
      expect(performance.now() - started).toBeGreaterThanOrEqual(90);
    } finally {
      await slow.stop();
    }
  });
});

describe("commit then respond late", () => {
  it("stores the employee although the client timed out", async () => {
    sandbox.control.respondLate("employees.create", { delayMs: 600 });

    const attempt = client.post("/v1/company/employees", { token, json: NEW_HIRE, signal: AbortSignal.timeout(150) });

    await expect(attempt).rejects.toThrow(/aborted|timeout/i);
    const stored = sandbox.control.employees().find((employee) => employee.email === NEW_HIRE.employee.email);
    expect(stored).toBeDefined();
    const lookup = await client.get("/v1/company/employees?email=late.commit@acme.example", { token });
    expect(v1Body(lookup).metadata?.total_elements).toBe(1);
  });

  it("still answers a patient client", async () => {
    sandbox.control.respondLate("employees.create", { delayMs: 200 });

    const started = performance.now();
    const response = await client.post("/v1/company/employees", { token, json: NEW_HIRE });

    expect(response.status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(190);
  });
});

describe("connection reset", () => {
  it("drops the connection before the handler runs", async () => {
    sandbox.control.resetConnection("employees.create");

    await expect(client.post("/v1/company/employees", { token, json: NEW_HIRE })).rejects.toThrow(/fetch failed/);
    const recorded = sandbox.control.requests({ route: "employees.create" });

    expect(sandbox.control.employees().some((employee) => employee.email === NEW_HIRE.employee.email)).toBe(false);
    expect(recorded.map((request) => request.response)).toEqual([{ outcome: "connectionReset" }]);
  });

  it("drops the connection after the create was stored", async () => {
    sandbox.control.resetConnection("employees.create", { afterHandler: true });

    await expect(client.post("/v1/company/employees", { token, json: NEW_HIRE })).rejects.toThrow(/fetch failed/);

    expect(sandbox.control.employees().some((employee) => employee.email === NEW_HIRE.employee.email)).toBe(true);
  });

  it("serves the next request normally", async () => {
    sandbox.control.resetConnection("employees.list");

    await expect(listEmployees()).rejects.toThrow(/fetch failed/);
    const next = await listEmployees();

    expect(next.status).toBe(200);
  });
});

describe("body faults", () => {
  it("answer malformed JSON with status 200", async () => {
    sandbox.control.respondMalformedJson("employees.list");

    const response = await listEmployees();

    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/json");
    expect(() => JSON.parse(response.text)).toThrow(SyntaxError);
  });

  it("answer a body that fails the spec schema", async () => {
    sandbox.control.respondSchemaViolation("employees.list");

    const response = await listEmployees();
    const validate = documentedResponseValidator("personnelV1", "/company/employees", "get", 200)!;

    expect(response.status).toBe(200);
    expect(schemaErrors(validate, response.body)).not.toEqual([]);
  });

  it("answer a custom schema-violating body", async () => {
    sandbox.control.respondSchemaViolation("employees.get", { body: { success: true, data: { type: "Employee", attributes: { id: { value: "not-a-number" } } } } });

    const response = await client.get(`/v1/company/employees/${ACME.employees.katrinVogel}`, { token });

    expect(response.body).toEqual({ success: true, data: { type: "Employee", attributes: { id: { value: "not-a-number" } } } });
  });

  it("break the v2 token response schema", async () => {
    sandbox.control.respondSchemaViolation("auth.v2.token");

    const response = await client.post("/v2/auth/token", {
      form: { grant_type: "client_credentials", client_id: "sandbox-client-id", client_secret: "sandbox-client-secret" },
    });

    expect(response.body).toEqual({ access_token: 42, token_type: "Mac", expires_in: "tomorrow" });
  });
});

describe("token invalidation", () => {
  it("revokes every token after N authenticated calls", async () => {
    sandbox.control.invalidateTokensAfter(2);

    const first = await listEmployees();
    const second = await listEmployees();
    const third = await listEmployees();
    const newToken = await client.token();
    const withNewToken = await client.get("/v1/company/employees?limit=1", { token: newToken });

    expect([first.status, second.status, third.status]).toEqual([200, 200, 401]);
    expect(newToken).not.toBe(token);
    expect(withNewToken.status).toBe(200);
  });

  it("revokes every token at once", async () => {
    sandbox.control.invalidateTokens();

    const response = await listEmployees();

    expect(response.status).toBe(401);
    expect(sandbox.control.tokens()).toEqual([]);
  });
});
