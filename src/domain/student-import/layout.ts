// The bulk intake file (学生批量导入): which columns a county's list has, what each header may be
// called, and how a header row is read. Pure: no I/O, no clock.
//
// One row per student: the student, the recognition as de facto unsupported (事实无人抚养认定) and
// the enrolment (学籍). Headers are matched after normalisation (NFKC, so full-width letters and
// brackets count as half-width; case, spaces, '_' and '-' ignored; a required-mark `*` or a
// `（必填）`/`(选填)` note dropped), by their Chinese name or an English alias; a bilingual header
// such as `姓名 name` or `姓名/name` is accepted when its parts agree. Column order is free.
// Columns nobody asked for are ignored with a warning (county lists carry extra columns such as
// 户籍地址); `序号` and `备注` are ignored silently.

export type ColumnGroup = 'student' | 'recognition' | 'enrolment';

export interface ColumnSpec {
  /** Stable English key, also accepted as a header. */
  readonly key: string;
  /** The header the template writes. */
  readonly zh: string;
  readonly group: ColumnGroup;
  /** The column must be present (its cells may still be empty when `cellRequired` is false). */
  readonly required: boolean;
  /** Other headers accepted, Chinese or English. */
  readonly aliases: readonly string[];
  /** How to fill the cell, for the documentation and the template. */
  readonly fill: { zh: string; en: string };
}

const spec = (key: string, zh: string, group: ColumnGroup, required: boolean, aliases: string[], fillZh: string, fillEn: string): ColumnSpec =>
  Object.freeze({ key, zh, group, required, aliases: Object.freeze(aliases), fill: Object.freeze({ zh: fillZh, en: fillEn }) });

const SITUATIONS_ZH = '死亡、失踪、重残、重病、服刑在押、强制隔离戒毒、其他限制人身自由、失联、被撤销监护资格、被遣送出境（或驱逐出境）、无';
const SITUATIONS_EN =
  'deceased, missing, severe_disability, serious_illness, serving_sentence, compulsory_drug_rehab, other_liberty_restriction, lost_contact, guardianship_revoked, deported, none';
const DATE_ZH = '日期，写作 2024-09-01、2024/9/1 或 2024年9月1日';
const DATE_EN = 'a date written 2024-09-01, 2024/9/1 or 2024年9月1日';

/** Every column, in the template's order. */
export const IMPORT_COLUMNS: readonly ColumnSpec[] = Object.freeze([
  spec('name', '姓名', 'student', true, ['学生姓名'], '学生姓名，与身份证一致', 'the student’s name as on the identity card'),
  spec(
    'identity_number',
    '身份证号',
    'student',
    true,
    ['身份证号码', '公民身份号码', 'id_number'],
    '18位居民身份证号码（Excel中请将此列设为“文本”格式）',
    '18-character resident identity number (format the column as Text in Excel)',
  ),
  spec('gender', '性别', 'student', true, ['sex'], '男 或 女，须与身份证号第17位一致', '男 or 女 (male/female), matching the 17th digit of the number'),
  spec('phone', '联系电话', 'student', false, ['电话', '手机号', '手机号码'], '可空；手机或固定电话', 'optional; mobile or landline'),
  spec('bank_name', '开户银行', 'student', true, ['开户行', 'bank'], '开户银行及网点', 'bank and branch'),
  spec(
    'account_number',
    '银行账号',
    'student',
    true,
    ['银行卡号', '账号'],
    '12至30位数字，可含空格（Excel中请设为“文本”格式）',
    '12–30 digits, spaces allowed (format as Text in Excel)',
  ),
  spec('holder_name', '户名', 'student', true, ['账户名', '开户人', 'account_holder'], '必须是学生本人', 'must be the student'),
  spec(
    'recognised_on',
    '认定日期',
    'recognition',
    true,
    ['认定时间', 'recognized_on'],
    `${DATE_ZH}；须在学生年满18周岁之前`,
    `${DATE_EN}; before the student’s 18th birthday`,
  ),
  spec('authority', '认定机关', 'recognition', true, ['认定单位'], '作出认定的民政部门', 'the civil-affairs bureau that recognised the child'),
  spec('father_situation', '父亲情况', 'recognition', true, [], SITUATIONS_ZH, SITUATIONS_EN),
  spec('father_disability_grade', '父亲残疾等级', 'recognition', false, [], '仅“重残”时填写：1至4（或“一级”…“四级”）', 'only with 重残: 1 to 4'),
  spec('father_lost_contact_months', '父亲失联月数', 'recognition', false, [], '仅“失联”时填写：整月数', 'only with 失联: whole months'),
  spec('mother_situation', '母亲情况', 'recognition', true, [], SITUATIONS_ZH, SITUATIONS_EN),
  spec('mother_disability_grade', '母亲残疾等级', 'recognition', false, [], '仅“重残”时填写：1至4（或“一级”…“四级”）', 'only with 重残: 1 to 4'),
  spec('mother_lost_contact_months', '母亲失联月数', 'recognition', false, [], '仅“失联”时填写：整月数', 'only with 失联: whole months'),
  spec('adopted', '是否被收养', 'recognition', true, ['是否收养'], '是 或 否', '是 (yes) or 否 (no)'),
  spec(
    'evidence',
    '证明材料',
    'recognition',
    true,
    [],
    '每份材料写“类型|编号|签发机关|日期”，多份之间用分号隔开，如：死亡证明|QH-SW-2019-000123|西宁市第一人民医院|2019-03-02; 判决书|(2018)青0102刑初45号|西宁市城东区人民法院|2018-11-20（全角｜和；也可以）',
    'each document as type|number|issuer|date, documents separated by semicolons; full-width ｜ and ； are accepted',
  ),
  spec('institution_name', '学校名称', 'enrolment', true, ['就读学校', 'school'], '就读学校全称', 'the institution’s full name'),
  spec(
    'institution_code',
    '学校代码',
    'enrolment',
    true,
    ['学校标识码'],
    '学校标识码（10位），字母、数字或连字符',
    'the institution code (学校标识码), letters, digits or hyphens',
  ),
  spec(
    'level',
    '层次',
    'enrolment',
    true,
    ['学历层次', '就读层次'],
    '高职、大专 或 本科',
    '高职 (higher_vocational), 大专 (junior_college) or 本科 (undergraduate)',
  ),
  spec('admission_date', '入学日期', 'enrolment', true, ['入学时间'], DATE_ZH, DATE_EN),
  spec(
    'expected_graduation',
    '预计毕业',
    'enrolment',
    true,
    ['预计毕业日期', '预计毕业时间'],
    `${DATE_ZH}；须晚于入学日期`,
    `${DATE_EN}; after the admission date`,
  ),
]);

