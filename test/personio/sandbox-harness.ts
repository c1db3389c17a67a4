import type { HrisSession, ReferenceData } from '../../src/hris/index.ts';
import { personioPlugin, createPersonioProvider, type PersonioCredentials } from '../../plugins/personio/index.ts';
import { startPersonioSandbox, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, type RunningSandbox, type SandboxOptions } from '../../plugins/personio/sandbox/index.ts';
import type { Clock } from '../../plugins/personio/http/clock.ts';
import { capturingLogger, VirtualClock, type LogLine } from './helpers.ts';

export const SANDBOX_CREDENTIALS = { clientId: DEFAULT_CLIENT_ID, clientSecret: DEFAULT_CLIENT_SECRET, appId: 'acme-gmbh' } as const;

export interface ConnectOptions {
  credentials?: { clientId: string; clientSecret: string; appId: string };
  /** Environment variables of the plugin besides PERSONIO_BASE_URL. */
  variables?: Record<string, string>;
  /** Defaults to a VirtualClock, so backoff and pacing take no real time. */
  clock?: Clock;
  baseUrl?: string;
}

/** A session whose optional methods are present, as the manifest's capabilities promise. */
export type FullSession = Required<HrisSession>;

export interface Connection {
  session: FullSession;
  /** Opens another session of the same provider, which shares its token cache. */
  openSession(credentials?: ConnectOptions['credentials']): FullSession;
  logs: LogLine[];
  clock: Clock;
}

/** Builds a fresh provider (empty token cache) against the sandbox, through the plugin's public schemas. */
export function connect(sandbox: RunningSandbox, options: ConnectOptions = {}): Connection {
  const settings = personioPlugin.settingsSchema.parse({ PERSONIO_BASE_URL: options.baseUrl ?? sandbox.url, ...options.variables });
  const logger = capturingLogger();
  const clock = options.clock ?? new VirtualClock();
  const provider = createPersonioProvider(settings, { environment: 'test', logger }, { clock, random: () => 0.5 });
  const openSession = (credentials: ConnectOptions['credentials'] = options.credentials ?? SANDBOX_CREDENTIALS): FullSession =>
    withCapabilityMethods(provider.session(personioPlugin.manifest.credentials.parse(credentials) as PersonioCredentials));
  return { session: openSession(), openSession, logs: logger.lines, clock };
}

function withCapabilityMethods(session: HrisSession): FullSession {
  const { updateEmployee, uploadDocument } = session;
  if (updateEmployee === undefined || uploadDocument === undefined) {
    throw new Error('The Personio session lacks updateEmployee or uploadDocument although the manifest declares them.');
  }
  return { ...pick(session), updateEmployee: updateEmployee.bind(session), uploadDocument: uploadDocument.bind(session) };
}

function pick(session: HrisSession): Omit<FullSession, 'updateEmployee' | 'uploadDocument'> {
  return {
    verify: () => session.verify(),
    referenceData: () => session.referenceData(),
    findEmployeeByEmail: (email) => session.findEmployeeByEmail(email),
    createEmployee: (hire, reference) => session.createEmployee(hire, reference),
    employeeUrl: (employeeId) => session.employeeUrl(employeeId),
  };
}

export async function startSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  return startPersonioSandbox({ port: 0, ...options });
}

export async function referenceOf(session: HrisSession): Promise<ReferenceData> {
  const result = await session.referenceData();
  if (!result.ok) {
    throw new Error(`referenceData failed: ${result.failure.kind} ${result.failure.message}`);
  }
  return result.value;
}

/** Returns the value of a successful result, or fails the test with the failure. */
export function expectOk<T>(result: { ok: true; value: T } | { ok: false; failure: { kind: string; message: string } }): T {
  if (!result.ok) {
    throw new Error(`Expected success, got ${result.failure.kind}: ${result.failure.message}`);
  }
  return result.value;
}
