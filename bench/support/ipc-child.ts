import { fork } from 'node:child_process';

/**
 * Child processes that benchmarks talk to over Node's IPC channel, so a server under test runs
 * in a process of its own (its CPU time and memory are its own) while the benchmark can still
 * query it. Protocol: the parent sends the start options as the first message; the child
 * sends `{ id: 0, value }` once it is ready, then responds to each `{ id, query }` with
 * `{ id, value }` or `{ id, error }`. The child stops when the parent disconnects.
 */

interface Reply {
  id: number;
  value?: unknown;
  error?: string;
}

export interface IpcChild {
  pid: number;
  /** Sends a query and resolves with the child's response. */
  ask<T>(query: object): Promise<T>;
  /** Disconnects, which makes the child stop; kills it when it has not exited after 15 s. */
  stop(): Promise<void>;
}

export interface ForkOptions {
  /** Name used in error messages, such as "Personio sandbox". */
  name: string;
  env?: NodeJS.ProcessEnv;
  /** Node options on top of `--import tsx`. */
  nodeOptions?: string[];
  startTimeoutMs?: number;
  queryTimeoutMs?: number;
}

const STOP_TIMEOUT_MS = 15_000;

/** Forks `entry` (a TypeScript file run through tsx), sends it `startMessage` and waits until it is ready. */
export async function forkIpcChild<Ready>(entry: string, startMessage: unknown, options: ForkOptions): Promise<{ child: IpcChild; ready: Ready }> {
  const child = fork(entry, [], {
    execArgv: ['--import', 'tsx', ...(options.nodeOptions ?? [])],
    env: options.env ?? process.env,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  let nextId = 1;
  let exitCode: number | null = null;
  child.on('message', (message) => {
    const reply = message as Reply;
    const waiter = pending.get(reply.id);
    if (!waiter) return;
    pending.delete(reply.id);
    if (reply.error !== undefined) waiter.reject(new Error(`${options.name}: ${reply.error}`));
    else waiter.resolve(reply.value);
  });
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      exitCode = code ?? -1;
      for (const waiter of pending.values()) waiter.reject(new Error(`The ${options.name} process exited (code ${code}, signal ${signal}).`));
      pending.clear();
      resolve();
    }),
  );

  function waitFor<T>(id: number, description: string, timeoutMs: number): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new Error(`The ${options.name} process did not respond to ${description} within ${timeoutMs / 1000} s.`));
      }, timeoutMs);
      pending.set(id, {
        resolve: (value) => {
          clearTimeout(timer);
          resolve(value as T);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
    });
  }

  async function stop(): Promise<void> {
    if (exitCode !== null) return;
    if (child.connected) child.disconnect();
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  }

  const started = waitFor<Ready>(0, 'its start', options.startTimeoutMs ?? 180_000);
  child.send(startMessage as object);
  let ready: Ready;
  try {
    ready = await started;
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    ready,
    child: {
      pid: child.pid!,
      ask<T>(query: object): Promise<T> {
        const id = nextId++;
        const answer = waitFor<T>(id, JSON.stringify(query), options.queryTimeoutMs ?? 60_000);
        child.send({ id, query });
        return answer;
      },
      stop,
    },
  };
}

export interface ChildServer<Ready> {
  ready: Ready;
  handle(query: any): unknown;
  stop(): Promise<void>;
}

/** Runs the child's side: starts with the parent's options, responds to queries and stops on disconnect. */
export async function serveParent<Options, Ready>(start: (options: Options) => Promise<ChildServer<Ready>>): Promise<void> {
  const send = (reply: Reply) => process.send?.(reply);
  const options = await new Promise<Options>((resolve) => process.once('message', (message) => resolve(message as Options)));
  let server: ChildServer<Ready>;
  try {
    server = await start(options);
  } catch (error) {
    send({ id: 0, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    process.disconnect?.();
    process.exitCode = 1;
    return;
  }
  process.on('message', (message) => {
    const { id, query } = message as { id: number; query: unknown };
    Promise.resolve()
      .then(() => server.handle(query))
      .then(
        (value) => send({ id, value }),
        (error: unknown) => send({ id, error: error instanceof Error ? error.message : String(error) }),
      );
  });
  process.once('disconnect', () => {
    void server.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`Stopping failed: ${String(error)}\n`);
        process.exit(1);
      },
    );
  });
  send({ id: 0, value: server.ready });
}
