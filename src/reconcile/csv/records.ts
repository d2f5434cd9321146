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
