/**
 * Command line entry of the Personio sandbox: `npm run sandbox:personio -- --port 4010 --config file.json`.
 */
import { parseArgs } from "node:util";
import { pino } from "pino";
import { loadConfigFile } from "./config-file.ts";
import { SandboxConfigError } from "./config-schema.ts";
import { CONTROL_PREFIX } from "./control-http.ts";
import { ACME, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET } from "./fixtures.ts";
import { startPersonioSandbox, type SandboxOptions } from "./server.ts";

const DEFAULT_PORT = 4010;

const USAGE = `Usage: npm run sandbox:personio -- [options]

Options:
  --port N          TCP port to listen on (default ${DEFAULT_PORT}; 0 picks a free port)
  --host HOST       interface to listen on (default 127.0.0.1)
  --config FILE     JSON file with companies, credentials, behaviour, rateLimits, latencyMs
  --latency MS      latency added to every Personio request, in ms (default 0)
  --no-rate-limits  switch rate limiting off
  --log-level LEVEL pino log level: debug, info, warn, error (default info)
  --help            print this help
`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      port: { type: "string" },
      host: { type: "string" },
      config: { type: "string" },
      latency: { type: "string" },
      "no-rate-limits": { type: "boolean" },
      "log-level": { type: "string" },
      help: { type: "boolean" },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }

  const port = parseNonNegativeInteger(values.port, "--port") ?? DEFAULT_PORT;
  const latencyMs = parseNonNegativeInteger(values.latency, "--latency");
  const options: SandboxOptions = values.config === undefined ? {} : await loadConfigFile(values.config);
  options.port = port;
  options.host = values.host ?? "127.0.0.1";
  if (latencyMs !== undefined) options.latencyMs = latencyMs;
  if (values["no-rate-limits"]) options.rateLimits = false;
  options.logger = pino({ level: values["log-level"] ?? "info" });

  const sandbox = await startPersonioSandbox(options);
  printBanner(sandbox.url, credentialsOf(options));

  await new Promise<void>((resolve) => {
    const shutdown = (signal: NodeJS.Signals) => {
      options.logger?.info({ signal }, "Stopping Personio sandbox");
      void sandbox.stop().then(resolve);
    };
    process.once("SIGINT", shutdown);
    process.once("SIGTERM", shutdown);
  });
  return 0;
}

function parseNonNegativeInteger(raw: string | undefined, flag: string): number | undefined {
  if (raw === undefined) {
    return undefined;
  }
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) {
    throw new SandboxConfigError(`${flag} must be a non-negative integer, got "${raw}".`);
  }
  return value;
}

interface BannerCredential {
  clientId: string;
  clientSecret: string;
  companyId: number;
}

function credentialsOf(options: SandboxOptions): BannerCredential[] {
  const credentials = options.config?.credentials;
  if (credentials === undefined) {
    return [{ clientId: DEFAULT_CLIENT_ID, clientSecret: DEFAULT_CLIENT_SECRET, companyId: ACME.companyId }];
  }
  return credentials.map(({ clientId, clientSecret, companyId }) => ({ clientId, clientSecret, companyId }));
}

function printBanner(url: string, credentials: BannerCredential[]): void {
  const lines = [
    "",
    `Personio sandbox listening on ${url}`,
    `  v1 API:      ${url}/v1   (POST /v1/auth for a token)`,
    `  v2 token:    ${url}/v2/auth/token`,
    `  control API: ${url}${CONTROL_PREFIX}`,
    "",
    "Credentials (client_id / client_secret, company):",
    ...credentials.map((credential) => `  ${credential.clientId} / ${credential.clientSecret}  (company ${credential.companyId})`),
    "App ID: any company subdomain is accepted; connect the service with acme-gmbh.",
    "",
    "Press Ctrl+C to stop.",
    "",
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
}

main().then(
  (exitCode) => {
    process.exitCode = exitCode;
  },
  (error: unknown) => {
    if (error instanceof SandboxConfigError) {
      process.stderr.write(`${error.message}\n`);
    } else {
      process.stderr.write(`Personio sandbox failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    }
    process.exitCode = 1;
  },
);
