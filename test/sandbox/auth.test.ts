import { afterEach, describe, expect, it } from "vitest";
import { ACME, TOKEN_LIFETIME_MS, type RunningSandbox } from "../../plugins/personio/sandbox/index.ts";
import { SandboxClient, startTestSandbox, v1Body } from "./support/client.ts";

const CREDENTIALS = { client_id: "sandbox-client-id", client_secret: "sandbox-client-secret" };
const T0 = Date.parse("2025-03-03T09:00:00Z");

let sandbox: RunningSandbox;

afterEach(async () => {
  await sandbox.stop();
});

async function start(options: Parameters<typeof startTestSandbox>[0] = {}): Promise<SandboxClient> {
  sandbox = await startTestSandbox({ now: () => T0, ...options });
  return new SandboxClient(sandbox.url);
}

function tokenOf(response: { body: unknown }): string {
  return (response.body as { data: { token: string } }).data.token;
}

describe("POST /v1/auth", () => {
  it("accepts JSON, form and query encodings", async () => {
    const client = await start();

    const json = await client.post("/v1/auth", { json: CREDENTIALS });
    const form = await client.post("/v1/auth", { form: CREDENTIALS });
    const query = await client.post(`/v1/auth?${new URLSearchParams(CREDENTIALS).toString()}`);

    expect(json.status).toBe(200);
    expect(form.status).toBe(200);
    expect(query.status).toBe(200);
  });

  it("returns a papi- token with 24 h lifetime and scopes", async () => {
    const client = await start();

    const response = await client.post("/v1/auth", { json: CREDENTIALS });
    const data = v1Body(response).data as { token: string; expires_in: number; scope: string };

    expect(v1Body(response).success).toBe(true);
    expect(data.token).toMatch(/^papi-/);
    expect(data.expires_in).toBe(86_400);
    expect(data.scope.split(" ")).toEqual(expect.arrayContaining(["employees:read", "employees:write", "documents:write"]));
  });

  it("returns the same token within 24 hours", async () => {
    const client = await start({ now: undefined });
    sandbox.control.setClock(T0);

    const first = tokenOf(await client.post("/v1/auth", { json: CREDENTIALS }));
    sandbox.control.advanceClock(TOKEN_LIFETIME_MS - 1_000);
    const second = await client.post("/v1/auth", { form: CREDENTIALS });

    expect(tokenOf(second)).toBe(first);
    expect((v1Body(second).data as { expires_in: number }).expires_in).toBe(1);
  });

  it("issues a new token once the old one expired", async () => {
    const client = await start({ now: undefined });
    sandbox.control.setClock(T0);
    const first = tokenOf(await client.post("/v1/auth", { json: CREDENTIALS }));

    sandbox.control.advanceClock(TOKEN_LIFETIME_MS);
    const expiredUse = await client.get("/v1/company/employees", { token: first });
    const second = tokenOf(await client.post("/v1/auth", { json: CREDENTIALS }));

    expect(expiredUse.status).toBe(401);
    expect(v1Body(expiredUse).error?.message).toBe("Provided authorization is not valid");
    expect(second).not.toBe(first);
  });

  it("rejects wrong credentials with 401 Wrong credentials", async () => {
    const client = await start();

    const wrongSecret = await client.post("/v1/auth", { json: { ...CREDENTIALS, client_secret: "nope" } });
    const unknownClient = await client.post("/v1/auth", { json: { client_id: "nobody", client_secret: "x" } });

    expect(wrongSecret.status).toBe(401);
    expect(v1Body(wrongSecret)).toEqual({ success: false, error: { code: 401, message: "Wrong credentials" } });
    expect(unknownClient.status).toBe(401);
  });

  it("answers wrong credentials with the configured status", async () => {
    const client = await start({ behaviour: { wrongCredentialsStatus: 403 } });

    const response = await client.post("/v1/auth", { json: { ...CREDENTIALS, client_secret: "nope" } });

    expect(response.status).toBe(403);
    expect(v1Body(response).error?.code).toBe(403);
  });

  it("rejects a request without credentials with 400", async () => {
    const client = await start();

    const response = await client.post("/v1/auth", { json: { client_id: "sandbox-client-id" } });

    expect(response.status).toBe(400);
    expect(v1Body(response).error?.message).toMatch(/client_secret/);
  });

  it("limits auth to 60 per minute, then cools down for 60 s", async () => {
    const client = await start({ now: undefined, rateLimits: {} });
    sandbox.control.setClock(T0);

    const accepted: number[] = [];
    for (let attempt = 0; attempt < 60; attempt += 1) {
      accepted.push((await client.post("/v1/auth", { json: CREDENTIALS })).status);
    }
    const sixtyFirst = await client.post("/v1/auth", { json: CREDENTIALS });
    sandbox.control.advanceClock(59_000);
    const duringCooldown = await client.post("/v1/auth", { json: CREDENTIALS });
    sandbox.control.advanceClock(1_000);
    const afterCooldown = await client.post("/v1/auth", { json: CREDENTIALS });

    expect(accepted.every((status) => status === 200)).toBe(true);
    expect(sixtyFirst.status).toBe(429);
    expect(sixtyFirst.headers.get("retry-after")).toBe("60");
    expect(duringCooldown.status).toBe(429);
    expect(duringCooldown.headers.get("retry-after")).toBe("1");
    expect(afterCooldown.status).toBe(200);
  });
});

