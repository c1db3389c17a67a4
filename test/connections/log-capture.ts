/**
 * Lines that the service's pino loggers wrote in this test file. pino writes to file
 * descriptor 1 through sonic-boom, which bypasses process.stdout.write, so the tests that
 * import this module replace pino's default destination with this array (see the vi.mock
 * call in each of those files). The logger options, including redaction, stay as
 * src/logger.ts sets them.
 */
export const capturedLogLines: string[] = [];

export function captureStream() {
  return {
    write(line: string) {
      capturedLogLines.push(line);
    },
  };
}

/** Clears the captured lines, for tests that look at the lines of one step. */
export function clearCapturedLogs(): void {
  capturedLogLines.length = 0;
}
