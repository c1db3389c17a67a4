import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  DEFAULT_COMPANIES_CONFIG,
  parseCompaniesConfig,
  SandboxConfigError,
  startPersonioSandbox,
  type CompaniesConfigInput,
} from "../../plugins/personio/sandbox/index.ts";
import { loadConfigFile } from "../../plugins/personio/sandbox/config-file.ts";
import { SandboxClient, startTestSandbox, v1Body } from "./support/client.ts";

const CLI_PATH = fileURLToPath(new URL("../../plugins/personio/sandbox/cli.ts", import.meta.url));

const SMALL_CONFIG: CompaniesConfigInput = {
  companies: [
    {
      id: 7,
      name: "Tiny Ltd",
      timeZone: "Europe/London",
      departments: [{ id: 1, name: "Ops" }],
      documentCategories: [{ id: 3, name: "CV" }],
      employees: [{ id: 70, email: "boss@tiny.example", firstName: "Bo", lastName: "Ss", department: "Ops", hireDate: "2020-07-01" }],
    },
  ],
  credentials: [{ clientId: "tiny", clientSecret: "tiny-secret", companyId: 7, rights: { employees: { read: true, write: true } } }],
};

let directory: string;

/** Returns the message of the SandboxConfigError that `input` raises. */
function configErrorMessage(input: unknown): string {
  try {
    parseCompaniesConfig(input);
  } catch (error) {
    if (error instanceof SandboxConfigError) {
      return error.message;
    }
    throw error;
  }
  throw new Error("The config was accepted.");
}

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), "personio-sandbox-"));
});

afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

describe("companies config", () => {
  it("accepts the default fixtures", () => {
    const config = parseCompaniesConfig(DEFAULT_COMPANIES_CONFIG);

    expect(config.companies[0]?.employees).toHaveLength(10);
    expect(config.credentials[0]?.readableAttributes).toBe("all");
  });

  it("names the path of a field problem", () => {
    const broken = {
      companies: [{ id: 1, name: "Broken", employees: [{ id: 5, email: "not-an-email", firstName: "A", lastName: "B" }] }],
      credentials: [{ clientId: "c", clientSecret: "s", companyId: 1, rights: {} }],
    };

    expect(() => parseCompaniesConfig(broken)).toThrow(SandboxConfigError);
    expect(configErrorMessage(broken)).toContain("companies[0].employees[0].email");
  });

  it("reports cross-reference problems together", () => {
    const broken = {
      companies: [
        {
          id: 1,
          name: "Broken",
          employees: [
            { id: 5, email: "a@b.example", firstName: "A", lastName: "B" },
            { id: 5, email: "A@b.example", firstName: "C", lastName: "D", department: "Nowhere", supervisorId: 99 },
          ],
        },
      ],
      credentials: [{ clientId: "c", clientSecret: "s", companyId: 2, rights: {} }],
    };

    const message = configErrorMessage(broken);

    expect(message).toContain("duplicate employee id 5");
    expect(message).toContain("duplicate email A@b.example");
    expect(message).toContain('unknown department "Nowhere"');
    expect(message).toContain("supervisor 99 is not an employee of company 1");
    expect(message).toContain("company 2 does not exist");
  });

  it("rejects invalid options at start", async () => {
    await expect(startPersonioSandbox({ behaviour: { duplicateEmail: "sometimes" as never } })).rejects.toThrow(/Invalid behaviour option/);
    await expect(startPersonioSandbox({ rateLimits: { global: { limit: -1 } } })).rejects.toThrow(/Invalid rateLimits option/);
  });

  it("serves a custom company with its own time zone", async () => {
    const sandbox = await startTestSandbox({ config: SMALL_CONFIG });
    try {
      const client = new SandboxClient(sandbox.url);
      const token = await client.token("tiny", "tiny-secret");

      const list = await client.get("/v1/company/employees", { token });
      const defaultCredential = await client.post("/v1/auth", { json: { client_id: "sandbox-client-id", client_secret: "sandbox-client-secret" } });
      const employee = (v1Body(list).data as Array<{ attributes: Record<string, { value: unknown }> }>)[0];

      expect(employee?.attributes["email"]?.value).toBe("boss@tiny.example");
      expect(employee?.attributes["hire_date"]?.value).toBe("2020-07-01T00:00:00+01:00");
      expect(defaultCredential.status).toBe(401);
    } finally {
      await sandbox.stop();
    }
  });
});