describe("POST /v2/auth/token", () => {
  const grant = { grant_type: "client_credentials", ...CREDENTIALS };

  it("grants every scope of the credential without scope", async () => {
    const client = await start();

    const response = await client.post("/v2/auth/token", { form: grant });
    const body = response.body as { access_token: string; token_type: string; expires_in: number; scope: string };

    expect(response.status).toBe(200);
    expect(body.access_token).toMatch(/^papi-/);
    expect(body.token_type).toBe("Bearer");
    expect(body.expires_in).toBe(86_400);
    expect(body.scope.split(" ")).toEqual(expect.arrayContaining(["personio:persons:read", "personio:persons:write", "documents:write"]));
  });

  it("narrows the token to requested scopes", async () => {
    const client = await start();

    const response = await client.post("/v2/auth/token", { form: { ...grant, scope: "personio:persons:read documents:read" } });
    const body = response.body as { access_token: string; scope: string };
    const read = await client.get("/v1/company/employees", { token: body.access_token });
    const write = await client.post("/v1/company/employees", { token: body.access_token, json: { employee: {} } });

    expect(body.scope.split(" ").sort()).toEqual(["documents:read", "personio:persons:read"]);
    expect(read.status).toBe(200);
    expect(write.status).toBe(403);
  });

  it("rejects a scope the credential lacks with invalid_scope", async () => {
    const client = await start();
    sandbox.control.addCredential({ clientId: "reader", clientSecret: "s", companyId: ACME.companyId, rights: { employees: { read: true } } });

    const response = await client.post("/v2/auth/token", {
      form: { grant_type: "client_credentials", client_id: "reader", client_secret: "s", scope: "personio:persons:write" },
    });

    expect(response.status).toBe(400);
    expect((response.body as { error: string }).error).toBe("invalid_scope");
  });

  it.each([
    ["grant_type missing", { client_id: "sandbox-client-id" }, "invalid_request"],
    ["unknown client", { grant_type: "client_credentials", client_id: "client_who" }, "invalid_client"],
    ["unknown grant", { grant_type: "lilu_dallas_multipass" }, "invalid_grant"],
    ["wrong secret", { ...grant, client_secret: "verY-wr0ng" }, "unauthorized_client"],
    ["device code grant", { grant_type: "urn:ietf:params:oauth:grant-type:device_code" }, "unsupported_grant_type"],
  ])("answers %s with %s", async (_case, form, expected) => {
    const client = await start();

    const response = await client.post("/v2/auth/token", { form: form as Record<string, string> });
    const body = response.body as { error: string; error_description: string; error_uri: string; trace_id: string; timestamp: string };

    expect(response.status).toBe(400);
    expect(body.error).toBe(expected);
    expect(body.error_uri).toContain(expected);
    expect(body.trace_id).not.toBe("");
    expect(body.timestamp).toBe(new Date(T0).toISOString());
  });

  it("lists missing parameters in meta", async () => {
    const client = await start();

    const response = await client.post("/v2/auth/token", { form: { client_id: "sandbox-client-id" } });

    expect((response.body as { meta: unknown }).meta).toEqual({ missing_parameters: ["grant_type", "client_secret"] });
  });

  it("rejects JSON bodies as invalid_request", async () => {
    const client = await start();

    const response = await client.post("/v2/auth/token", { json: grant });

    expect(response.status).toBe(400);
    expect((response.body as { error_description: string }).error_description).toContain("application/x-www-form-urlencoded");
  });

  it("throttles to one per second once the minute limit is hit", async () => {
    // The documented limit is 150 per minute (DEFAULT_RATE_LIMITS); 5 keeps the test short.
    const client = await start({ now: undefined, rateLimits: { v2Token: { limit: 5 } } });
    sandbox.control.setClock(T0);

    for (let attempt = 0; attempt < 5; attempt += 1) {
      await client.post("/v2/auth/token", { form: grant });
    }
    const exceeded = await client.post("/v2/auth/token", { form: grant });
    sandbox.control.advanceClock(1_000);
    const throttledFirst = await client.post("/v2/auth/token", { form: grant });
    const throttledSecond = await client.post("/v2/auth/token", { form: grant });
    sandbox.control.advanceClock(60_000);
    const afterThrottle = await client.post("/v2/auth/token", { form: grant });

    expect(exceeded.status).toBe(429);
    expect((exceeded.body as { error: string }).error).toBe("temporarily_unavailable");
    expect(throttledFirst.status).toBe(200);
    expect(throttledSecond.status).toBe(429);
    expect(afterThrottle.status).toBe(200);
  });

  it("revokes a token with /v2/auth/revoke", async () => {
    const client = await start();
    const token = (await client.post("/v2/auth/token", { form: grant }).then((response) => response.body as { access_token: string })).access_token;

    const revoke = await client.post("/v2/auth/revoke", { form: { token } });
    const afterRevoke = await client.get("/v1/company/employees", { token });

    expect(revoke.status).toBe(200);
    expect(revoke.text).toBe("");
    expect(afterRevoke.status).toBe(401);
  });
});

