// Text → records of cells, numbered as in the file: record 1 is the first row a spreadsheet shows
// (a quoted cell may hold line breaks, so a record can span several text lines; its number is still
// the spreadsheet's row number). Comma-separated; a file whose first line has tabs and no comma is
// read as tab-separated (a list pasted from a spreadsheet into a text editor).
//
// The header is the first row that names at least three known columns, among the first ten rows:
// county lists often carry a title row (e.g. “××县事实无人抚养儿童名单”) above the header, which is
// skipped with a warning. Blank rows are skipped; the `序号` example row of the template is skipped.
import Papa from 'papaparse';
import { EXAMPLE_ROW_MARK, type HeaderLayout, IMPORT_COLUMNS, countKnownHeaders, readHeader } from '../../domain/student-import/layout.ts';
import { cleanText } from '../../domain/student-import/cells.ts';
import { type RowProblem, isBlankRow } from '../../domain/student-import/row.ts';
import { ImportFileError } from './errors.ts';

export interface FileRow {
  /** The row's number in the file, the header's row being counted (header alone in the file → 1). */
  row: number;
  cells: string[];
  /** Problems of how a workbook stored a cell (a long number stored as a number), by column key. */
  formatProblems?: RowProblem[];
}

export interface ImportWarning {
  row?: number;
  column?: string;
  code: string;
  message_zh: string;
  message_en: string;
}

export interface ReadFile {
  headerRow: number;
  layout: HeaderLayout;
  rows: FileRow[];
  warnings: ImportWarning[];
}

const HEADER_SEARCH_ROWS = 10;
const MIN_KNOWN_HEADERS = 3;

function delimiterOf(text: string): string {
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  return firstLine.includes('\t') && !firstLine.includes(',') ? '\t' : ',';
}

/** Parses the text and locates the header; refuses (400) what is not an intake list. */
export function readImportCsv(text: string, maxRows: number): ReadFile {
  const parsed = Papa.parse<string[]>(text, { delimiter: delimiterOf(text), skipEmptyLines: false });
  const quoteError = parsed.errors.find((e) => e.type === 'Quotes');
  if (quoteError) {
    const row = (quoteError.row ?? 0) + 1;
    throw new ImportFileError('not_csv', `row ${row}`, { cause: 'unclosed_quote', row });
  }
  return readImportRecords(parsed.data, maxRows);
}

/**
 * Records of cells (record i is the file's row i + 1, CSV or a worksheet alike) → the header and
 * the student rows; refuses (400) what is not an intake list.
 */
export function readImportRecords(records: string[][], maxRows: number): ReadFile {
  const warnings: ImportWarning[] = [];

  let headerIndex = -1;
  for (let i = 0; i < Math.min(records.length, HEADER_SEARCH_ROWS); i++) {
    if (countKnownHeaders(records[i]!) >= MIN_KNOWN_HEADERS) {
      headerIndex = i;
      break;
    }
  }
  // No row looks like a header: read the first non-blank one as the header, so the refusal names the missing columns.
  if (headerIndex < 0)
    headerIndex = Math.max(
      0,
      records.findIndex((r) => !isBlankRow(r)),
    );
  const header = readHeader(records[headerIndex] ?? []);
  if (!header.ok) {
    const fields = header.problems.map((p) => {
      const spec = IMPORT_COLUMNS.find((c) => c.key === p.key)!;
      return p.code === 'missing_column'
        ? { path: `${spec.zh} ${spec.key}`, message: `missing_column: 缺少必填列“${spec.zh}” (the required column ${spec.key} is missing)` }
        : {
            path: `${spec.zh} ${spec.key}`,
            message: `duplicate_column: 列“${spec.zh}”出现了多次 (the column ${spec.key} appears more than once: ${p.headers.join(', ')})`,
          };
    });
    throw new ImportFileError('invalid_header', fields, { headerRow: headerIndex + 1 });
  }
  const { layout } = header;
  for (let i = 0; i < headerIndex; i++) {
    if (!isBlankRow(records[i]!))
      warnings.push({ row: i + 1, code: 'title_row_ignored', message_zh: '表头之前的行已忽略', message_en: 'a row above the header was ignored' });
  }
  for (const u of layout.unknown) {
    warnings.push({
      column: u.header,
      code: 'unknown_column_ignored',
      message_zh: '无法识别的列，已忽略',
      message_en: 'a column this import does not know; ignored',
    });
  }

  const rows: FileRow[] = [];
  for (let i = headerIndex + 1; i < records.length; i++) {
    const cells = records[i]!;
    if (isBlankRow(cells)) continue;
    if (layout.sequenceIndex !== null && cleanText(cells[layout.sequenceIndex]).startsWith(EXAMPLE_ROW_MARK)) {
      warnings.push({ row: i + 1, code: 'example_row_ignored', message_zh: '模板示例行，未导入', message_en: 'the template’s example row; not imported' });
      continue;
    }
    rows.push({ row: i + 1, cells });
  }
  if (rows.length === 0) {
    throw new ImportFileError('no_rows', '(body)');
  }
  if (rows.length > maxRows) {
    throw new ImportFileError('too_many_rows', '(body)', { rows: rows.length, max: maxRows });
  }
  return { headerRow: headerIndex + 1, layout, rows, warnings };
}
