import pino, { type Logger } from 'pino';

/** Paths pino blanks in every log line: credentials and tokens must never reach a log. */
export const redactedPaths = [
  'authorization',
  'headers.authorization',
  'req.headers.authorization',
  'clientSecret',
  '*.clientSecret',
  'credentials',
  '*.credentials',
  'token',
  '*.token',
  'secret',
  '*.secret',
  'password',
  '*.password',
];

export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'hris-export' },
    redact: { paths: redactedPaths, censor: '[redacted]' },
  });
}
