/**
 * Counts SQL statements between start() and stop(). Pass `counter.onStatement` as the
 * `onStatement` option of startTestService; statements outside a counting window are ignored.
 */
export interface StatementCounter {
  onStatement(sql: string): void;
  /** Clears the recorded statements and starts recording. */
  start(): void;
  /** Stops recording and returns how many statements were sent since start(). */
  stop(): number;
  /** Number of statements recorded in the current or last window. */
  count(): number;
  /** SQL text of the recorded statements, for failure messages. */
  statements(): readonly string[];
}

export function createStatementCounter(): StatementCounter {
  const recorded: string[] = [];
  let recording = false;
  return {
    onStatement(sql) {
      if (recording) recorded.push(sql);
    },
    start() {
      recorded.length = 0;
      recording = true;
    },
    stop() {
      recording = false;
      return recorded.length;
    },
    count: () => recorded.length,
    statements: () => [...recorded],
  };
}
