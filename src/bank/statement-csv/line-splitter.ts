// Decoded text, arriving in pieces cut anywhere, → numbered physical lines. Both streaming CSV
// readers (the statement machine here and the payouts' bank result reader) need exactly this:
// keep the unfinished last line of a piece, break on \n, drop a \r before it, number the lines
// from 1, and refuse an unfinished line that grows past a limit (a file whose line breaks are not
// \n / \r\n, or that is not text at all) instead of holding it all. Each reader says what a line
// means and how "too long" is reported; the splitting is written once here.
//
// This runs once per line of files with millions of lines: the loop stays a plain indexOf/slice
// and calls the reader once per line; the error callback is only reached when a line is refused.

export class LineSplitter {
  /** The unfinished last line of the text pushed so far (without its \n, which has not come). */
  private carry = '';
  private lineNo = 0;

  /**
   * @param maxLineChars an unfinished line longer than this is refused
   * @param onLine called with each line (without \n or \r\n) and its number, counted from 1
   * @param onTooLong must throw; given the number of the line that is too long
   */
  constructor(
    private readonly maxLineChars: number,
    private readonly onLine: (text: string, lineNo: number) => void,
    private readonly onTooLong: (lineNo: number) => never,
  ) {}

  /** Lines passed to onLine so far (after finish(): the lines in the file). */
  get lineCount(): number {
    return this.lineNo;
  }

  /** Takes the next piece of text (any length, cut anywhere) and passes on the lines it ends. */
  push(text: string): void {
    let buf = this.carry.length > 0 ? this.carry + text : text;
    let start = 0;
    for (;;) {
      const nl = buf.indexOf('\n', start);
      if (nl < 0) break;
      const end = nl > start && buf.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
      this.onLine(buf.slice(start, end), ++this.lineNo);
      start = nl + 1;
    }
    buf = start === 0 ? buf : buf.slice(start);
    if (buf.length > this.maxLineChars) this.onTooLong(this.lineNo + 1);
    this.carry = buf;
  }

  /** After the last piece: passes on the last line if the text did not end with a line break. */
  finish(): void {
    if (this.carry.length > 0) {
      const last = this.carry.endsWith('\r') ? this.carry.slice(0, -1) : this.carry;
      this.carry = '';
      this.onLine(last, ++this.lineNo);
    }
  }

  /** The number of the line that position `at` of `text`, the next piece to be pushed, is on. */
  lineAt(text: string, at: number): number {
    let line = this.lineNo + 1;
    for (const s of [this.carry, text.slice(0, at)]) {
      for (let i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', i + 1)) line++;
    }
    return line;
  }
}
