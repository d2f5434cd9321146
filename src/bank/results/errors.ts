// One error type for every way a bank result file can be unusable, so that the service maps it
// with one instanceof to a 422 problem naming the line. The readers' own errors (CamtFormatError,
// CsvStatementError) are wrapped, keeping their line and their message.
import { CamtFormatError } from '../camt/index.ts';
import { CsvStatementError } from '../statement-csv/index.ts';

export class BankResultFileError extends Error {
  /** 1-based physical line of the problem; null when it concerns the file as a whole. */
  readonly line: number | null;
  /** The problem alone, without the location prefix. */
  readonly reason: string;

  constructor(reason: string, line: number | null, options?: { cause?: unknown }) {
    // The line goes into the message as well: most people only ever read the message.
    super(line === null ? `bank result file: ${reason}` : `bank result file, line ${line}: ${reason}`, options);
    this.name = 'BankResultFileError';
    this.line = line;
    this.reason = reason;
  }
}

/**
 * The error as a BankResultFileError when it says the file is bad; anything else (an I/O error, a
 * bug) is returned unchanged, so that it is not reported to the uploader as their file's fault.
 */
export function asBankResultFileError(err: unknown): unknown {
  if (err instanceof BankResultFileError) return err;
  if (err instanceof CamtFormatError) return new BankResultFileError(err.message, err.line ?? null, { cause: err });
  if (err instanceof CsvStatementError) return new BankResultFileError(err.reason, err.line ?? null, { cause: err });
  return err;
}
