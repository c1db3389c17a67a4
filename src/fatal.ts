/**
 * An error that the operator fixes outside the code, such as a missing database or a data
 * folder in use. Entry points print its message without a stack trace.
 */
export class OperatorError extends Error {
  override name = 'OperatorError';
}

/** Formats an error that ends a process: the message of an OperatorError, otherwise the stack. */
export function describeFatalError(error: unknown): string {
  if (error instanceof OperatorError) return error.message;
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
