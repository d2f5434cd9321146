// Rows of a county's intake list for the bulk intake tests: a fresh fictional student per row who
// imports cleanly (born on the default date, recognised at 13, admitted 2024), as CSV text or as an
// .xlsx workbook whose cells are typed as a clerk types them (text, unless told otherwise).
import ExcelJS from 'exceljs';
import { IMPORT_COLUMNS } from '../../src/domain/student-import/layout.ts';
import { fictionalAccountNumber, fictionalIdentityNumber } from './students.ts';

export type IntakeRow = Record<string, string>;
export const INTAKE_KEYS = IMPORT_COLUMNS.map((c) => c.key);
export const INTAKE_HEADER = IMPORT_COLUMNS.map((c) => c.zh);

let counter = 0;
const GIVEN = ['梅', '兰', '竹', '菊', '松', '柏', '桃', '李', '杏', '梨', '荷', '莲'];

/** A name unlike any other this file made. */
export function freshName(): string {
  counter++;
  return `卓${GIVEN[counter % GIVEN.length]}${GIVEN[Math.floor(counter / GIVEN.length) % GIVEN.length]}${'云霞雪霜'[Math.floor(counter / 144) % 4]}`;
}

export function intakeRow(overrides: IntakeRow = {}): IntakeRow {
  const name = overrides.name ?? freshName();
  return {
    name,
    identity_number: fictionalIdentityNumber({ gender: 'female' }),
    gender: '女',
    phone: '13800001234',
    bank_name: '中国建设银行西宁城东支行',
    account_number: fictionalAccountNumber(),
    holder_name: name,
    recognised_on: '2019-06-10',
    authority: '西宁市城东区民政局',
    father_situation: '死亡',
    father_disability_grade: '',
    father_lost_contact_months: '',
    mother_situation: '服刑在押',
    mother_disability_grade: '',
    mother_lost_contact_months: '',
    adopted: '否',
    evidence: '死亡证明|QH-SW-2019-000123|西宁市第一人民医院|2019-03-02',
    institution_name: '青海大学',
    institution_code: '4163010743',
    level: '本科',
    admission_date: '2024-09-01',
    expected_graduation: '2028-06-30',
    ...overrides,
  };
}

const csvCell = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

export function intakeCsv(rows: IntakeRow[]): string {
  return `${[INTAKE_HEADER, ...rows.map((r) => INTAKE_KEYS.map((k) => r[k] ?? ''))].map((line) => line.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

export interface WorkbookOptions {
  /** Cells written as numbers (as Excel stores digits typed into a General cell), by row index and key. */
  numbers?: { row: number; key: string }[];
  /** Cells written as dates (as Excel stores a date typed into a General cell), by row index and key. */
  dates?: { row: number; key: string }[];
  /** A cell holding a formula instead of its value. */
  formula?: { row: number; key: string };
  /** A range to merge, e.g. 'A3:B3'. */
  merge?: string;
  /** A title row above the header, merged across (as county lists have). */
  title?: string;
}

/** The rows as an .xlsx workbook: header on row 1 (row 2 with a title), rows below it. */
export async function intakeXlsx(rows: IntakeRow[], options: WorkbookOptions = {}): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('名单');
  if (options.title) {
    sheet.addRow([options.title]);
    sheet.mergeCells(1, 1, 1, INTAKE_KEYS.length);
  }
  sheet.addRow(INTAKE_HEADER);
  rows.forEach((r, i) => {
    const values: unknown[] = INTAKE_KEYS.map((k) => r[k] ?? '');
    for (const n of options.numbers ?? []) if (n.row === i) values[INTAKE_KEYS.indexOf(n.key)] = Number(r[n.key]);
    for (const d of options.dates ?? []) if (d.row === i) values[INTAKE_KEYS.indexOf(d.key)] = new Date(`${r[d.key]}T00:00:00Z`);
    if (options.formula?.row === i) values[INTAKE_KEYS.indexOf(options.formula.key)] = { formula: '"x"&"y"', result: r[options.formula.key] };
    sheet.addRow(values);
  });
  if (options.merge) sheet.mergeCells(options.merge);
  return new Uint8Array((await workbook.xlsx.writeBuffer()) as ArrayBuffer);
}
