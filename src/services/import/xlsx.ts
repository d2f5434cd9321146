// An intake list saved as an .xlsx workbook (Excel, WPS) → the same records of cells a CSV gives,
// read from the first worksheet; row numbers and column letters are the workbook's own, so a
// problem names the cell the clerk sees.
//
// What a workbook can hold that a CSV cannot, and why each is refused:
// - a formula (in the header or the rows below it): its value is computed, not typed, and may come
//   from anywhere; the file is refused, naming every such cell (第 5 行 C 列（身份证号）是公式).
// - merged cells reaching the header or a row below it: a merged cell belongs to no single row and
//   column. Refused naming each range. A merged title above the header (“××县事实无人抚养儿童名单”
//   across the top) is left alone: the import skips that row anyway.
// - a NUMBER in the identity-number or account column: a spreadsheet keeps 15 significant digits,
//   so an 18-digit number is already 6.30102E+17 and its last digits are gone for good. That cell
//   is an error of its row (naming the cell), as is any long number stored as a number that no
//   longer holds every digit (a phone, an institution code); short ones are read as their digits.
// Dates typed as dates are read as the day they show; TRUE/FALSE as 是/否.
//
// A workbook is a zip: its unpacked size is checked from the zip's directory before exceljs opens
// it (a few kilobytes may unpack to gigabytes), and only the first worksheet is read.
import { IMPORT_COLUMNS, type HeaderLayout, columnLetter } from '../../domain/student-import/layout.ts';
import type { RowProblem } from '../../domain/student-import/row.ts';
import { zipSize } from '../../files/zip-entries.ts';
import { type ReadFile, readImportRecords } from './csv.ts';
import { ImportFileError } from './errors.ts';

/** What an intake workbook may unpack to: a list of 5,000 rows is a few MiB of XML. */
const MAX_UNPACKED_BYTES = 64 * 1024 * 1024;
const MAX_ZIP_ENTRIES = 2000;
/** Columns whose numbers are too long for a spreadsheet number: a number cell there is always refused. */
const PERSONAL_NUMBER_COLUMNS = new Set(['identity_number', 'account_number']);
/** Columns of digits typed as text; a number there is read only when it still holds every digit. */
const DIGIT_COLUMNS = new Set(['phone', 'institution_code']);
/** How many cells a refusal lists, at most (the message says how many there are). */
const LISTED_CELLS = 50;

export const XLSX_SIGNATURE = [0x50, 0x4b, 0x03, 0x04];

interface Place {
  row: number;
  /** 0-based column index. */
  column: number;
}

interface WorkbookCells {
  records: string[][];
  formulas: Place[];
  numbers: (Place & { value: number })[];
  merges: { from: Place; to: Place; range: string }[];
}

const NUMBER_CELL: Omit<RowProblem, 'column'> = {
  code: 'spreadsheet_number_cell',
  message_zh: '此单元格是“数字”格式，长数字的末几位已被电子表格改写，无法恢复；请将此列设为“文本”格式后重新填写',
  message_en: 'This cell is a number: a spreadsheet keeps 15 digits, so the last digits are lost; format the column as Text and type it again.',
};

function isoDay(date: Date): string {
  // exceljs reads a date serial as that day at midnight UTC.
  return date.toISOString().slice(0, 10);
}

/** A cell's value as the text a clerk sees, and whether it is a formula or a number. */
function cellText(value: unknown): { text: string; formula: boolean; number: number | null } {
  if (value === null || value === undefined) return { text: '', formula: false, number: null };
  if (typeof value === 'string') return { text: value, formula: false, number: null };
  if (typeof value === 'number') return { text: String(value), formula: false, number: value };
  if (typeof value === 'boolean') return { text: value ? '是' : '否', formula: false, number: null };
  if (value instanceof Date) return { text: isoDay(value), formula: false, number: null };
  if (typeof value === 'object') {
    const v = value as Record<string, unknown>;
    if ('formula' in v || 'sharedFormula' in v) return { ...cellText(v.result), formula: true };
    if (Array.isArray(v.richText)) return { text: v.richText.map((r: { text?: string }) => r.text ?? '').join(''), formula: false, number: null };
    if ('text' in v) return cellText(v.text);
    if ('error' in v) return { text: String(v.error), formula: false, number: null };
  }
  return { text: '', formula: false, number: null };
}

function place(address: string): Place {
  const m = /^([A-Z]+)(\d+)$/.exec(address.replace(/\$/g, ''));
  if (!m) return { row: 0, column: 0 };
  const column = [...m[1]!].reduce((n, ch) => n * 26 + (ch.charCodeAt(0) - 64), 0) - 1;
  return { row: Number(m[2]), column };
}