describe("bearer tokens on v1 routes", () => {
  it("answers a missing header with 401 Authorization is not provided", async () => {
    const client = await start();

    const response = await client.get("/v1/company/employees");

    expect(response.status).toBe(401);
    expect(v1Body(response)).toEqual({ success: false, error: { code: 401, message: "Authorization is not provided" } });
  });

  it("answers an unknown token with the configured status", async () => {
    const client = await start({ behaviour: { invalidTokenStatus: 403 } });

    const response = await client.get("/v1/company/employees", { token: "papi-unknown" });

    expect(response.status).toBe(403);
    expect(v1Body(response).error).toEqual({ code: 403, message: "Provided authorization is not valid" });
  });

  it("echoes the token in the Authorization header on success", async () => {
    const client = await start();
    const token = await client.token();

    const success = await client.get("/v1/company/employees", { token });
    const failure = await client.get("/v1/company/employees/999999", { token });

    expect(success.headers.get("authorization")).toBe(`Bearer ${token}`);
    expect(failure.headers.get("authorization")).toBeNull();
  });

  it("answers a missing area right with 403 forbidden exception", async () => {
    const client = await start();
    sandbox.control.addCredential({ clientId: "docs-only", clientSecret: "s", companyId: ACME.companyId, rights: { documents: { read: true, write: true } } });
    const token = await client.token("docs-only", "s");

    const response = await client.get("/v1/company/employees", { token });

    expect(response.status).toBe(403);
    expect(v1Body(response)).toEqual({
      success: false,
      error: { message: "personio.core.api.exceptions.api.forbidden.http.exception", code: 0 },
    });
  });

  it("answers a missing area right with 401 when configured", async () => {
    const client = await start({ behaviour: { missingRightStatus: 401 } });
    sandbox.control.addCredential({ clientId: "docs-only", clientSecret: "s", companyId: ACME.companyId, rights: { documents: { read: true } } });
    const token = await client.token("docs-only", "s");

    const response = await client.get("/v1/company/employees", { token });

    expect(response.status).toBe(401);
    expect(v1Body(response).error?.message).toBe("personio.core.api.exceptions.api.forbidden.http.exception");
  });
});
