// The template a caseworker hands to counties: the header row in Chinese, in IMPORT_COLUMNS order
// after a `序号` column, and one fictional example row marked `示例` in that column, which the import
// skips — so a list filled in below the example never registers the example by mistake.
import { EXAMPLE_ROW_MARK, IMPORT_COLUMNS } from './layout.ts';

/** Fictional values (the identity number is the API documentation's made-up example). */
const EXAMPLE: Readonly<Record<string, string>> = Object.freeze({
  name: '韩梅梅',
  identity_number: '630102200603151249',
  gender: '女',
  phone: '13800000000',
  bank_name: '中国建设银行西宁城东支行',
  account_number: '6217000000000000123',
  holder_name: '韩梅梅',
  recognised_on: '2019-06-10',
  authority: '西宁市城东区民政局',
  father_situation: '死亡',
  father_disability_grade: '',
  father_lost_contact_months: '',
  mother_situation: '重残',
  mother_disability_grade: '1',
  mother_lost_contact_months: '',
  adopted: '否',
  evidence: '死亡证明|QH-SW-2019-000123|西宁市第一人民医院|2019-03-02; 残疾证|QH-CJ-2018-004567|西宁市残疾人联合会|2018-05-20',
  institution_name: '青海大学',
  institution_code: '4163010743',
  level: '本科',
  admission_date: '2024-09-01',
  expected_graduation: '2028-06-30',
});

function csvCell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

const HEADER = (): string[] => ['序号', ...IMPORT_COLUMNS.map((c) => c.zh)];
const EXAMPLE_ROW = (): string[] => [`${EXAMPLE_ROW_MARK}（导入时忽略）`, ...IMPORT_COLUMNS.map((c) => EXAMPLE[c.key] ?? '')];

/** The template as text, lines ending CRLF (what spreadsheets write); the caller adds a BOM for Excel. */
export function importTemplateCsv(): string {
  return `${[HEADER(), EXAMPLE_ROW()].map((row) => row.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

/** The template's two rows, the header and the example, as cells (for a workbook). */
export function importTemplateRows(): [string[], string[]] {
  return [HEADER(), EXAMPLE_ROW()];
}
