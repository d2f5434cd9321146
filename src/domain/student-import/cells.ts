// Reading one cell of the bulk intake file into a value. Pure. A failure is a reason code with
// Chinese and English words, never the cell's content (cells hold personal data).
//
// What a clerk may write:
// - dates: 2024-09-01, 2024/9/1 (how Excel in Chinese locales writes dates back), 2024年9月1日;
//   month and day with or without a leading zero; the day must exist. Nothing else (no 2024.9.1,
//   no Excel serial numbers, no two-digit years).
// - gender: 男 / 女 (or male / female);  yes/no: 是 / 否 (or yes / no);
// - level: 高职 / 大专 / 本科 (or the API names higher_vocational / junior_college / undergraduate);
// - parent situation: the Chinese names below (or the API names);
// - disability grade: 1–4, 1级, 一级; months: 7, 7个月;
// - long numbers (identity, account, phone, institution code): as digits; a leading apostrophe and
//   the ="…" form that spreadsheets use to keep digits as text are removed, and a number that a
//   spreadsheet has already turned into 6.30102E+17 is refused with a hint (its digits are lost).
import { formatIsoDate, isRealDate, type IsoDate } from '../calendar-date.ts';
import type { ParentSituationKind } from '../recognition.ts';

export interface CellProblem {
  code: string;
  message_zh: string;
  message_en: string;
}

export type Cell<T> = { ok: true; value: T } | { ok: false; problem: CellProblem };

const ok = <T>(value: T): Cell<T> => ({ ok: true, value });
const fail = (code: string, message_zh: string, message_en: string): Cell<never> => ({ ok: false, problem: { code, message_zh, message_en } });

export const REQUIRED: CellProblem = Object.freeze({ code: 'required', message_zh: '必填，不能为空', message_en: 'is required' });

/** Invisible characters that spreadsheets and copy-paste leave in cells. */
const INVISIBLE = /[\u200b-\u200d\u2060\ufeff]/g;

/** Trimmed, without invisible characters; empty cells are ''. */
export function cleanText(cell: string | undefined): string {
  return (cell ?? '').replace(INVISIBLE, '').trim();
}

/** A cell holding a long number, with the spreadsheet's text markers taken off. */
export function numberText(cell: string | undefined): Cell<string> {
  let text = cleanText(cell);
  const formula = /^="(.*)"$/s.exec(text);
  if (formula) text = formula[1]!.trim();
  else if (text.startsWith("'")) text = text.slice(1).trim();
  if (/^\d+(?:\.\d+)?[eE]\+?\d+$/.test(text)) {
    return fail(
      'spreadsheet_scientific_notation',
      '该数字已被电子表格转换为科学计数法，原数字已丢失；请将此列设为“文本”格式后重新填写',
      'A spreadsheet turned this number into scientific notation and its digits are lost; format the column as Text and type it again.',
    );
  }
  return ok(text);
}

const DATE_FORMS = [/^(\d{4})-(\d{1,2})-(\d{1,2})$/, /^(\d{4})\/(\d{1,2})\/(\d{1,2})$/, /^(\d{4})年(\d{1,2})月(\d{1,2})日$/u];

export function parseDate(cell: string | undefined): Cell<IsoDate> {
  const text = cleanText(cell).normalize('NFKC').replace(/\s+/g, '');
  for (const form of DATE_FORMS) {
    const m = form.exec(text);
    if (!m) continue;
    const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
    if (!isRealDate(year, month, day)) break;
    return ok(formatIsoDate({ year, month, day }));
  }
  return fail(
    'invalid_date',
    '日期应写作 2024-09-01、2024/9/1 或 2024年9月1日，且须是真实存在的日期',
    'must be a real date written 2024-09-01, 2024/9/1 or 2024年9月1日',
  );
}

function choose<T>(table: Readonly<Record<string, T>>, cell: string | undefined, problem: CellProblem): Cell<T> {
  const text = cleanText(cell).normalize('NFKC').replace(/\s+/g, '');
  const found = table[text] ?? table[text.toLowerCase()];
  return found === undefined ? { ok: false, problem } : ok(found);
}

const GENDERS: Readonly<Record<string, 'male' | 'female'>> = Object.freeze({ 男: 'male', 女: 'female', male: 'male', female: 'female' });
export function parseGender(cell: string | undefined): Cell<'male' | 'female'> {
  return choose(GENDERS, cell, { code: 'unknown_gender', message_zh: '性别应填“男”或“女”', message_en: 'must be 男 (male) or 女 (female)' });
}

const YES_NO: Readonly<Record<string, boolean>> = Object.freeze({ 是: true, 否: false, yes: true, no: false });
export function parseYesNo(cell: string | undefined): Cell<boolean> {
  return choose(YES_NO, cell, { code: 'unknown_yes_no', message_zh: '应填“是”或“否”', message_en: 'must be 是 (yes) or 否 (no)' });
}

export type ImportLevel = 'higher_vocational' | 'junior_college' | 'undergraduate';
const LEVELS: Readonly<Record<string, ImportLevel>> = Object.freeze({
  高职: 'higher_vocational',
  大专: 'junior_college',
  本科: 'undergraduate',
  higher_vocational: 'higher_vocational',
  junior_college: 'junior_college',
  undergraduate: 'undergraduate',
});
export function parseLevel(cell: string | undefined): Cell<ImportLevel> {
  return choose(LEVELS, cell, {
    code: 'unknown_level',
    message_zh: '层次应填“高职”“大专”或“本科”',
    message_en: 'must be 高职 (higher_vocational), 大专 (junior_college) or 本科 (undergraduate)',
  });
}