async function readCells(bytes: Uint8Array): Promise<WorkbookCells> {
  const size = zipSize(bytes);
  if (size === null) throw new ImportFileError('unreadable_workbook', '(body)');
  if (size.unpackedBytes > MAX_UNPACKED_BYTES || size.entries > MAX_ZIP_ENTRIES) {
    throw new ImportFileError('workbook_too_large', '(body)', { maxMiB: MAX_UNPACKED_BYTES / (1024 * 1024) });
  }
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
  } catch {
    throw new ImportFileError('unreadable_workbook', '(body)');
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) throw new ImportFileError('no_rows', '(body)');
  const out: WorkbookCells = { records: [], formulas: [], numbers: [], merges: [] };
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const cells: string[] = [];
    row.eachCell({ includeEmpty: false }, (cell, col) => {
      // The cells a merge covers beyond its first repeat its value: they are read as empty.
      if (cell.isMerged && cell.master !== cell) return;
      const read = cellText(cell.value);
      cells[col - 1] = read.text;
      if (read.formula) out.formulas.push({ row: rowNumber, column: col - 1 });
      else if (read.number !== null) out.numbers.push({ row: rowNumber, column: col - 1, value: read.number });
    });
    out.records[rowNumber - 1] = Array.from(cells, (c) => c ?? '');
  });
  for (let i = 0; i < out.records.length; i++) out.records[i] ??= [];
  for (const range of (sheet.model as { merges?: string[] }).merges ?? []) {
    const [from, to = from] = range.split(':') as [string, string?];
    out.merges.push({ from: place(from), to: place(to), range: range.replace(/\$/g, '') });
  }
  return out;
}

/** 第 5 行 C 列（身份证号）: the row, the column letter and, when it is a known column, its header. */
function cellName(layout: HeaderLayout, at: Place): { zh: string; en: string } {
  let header: string | undefined;
  for (const [key, index] of layout.indexOf) if (index === at.column) header = layout.headerOf.get(key) ?? key;
  const letter = columnLetter(at.column);
  // The English stays free of Chinese: it names the cell only.
  return { zh: `第 ${at.row} 行 ${letter} 列${header ? `（${header}）` : ''}`, en: `cell ${letter}${at.row}` };
}

function refuseFormulasAndMerges(cells: WorkbookCells, file: ReadFile): void {
  const below = (row: number) => row >= file.headerRow;
  const formulas = cells.formulas.filter((f) => below(f.row));
  if (formulas.length > 0) {
    const fields = formulas.slice(0, LISTED_CELLS).map((f) => {
      const name = cellName(file.layout, f);
      return { path: `${columnLetter(f.column)}${f.row}`, message: `workbook_formula: ${name.zh}是公式 (${name.en} holds a formula)` };
    });
    const first = cellName(file.layout, formulas[0]!);
    throw new ImportFileError('workbook_formula', fields, { first: first.zh, firstEn: first.en, count: formulas.length });
  }
  const merges = cells.merges.filter((m) => below(m.to.row));
  if (merges.length > 0) {
    const fields = merges.slice(0, LISTED_CELLS).map((m) => {
      const name = cellName(file.layout, m.from);
      return { path: m.range, message: `workbook_merged_cells: ${name.zh}起的 ${m.range} 是合并单元格 (${m.range} is merged)` };
    });
    const first = merges[0]!;
    const name = cellName(file.layout, first.from);
    throw new ImportFileError('workbook_merged_cells', fields, {
      first: `${name.zh}起的 ${first.range}`,
      firstEn: `${first.range} at ${name.en}`,
      count: merges.length,
    });
  }
}

/** Numbers where digits are expected: each an error of its row, on its column; the cell is read as empty. */
function numberProblems(cells: WorkbookCells, file: ReadFile): void {
  const keyAt = new Map([...file.layout.indexOf].map(([key, index]) => [index, key]));
  const rowByNumber = new Map(file.rows.map((r) => [r.row, r]));
  for (const n of cells.numbers) {
    const key = keyAt.get(n.column);
    const row = rowByNumber.get(n.row);
    if (!key || !row) continue;
    const exact = Number.isSafeInteger(n.value) && n.value >= 0;
    if (PERSONAL_NUMBER_COLUMNS.has(key) || (DIGIT_COLUMNS.has(key) && !exact)) {
      row.cells[n.column] = '';
      row.formatProblems = [...(row.formatProblems ?? []), { column: key, ...NUMBER_CELL }];
    }
  }
}

/** The first worksheet of an .xlsx workbook, located and checked like a CSV (see the file comment). */
export async function readImportXlsx(bytes: Uint8Array, maxRows: number): Promise<ReadFile> {
  const cells = await readCells(bytes);
  const file = readImportRecords(cells.records, maxRows);
  refuseFormulasAndMerges(cells, file);
  numberProblems(cells, file);
  return file;
}

/** The columns whose cells a workbook should keep as text, for the template. */
export const TEXT_NUMBER_COLUMNS: readonly string[] = IMPORT_COLUMNS.filter((c) => PERSONAL_NUMBER_COLUMNS.has(c.key) || DIGIT_COLUMNS.has(c.key)).map(
  (c) => c.key,
);
