// Two error types. CsvStatementError: the bank file cannot be used (it names the line and the
// problem). CsvMappingError: the column mapping (a preset name or a config file) cannot be used.
// Both mean "could not run" to the reconcile CLI (exit code 2); one instanceof tells either apart
// from a bug in our code.

/**
 * Why a statement file was refused. Every code means the file as a whole is unusable: the caller
 * must not act on any event it already received from the same stream.
 */
export type CsvStatementErrorCode =
  /** The input holds no text at all (zero bytes, or only blank lines). */
  | 'empty'
  /** Not a CSV text file: an Excel workbook, UTF-16, binary data, HTML or XML. Save it as CSV. */
  | 'not-csv'
  /** Bytes that do not decode in the file's encoding (explicit, or detected at its start). */
  | 'encoding'
  /** CSV syntax: a quoted field that is never closed, or a line longer than the limit. */
  | 'syntax'
  /** None of the first lines is a header naming the required columns. Wrong preset or config? */
  | 'no-header'
  /** A header was found but lacks required columns (the message names them and their aliases). */
  | 'missing-column'
  /** A line has more non-empty cells than the header: usually an unquoted "1,234.50". */
  | 'columns'
  /** A date or time that is malformed, does not exist (2025-02-30) or is out of range. */
  | 'date'
  /** A booking date outside the period the statement's title states, or a reversed period. */
  | 'period'
  /** A malformed amount, an entry with no amount, or one with both a debit and a credit. */
  | 'amount'
  /** A debit/credit flag that is not one of the mapping's values, or contradicts the sign. */
  | 'direction'
  /** A currency other than the mapping's (CNY unless configured), or one not recognised. */
  | 'currency'
  /** A line whose own-account column names another account than the statement's. */
  | 'account'
  /** Summary lines: totals that disagree with the entries, or an entry after the 合计 line. */
  | 'footer';

export interface CsvErrorLocation {
  /** 1-based physical line in the file (a record spanning lines is named by its first line). */
  line?: number;
  /** The header text of the column concerned, when there is one. */
  column?: string;
  /** The file's name, when the caller gave it (readCsvStatement's `fileName` option). */
  fileName?: string;
}

export class CsvStatementError extends Error {
  readonly code: CsvStatementErrorCode;
  readonly line: number | undefined;
  readonly column: string | undefined;
  readonly fileName: string | undefined;
  /** The problem alone, without the location prefix. */
  readonly reason: string;

  constructor(code: CsvStatementErrorCode, reason: string, where: CsvErrorLocation = {}, options?: { cause?: unknown }) {
    // The location goes into the message: most people only ever read the message.
    const place = [
      where.fileName,
      where.line !== undefined ? `line ${where.line}` : undefined,
      where.column !== undefined ? `column "${where.column}"` : undefined,
    ].filter((p) => p !== undefined);
    super(place.length > 0 ? `bank CSV: ${place.join(', ')}: ${reason}` : `bank CSV: ${reason}`, options);
    this.name = 'CsvStatementError';
    this.code = code;
    this.reason = reason;
    this.line = where.line;
    this.column = where.column;
    this.fileName = where.fileName;
  }
}

/** A preset name that does not exist, or a config file that is not valid JSON or not a mapping. */
export class CsvMappingError extends Error {
  constructor(
    message: string,
    /** One line per problem, "columns.debit: expected string or array of strings". */
    readonly problems: string[] = [],
    options?: { cause?: unknown },
  ) {
    super(problems.length > 0 ? `${message}:\n${problems.map((p) => `  - ${p}`).join('\n')}` : message, options);
    this.name = 'CsvMappingError';
  }
}