describe("config file", () => {
  it("loads companies, behaviour and rate limits", async () => {
    const path = join(directory, "sandbox.json");
    await writeFile(path, JSON.stringify({ ...SMALL_CONFIG, behaviour: { duplicateEmail: "create" }, rateLimits: false, latencyMs: 5 }));

    const options = await loadConfigFile(path);

    expect(options.config?.companies?.[0]?.name).toBe("Tiny Ltd");
    expect(options.behaviour).toEqual({ duplicateEmail: "create" });
    expect(options.rateLimits).toBe(false);
    expect(options.latencyMs).toBe(5);
  });

  it("names the file and the problem", async () => {
    const path = join(directory, "broken.json");
    await writeFile(path, JSON.stringify({ companies: [], extra: true }));

    await expect(loadConfigFile(path)).rejects.toThrow(/Invalid config file .*broken\.json/);
  });

  it("reports JSON syntax errors", async () => {
    const path = join(directory, "syntax.json");
    await writeFile(path, "{ not json");

    await expect(loadConfigFile(path)).rejects.toThrow(/is not valid JSON/);
  });
});

describe("command line", () => {
  /** Runs the CLI through tsx and resolves with its output once `until` matches or it exits. */
  function runCli(args: string[], until: RegExp) {
    const child = spawn(process.execPath, ["--import", "tsx", CLI_PATH, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    const ready = new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`CLI gave no match for ${until} within 15 s. stderr: ${stderr}`)), 15_000);
      const check = () => {
        const match = until.exec(stdout + stderr);
        if (match) {
          clearTimeout(timer);
          resolve(match[0]);
        }
      };
      child.stdout.on("data", (chunk: Buffer) => {
        stdout += chunk.toString();
        check();
      });
      child.stderr.on("data", (chunk: Buffer) => {
        stderr += chunk.toString();
        check();
      });
      void exited.then(() => {
        clearTimeout(timer);
        check();
        resolve("");
      });
    });
    return { child, ready, exited, output: () => stdout + stderr };
  }

  it("prints URL and credentials and stops on SIGTERM", { timeout: 30_000 }, async () => {
    const path = join(directory, "cli.json");
    await writeFile(path, JSON.stringify(SMALL_CONFIG));
    const cli = runCli(["--port", "0", "--config", path, "--log-level", "warn"], /listening on (http:\/\/127\.0\.0\.1:\d+)/);

    const line = await cli.ready;
    const url = /http:\/\/127\.0\.0\.1:\d+/.exec(line)?.[0] ?? "";
    const auth = await new SandboxClient(url).post("/v1/auth", { json: { client_id: "tiny", client_secret: "tiny-secret" } });
    cli.child.kill("SIGTERM");
    const exitCode = await cli.exited;

    expect(url).not.toBe("");
    expect(cli.output()).toContain("tiny / tiny-secret");
    expect(auth.status).toBe(200);
    expect(exitCode).toBe(0);
  });

  it("exits 1 with the config problems", { timeout: 30_000 }, async () => {
    const path = join(directory, "cli-broken.json");
    await writeFile(path, JSON.stringify({ companies: [{ id: 1 }], credentials: [] }));
    const cli = runCli(["--port", "0", "--config", path], /Invalid config file/);

    await cli.ready;
    const exitCode = await cli.exited;

    expect(exitCode).toBe(1);
    expect(cli.output()).toContain("companies[0].name");
  });
});
