// One CSV record's text → its cells (RFC 4180, as Excel reads it). A line without a quote is
// split directly (the common case, and the fast one); a quoted cell may hold the delimiter, ""
// for a quote, and line breaks — then the record is incomplete until its closing quote arrives
// on a later line, which the caller detects by a null result and retries with the next line
// appended.
//
// Excel's leniencies are kept, so that the reader sees what an auditor sees when opening the file
// in a spreadsheet: a quote inside an unquoted cell is a plain character (="6222…"), and text after
// a closing quote is appended to the cell ("abc"def → abcdef). Spaces before an opening quote are
// dropped.

const QUOTE = 34;
const SPACE = 32;

/** The cells of one record, or null when a quoted cell is still open at the end of `text`. */
export function splitRecord(text: string, delimiter: string): string[] | null {
  if (text.indexOf('"') < 0) return text.split(delimiter);
  const cells: string[] = [];
  const n = text.length;
  let i = 0;
  for (;;) {
    let start = i;
    while (start < n && text.charCodeAt(start) === SPACE) start++;
    if (start < n && text.charCodeAt(start) === QUOTE) {
      let value: string | undefined;
      let j = start + 1;
      for (;;) {
        const q = text.indexOf('"', j);
        if (q < 0) return null;
        if (text.charCodeAt(q + 1) === QUOTE) {
          value = (value ?? '') + text.slice(j, q + 1);
          j = q + 2;
          continue;
        }
        value = value === undefined ? text.slice(j, q) : value + text.slice(j, q);
        i = q + 1;
        break;
      }
      // Anything up to the next delimiter belongs to the same cell (Excel's reading).
      const d = text.indexOf(delimiter, i);
      const end = d < 0 ? n : d;
      if (end > i) value += text.slice(i, end);
      cells.push(value);
      if (d < 0) return cells;
      i = d + delimiter.length;
    } else {
      const d = text.indexOf(delimiter, i);
      if (d < 0) {
        cells.push(text.slice(i));
        return cells;
      }
      cells.push(text.slice(i, d));
      i = d + delimiter.length;
    }
  }
}

/**
 * Joins physical lines into records: a quoted cell may span lines (an address, a note), so a line
 * that leaves a quote open waits for the next. Bounded: a quote still open after `maxLines` lines
 * (or `maxChars` characters) is a broken file, reported at the line where the quote opened.
 */
export class RecordJoiner {
  private pendingText: string | undefined;
  private pendingLine = 0;

  constructor(
    private readonly limits: { maxLines: number; maxChars: number },
    /** Throws: the quote opened on `line` is not closed within the limits. */
    private readonly notClosed: (line: number, maxLines: number) => never,
  ) {}

  /** True while a quoted cell opened on an earlier line is still open. */
  get open(): boolean {
    return this.pendingText !== undefined;
  }

  /** The line where the quote still open opened, or undefined (for the end of the file). */
  get openSince(): number | undefined {
    return this.pendingText === undefined ? undefined : this.pendingLine;
  }

  /** The cells of the record that line `n` completes and the line it began on, or null while a quote stays open. */
  take(line: string, n: number, delimiter: string): { cells: string[]; line: number } | null {
    const text = this.pendingText === undefined ? line : `${this.pendingText}\n${line}`;
    const cells = splitRecord(text, delimiter);
    if (cells !== null) {
      const first = this.pendingText === undefined ? n : this.pendingLine;
      this.pendingText = undefined;
      return { cells, line: first };
    }
    if (this.pendingText === undefined) this.pendingLine = n;
    else if (n - this.pendingLine >= this.limits.maxLines || text.length > this.limits.maxChars) this.notClosed(this.pendingLine, this.limits.maxLines);
    this.pendingText = text;
    return null;
  }
}
