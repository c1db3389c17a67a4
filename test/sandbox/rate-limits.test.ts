import { afterEach, describe, expect, it } from "vitest";
import { ACME, DEFAULT_RATE_LIMITS, type RunningSandbox, type SandboxControl, type SandboxOptions } from "../../plugins/personio/sandbox/index.ts";
import { SandboxClient, SMALL_PDF, startTestSandbox, uploadForm, v1Body, type ApiResponse } from "./support/client.ts";

const T0 = Date.parse("2025-03-03T09:00:00Z");

let sandbox: RunningSandbox | undefined;

afterEach(async () => {
  await sandbox?.stop();
  sandbox = undefined;
});

/** Starts a sandbox with rate limits on and the clock fixed at T0, and returns a client with a token. */
async function start(options: SandboxOptions = {}): Promise<{ client: SandboxClient; token: string; control: SandboxControl }> {
  const started = await startTestSandbox({ rateLimits: {}, ...options });
  sandbox = started;
  started.control.setClock(T0);
  const client = new SandboxClient(started.url);
  return { client, token: await client.token(), control: started.control };
}

async function repeat(times: number, call: () => Promise<ApiResponse>): Promise<number[]> {
  const statuses: number[] = [];
  for (let index = 0; index < times; index += 1) {
    statuses.push((await call()).status);
  }
  return statuses;
}

describe("rate limits", () => {
  it("default to the documented values", () => {
    expect(DEFAULT_RATE_LIMITS).toMatchObject({
      enabled: true,
      retryAfterHeader: true,
      global: { limit: 2000, windowMs: 60_000 },
      auth: { limit: 60, windowMs: 60_000, cooldownMs: 60_000 },
      v2Token: { limit: 150, windowMs: 60_000, throttleMs: 60_000 },
      employeesList: { limit: 300, windowMs: 60_000 },
      employeesListBurst: { limit: 15, windowMs: 1_000 },
      documentsUpload: { limit: 60, windowMs: 60_000 },
    });
  });

  it("allow GET employees bursts of 15 per second", async () => {
    const { client, token, control } = await start();
    const list = () => client.get("/v1/company/employees?limit=1", { token });

    const burst = await repeat(15, list);
    const sixteenth = await list();
    control.advanceClock(1_000);
    const nextSecond = await list();

    expect(burst.every((status) => status === 200)).toBe(true);
    expect(sixteenth.status).toBe(429);
    expect(v1Body(sixteenth)).toEqual({ success: false, error: { code: 429, message: "Too many requests. Please retry later." } });
    expect(sixteenth.headers.get("retry-after")).toBe("1");
    expect(nextSecond.status).toBe(200);
  });

  it("allow 300 GET employees per minute", async () => {
    const { client, token, control } = await start();
    const list = () => client.get("/v1/company/employees?limit=1", { token });

    const statuses: number[] = [];
    for (let second = 0; second < 20; second += 1) {
      statuses.push(...(await repeat(15, list)));
      control.advanceClock(1_000);
    }
    const overMinute = await list();
    control.advanceClock(40_000);
    const afterWindow = await list();

    expect(statuses).toHaveLength(300);
    expect(statuses.every((status) => status === 200)).toBe(true);
    expect(overMinute.status).toBe(429);
    expect(overMinute.headers.get("retry-after")).toBe("40");
    expect(afterWindow.status).toBe(200);
  });

  it("count GET employees per credential", async () => {
    const { client, token, control } = await start();
    control.addCredential({ clientId: "second", clientSecret: "s", companyId: ACME.companyId, rights: { employees: { read: true } } });
    const secondToken = await client.token("second", "s");

    await repeat(15, () => client.get("/v1/company/employees?limit=1", { token }));
    const first = await client.get("/v1/company/employees?limit=1", { token });
    const second = await client.get("/v1/company/employees?limit=1", { token: secondToken });

    expect(first.status).toBe(429);
    expect(second.status).toBe(200);
  });

  it("do not limit GET employee by id", async () => {
    const { client, token } = await start();

    const statuses = await repeat(20, () => client.get(`/v1/company/employees/${ACME.employees.katrinVogel}`, { token }));

    expect(statuses.every((status) => status === 200)).toBe(true);
  });

  it("allow 60 document uploads per minute", async () => {
    const { client, token, control } = await start();
    const uploadCv = () =>
      client.post("/v1/company/documents", {
        token,
        multipart: uploadForm(
          { title: "CV", employee_id: ACME.employees.lanNguyen, category_id: ACME.documentCategories.cv },
          { name: "cv.pdf", content: SMALL_PDF },
        ),
      });

    const accepted = await repeat(60, uploadCv);
    const sixtyFirst = await uploadCv();
    control.advanceClock(60_000);
    const nextMinute = await uploadCv();

    expect(accepted.every((status) => status === 201)).toBe(true);
    expect(sixtyFirst.status).toBe(429);
    expect(sixtyFirst.headers.get("retry-after")).toBe("60");
    expect(nextMinute.status).toBe(201);
    expect(control.documents()).toHaveLength(61);
  });

  it("apply the global limit to every v1 route", async () => {
    const { client, token } = await start({ rateLimits: { global: { limit: 4 } } });

    const categories = await client.get("/v1/company/document-categories", { token });
    const attributes = await client.get("/v1/company/employees/attributes", { token });
    const unauthenticated = await client.get("/v1/company/employees");
    const fifth = await client.get(`/v1/company/employees/${ACME.employees.katrinVogel}`, { token });

    expect([categories.status, attributes.status, unauthenticated.status]).toEqual([200, 200, 401]);
    expect(fifth.status).toBe(429);
  });

  it("omit Retry-After when configured", async () => {
    const { client, token } = await start({ rateLimits: { retryAfterHeader: false } });

    await repeat(15, () => client.get("/v1/company/employees?limit=1", { token }));
    const limited = await client.get("/v1/company/employees?limit=1", { token });

    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBeNull();
  });

  it("can be switched off", async () => {
    const { client, token } = await start({ rateLimits: false });

    const statuses = await repeat(20, () => client.get("/v1/company/employees?limit=1", { token }));

    expect(statuses.every((status) => status === 200)).toBe(true);
  });

  it("can be changed at runtime", async () => {
    const { client, token, control } = await start();
    control.setRateLimits({ employeesListBurst: { limit: 2 } });

    const statuses = await repeat(3, () => client.get("/v1/company/employees?limit=1", { token }));

    expect(statuses).toEqual([200, 200, 429]);
  });
});