export type ColumnKey = string;

/** Headers read and then ignored without a warning: row numbers and remarks that lists carry. */
export const IGNORED_HEADERS: readonly string[] = Object.freeze(['序号', '备注', 'no', 'remarks', 'notes']);

/** In the `序号` column, this marks the template's example row, which is never imported. */
export const EXAMPLE_ROW_MARK = '示例';

/** The form headers are compared in. */
export function normaliseHeader(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[\u200b-\u200d\ufeff]/g, '')
    .replace(/[(（[【]\s*(必填|选填|可选|可空|required|optional)\s*[)）\]】]/giu, '')
    .replace(/\*/g, '')
    .toLowerCase()
    .replace(/[\s_-]+/gu, '');
}

const LOOKUP = new Map<string, ColumnKey | 'ignored'>();
for (const column of IMPORT_COLUMNS) {
  for (const name of [column.zh, column.key, ...column.aliases]) LOOKUP.set(normaliseHeader(name), column.key);
}
for (const name of IGNORED_HEADERS) LOOKUP.set(normaliseHeader(name), 'ignored');

/** Which column a header names: its key, 'ignored', or undefined when it names none. */
export function columnForHeader(header: string): ColumnKey | 'ignored' | undefined {
  const whole = LOOKUP.get(normaliseHeader(header));
  if (whole) return whole;
  // Bilingual headers: `姓名 name`, `姓名/name`, `姓名(name)`. Every part that names something must agree.
  const parts = header
    .normalize('NFKC')
    .split(/[\s/|()[\]]+/u)
    .map(normaliseHeader)
    .filter((p) => p.length > 0);
  if (parts.length < 2) return undefined;
  const named = new Set(parts.map((p) => LOOKUP.get(p)).filter((k): k is ColumnKey => k !== undefined));
  return named.size === 1 ? [...named][0] : undefined;
}

export interface HeaderLayout {
  /** Column key → index of its cell in each row. */
  readonly indexOf: ReadonlyMap<ColumnKey, number>;
  /** The header as written in the file, per column key (so reports use the clerk's own words). */
  readonly headerOf: ReadonlyMap<ColumnKey, string>;
  /** Index of the `序号` column, where the example row is marked. */
  readonly sequenceIndex: number | null;
  /** Headers that named no column, with their index: ignored, reported as warnings. */
  readonly unknown: readonly { index: number; header: string }[];
}

export type HeaderProblem = { code: 'missing_column'; key: ColumnKey } | { code: 'duplicate_column'; key: ColumnKey; headers: string[] };

export type HeaderResult = { ok: true; layout: HeaderLayout } | { ok: false; problems: HeaderProblem[] };

/** Reads a header row: every required column present once, no column twice. */
export function readHeader(cells: readonly string[]): HeaderResult {
  const indexOf = new Map<ColumnKey, number>();
  const headerOf = new Map<ColumnKey, string>();
  const seen = new Map<ColumnKey, string[]>();
  const unknown: { index: number; header: string }[] = [];
  let sequenceIndex: number | null = null;
  cells.forEach((raw, index) => {
    const header = raw.trim();
    if (header === '') return;
    const key = columnForHeader(header);
    if (key === 'ignored') {
      if (normaliseHeader(header) === normaliseHeader('序号') || normaliseHeader(header) === 'no') sequenceIndex ??= index;
      return;
    }
    if (key === undefined) {
      unknown.push({ index, header });
      return;
    }
    seen.set(key, [...(seen.get(key) ?? []), header]);
    if (!indexOf.has(key)) {
      indexOf.set(key, index);
      headerOf.set(key, header);
    }
  });
  const problems: HeaderProblem[] = [];
  for (const column of IMPORT_COLUMNS) {
    if (column.required && !indexOf.has(column.key)) problems.push({ code: 'missing_column', key: column.key });
  }
  for (const [key, headers] of seen) if (headers.length > 1) problems.push({ code: 'duplicate_column', key, headers });
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, layout: { indexOf, headerOf, sequenceIndex, unknown } };
}

/** How many known columns a row names: the header is the first row naming at least a few. */
export function countKnownHeaders(cells: readonly string[]): number {
  return cells.filter((c) => {
    const key = columnForHeader(c.trim());
    return key !== undefined && key !== 'ignored';
  }).length;
}

/** Spreadsheet column letters for a 0-based index: 0 → A, 25 → Z, 26 → AA. */
export function columnLetter(index: number): string {
  let n = index + 1;
  let letters = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    letters = String.fromCharCode(65 + r) + letters;
    n = Math.floor((n - 1) / 26);
  }
  return letters;
}
