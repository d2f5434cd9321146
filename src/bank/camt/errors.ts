// One error type for every way a camt file can be unusable, so callers (the reconcile CLI, an
// upload route) can tell "the bank file is bad" apart from a bug in our code with one instanceof.

export interface CamtErrorLocation {
  /** 1-based line in the XML text, when known. */
  line?: number;
  /** 1-based column in the XML text, when known. */
  column?: number;
  /** Element path, e.g. "Stmt[2]/Ntry[15]/Amt", when known. */
  element?: string;
}

export class CamtFormatError extends Error {
  readonly line: number | undefined;
  readonly column: number | undefined;
  readonly element: string | undefined;

  constructor(message: string, where: CamtErrorLocation = {}, options?: { cause?: unknown }) {
    // The location goes into the message as well: most people only ever read the message.
    const place = [
      where.element !== undefined ? `at ${where.element}` : undefined,
      where.line !== undefined ? `line ${where.line}${where.column !== undefined ? `:${where.column}` : ''}` : undefined,
    ].filter((p) => p !== undefined);
    super(place.length > 0 ? `camt: ${message} (${place.join(', ')})` : `camt: ${message}`, options);
    this.name = 'CamtFormatError';
    this.line = where.line;
    this.column = where.column;
    this.element = where.element;
  }
}
