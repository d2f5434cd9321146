// Structured JSON logs, one object per line. Callers pass ids, codes and counts — never names,
// identity numbers, account numbers or request bodies.
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

export function createLogger(level: LogLevel = 'info', write: (line: string) => void = (l) => process.stdout.write(`${l}\n`)): Logger {
  const log =
    (at: Exclude<LogLevel, 'silent'>) =>
    (msg: string, fields: Record<string, unknown> = {}) => {
      if (ORDER[at] < ORDER[level]) return;
      write(JSON.stringify({ time: new Date().toISOString(), level: at, msg, ...fields }));
    };
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

/**
 * Database errors can quote the values that broke a constraint. Long digit runs (identity and
 * account numbers) are cut out of anything we log from an error.
 */
export function scrub(text: string): string {
  return text.replace(/\d{6,}[\dXx]*/g, '[redacted]');
}

/** What an unexpected error may say in a log: its class, code and scrubbed message and stack. */
export function describeError(error: unknown): Record<string, unknown> {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return {
      errorName: error.name,
      ...(typeof code === 'string' ? { errorCode: code } : {}),
      errorMessage: scrub(error.message),
      stack: error.stack ? scrub(error.stack) : undefined,
    };
  }
  return { errorName: typeof error };
}