/** The Chinese names a county writes, and the API's names, for each parent situation. */
export const SITUATION_NAMES: Readonly<Record<string, ParentSituationKind>> = Object.freeze({
  死亡: 'deceased',
  失踪: 'missing',
  宣告失踪: 'missing',
  重残: 'severe_disability',
  重病: 'serious_illness',
  服刑在押: 'serving_sentence',
  强制隔离戒毒: 'compulsory_drug_rehab',
  其他限制人身自由: 'other_liberty_restriction',
  被执行其他限制人身自由的措施: 'other_liberty_restriction',
  失联: 'lost_contact',
  被撤销监护资格: 'guardianship_revoked',
  '被遣送/驱逐出境': 'deported',
  被遣送出境: 'deported',
  被驱逐出境: 'deported',
  '被遣送(驱逐)出境': 'deported',
  无: 'none',
  有抚养能力: 'none',
  deceased: 'deceased',
  missing: 'missing',
  severe_disability: 'severe_disability',
  serious_illness: 'serious_illness',
  serving_sentence: 'serving_sentence',
  compulsory_drug_rehab: 'compulsory_drug_rehab',
  other_liberty_restriction: 'other_liberty_restriction',
  lost_contact: 'lost_contact',
  guardianship_revoked: 'guardianship_revoked',
  deported: 'deported',
  none: 'none',
});

export function parseSituation(cell: string | undefined): Cell<ParentSituationKind> {
  return choose(SITUATION_NAMES, cell, {
    code: 'unknown_situation',
    message_zh: '情况应为：死亡、失踪、重残、重病、服刑在押、强制隔离戒毒、其他限制人身自由、失联、被撤销监护资格、被遣送/驱逐出境、无',
    message_en:
      'must be one of 死亡 deceased, 失踪 missing, 重残 severe_disability, 重病 serious_illness, 服刑在押 serving_sentence, 强制隔离戒毒 compulsory_drug_rehab, 其他限制人身自由 other_liberty_restriction, 失联 lost_contact, 被撤销监护资格 guardianship_revoked, 被遣送/驱逐出境 deported, 无 none',
  });
}

const CHINESE_DIGITS: Readonly<Record<string, number>> = Object.freeze({ 一: 1, 二: 2, 三: 3, 四: 4 });

/** Empty → null. Whether the grade fits the situation and lies in 1–4 is the recognition rule's to say. */
export function parseGrade(cell: string | undefined): Cell<number | null> {
  const text = cleanText(cell).normalize('NFKC').replace(/\s+/g, '');
  if (text === '') return ok(null);
  const m = /^(\d+|[一二三四])级?$/u.exec(text);
  if (!m) return fail('not_a_grade', '残疾等级应填 1 至 4 的数字（或“一级”至“四级”）', 'must be a grade written 1 to 4 (or 一级 to 四级)');
  return ok(CHINESE_DIGITS[m[1]!] ?? Number(m[1]));
}

/** Empty → null; otherwise whole months, optionally followed by 个月 or 月. */
export function parseMonths(cell: string | undefined): Cell<number | null> {
  const text = cleanText(cell).normalize('NFKC').replace(/\s+/g, '');
  if (text === '') return ok(null);
  const m = /^(\d{1,6})(?:个月|个|月)?$/u.exec(text);
  if (!m) return fail('not_whole_months', '失联月数应填整数月数，如 7 或 7个月', 'must be a whole number of months, e.g. 7 or 7个月');
  return ok(Number(m[1]));
}

export interface EvidenceCell {
  documentType: string;
  documentNumber: string;
  issuer: string;
  issuedOn: IsoDate;
}

/**
 * Evidence: documents separated by `;` (or `；`, or a line break inside the cell), each written
 * `type|number|issuer|date` (`｜` accepted for `|`). Empty items (a trailing `;`) are skipped.
 * The problem names the document by its position (第2份 / document 2), never by its number.
 */
export function parseEvidence(cell: string | undefined): Cell<EvidenceCell[]> {
  const items = cleanText(cell)
    .split(/[;；\r\n]+/u)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  if (items.length === 0) return { ok: false, problem: REQUIRED };
  const documents: EvidenceCell[] = [];
  for (const [i, item] of items.entries()) {
    const parts = item.split(/[|｜]/u).map((p) => p.trim());
    const n = i + 1;
    if (parts.length !== 4 || parts.slice(0, 3).some((p) => p === '')) {
      return fail(
        'invalid_evidence',
        `第${n}份证明材料应写作“类型|编号|签发机关|日期”，四项都不能为空`,
        `document ${n} must be written type|number|issuer|date, all four filled in`,
      );
    }
    const date = parseDate(parts[3]);
    if (!date.ok)
      return fail('invalid_evidence_date', `第${n}份证明材料的日期：${date.problem.message_zh}`, `document ${n}: the date ${date.problem.message_en}`);
    documents.push({ documentType: parts[0]!, documentNumber: parts[1]!, issuer: parts[2]!, issuedOn: date.value });
  }
  return ok(documents);
}
