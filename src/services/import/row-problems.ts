// What the single-record use cases and their request schemas say about a row, turned into row
// problems: the column of the file (from the field path), a stable code, and the reason in Chinese
// and English. Their messages never carry the values themselves, so neither do these.
import type { ZodError } from 'zod';
import { DomainError, type FieldProblem } from '../../domain/errors.ts';
import type { RowProblem } from '../../domain/student-import/row.ts';

/** Field paths of RegisterStudent / RecordRecognition / RecordEnrolment → the file's column. */
const COLUMN_OF_PATH: Readonly<Record<string, string>> = Object.freeze({
  identityNumber: 'identity_number',
  name: 'name',
  gender: 'gender',
  phone: 'phone',
  'bankAccount.bankName': 'bank_name',
  'bankAccount.accountNumber': 'account_number',
  'bankAccount.holderName': 'holder_name',
  recognisedOn: 'recognised_on',
  authority: 'authority',
  'father.situation': 'father_situation',
  'father.disabilityGrade': 'father_disability_grade',
  'father.lostContactMonths': 'father_lost_contact_months',
  'mother.situation': 'mother_situation',
  'mother.disabilityGrade': 'mother_disability_grade',
  'mother.lostContactMonths': 'mother_lost_contact_months',
  adopted: 'adopted',
  evidence: 'evidence',
  institutionName: 'institution_name',
  institutionCode: 'institution_code',
  level: 'level',
  admissionDate: 'admission_date',
  expectedGraduation: 'expected_graduation',
});

function columnOf(path: string): { column: string; documentIndex: number | null } {
  const evidence = /^evidence\.(\d+)(?:\.|$)/.exec(path);
  if (evidence) return { column: 'evidence', documentIndex: Number(evidence[1]) };
  // A path naming no column (none expected): a problem of the row as a whole.
  return { column: COLUMN_OF_PATH[path] ?? '', documentIndex: null };
}

interface Words {
  code: string;
  zh: string;
  en: string;
}

/** The English field messages of the use cases and schemas, with the Chinese beside them. */
const KNOWN: readonly [RegExp, (m: RegExpExecArray) => Omit<Words, 'en'>][] = [
  [/^must not be empty$/, () => ({ code: 'required', zh: '不能为空' })],
  [/^must be at most (\d+) characters$/, (m) => ({ code: 'too_long', zh: `不能超过${m[1]}个字符` })],
  [/^must be 1–(\d+) characters$/, (m) => ({ code: 'too_long', zh: `应为1至${m[1]}个字符` })],
  [/^must be 12–30 digits/, () => ({ code: 'invalid_account_number', zh: '银行账号应为12至30位数字' })],
  [/^must be a phone number/, () => ({ code: 'invalid_phone', zh: '电话号码应为6至20位数字，可以+86开头' })],
  [/^does not match the identity number/, () => ({ code: 'gender_mismatch', zh: '性别与身份证号码不符（第17位奇数为男、偶数为女）' })],
  [/^is required with severe_disability/, () => ({ code: 'disability_grade_required', zh: '情况为“重残”时必须填写残疾等级（1至4级）' })],
  [/^must be a grade from 1 to 4$/, () => ({ code: 'disability_grade_out_of_range', zh: '残疾等级应为1至4级' })],
  [/^is given only with severe_disability$/, () => ({ code: 'disability_grade_not_applicable', zh: '只有情况为“重残”时才填写残疾等级' })],
  [/^is required with lost_contact$/, () => ({ code: 'lost_contact_months_required', zh: '情况为“失联”时必须填写失联月数' })],
  [/^must be a whole number of months/, () => ({ code: 'lost_contact_months_invalid', zh: '失联月数应为0或正整数' })],
  [/^is given only with lost_contact$/, () => ({ code: 'lost_contact_months_not_applicable', zh: '只有情况为“失联”时才填写失联月数' })],
  [/^at least one document is needed/, () => ({ code: 'evidence_required', zh: '至少需要一份证明材料：认定须有依据' })],
  [/^must not be after recognisedOn/, () => ({ code: 'evidence_after_recognition', zh: '证明材料的日期不能晚于认定日期' })],
  [/^must be after admissionDate$/, () => ({ code: 'graduation_not_after_admission', zh: '预计毕业日期必须晚于入学日期' })],
  [/^must be 1–32 letters, digits or hyphens$/, () => ({ code: 'invalid_institution_code', zh: '学校代码应为1至32位字母、数字或连字符' })],
  [/^must be 18 characters$/, () => ({ code: 'length', zh: '身份证号码应为18位' })],
  [/^Too big: expected number to be <=(\d+)$/, (m) => ({ code: 'too_large', zh: `不能大于${m[1]}` })],
  [/^Too small: expected number to be >=(\d+)$/, (m) => ({ code: 'too_small', zh: `不能小于${m[1]}` })],
  [/^Too big: expected array to have <=(\d+) items$/, (m) => ({ code: 'too_many', zh: `不能超过${m[1]}项` })],
];

/** `code: 中文 (English)` (identity numbers) and `中文 (English)` (rules) carry both languages already. */
const BILINGUAL = /^(?:([a-z_]+): )?([^()]*[\u3400-\u9fff][^()]*?)\s*\((.+)\)$/su;

function words(message: string, fallbackCode: string): Words {
  const both = BILINGUAL.exec(message);
  if (both && !message.startsWith('does not match')) return { code: both[1] ?? fallbackCode, zh: both[2]!.trim(), en: both[3]!.trim() };
  for (const [pattern, make] of KNOWN) {
    const m = pattern.exec(message);
    if (m) return { ...make(m), en: message };
  }
  return { code: fallbackCode, zh: '不符合要求（见英文说明）', en: message };
}

function fromField(field: FieldProblem, fallbackCode = 'invalid'): RowProblem {
  const { column, documentIndex } = columnOf(field.path);
  const w = words(field.message, fallbackCode);
  const prefix = documentIndex === null ? { zh: '', en: '' } : { zh: `第${documentIndex + 1}份证明材料：`, en: `document ${documentIndex + 1}: ` };
  return { column, code: w.code, message_zh: prefix.zh + w.zh, message_en: prefix.en + w.en };
}

/** A schema's refusal of a row part (the same schema the single-record endpoint validates with). */
export function problemsFromZod(error: ZodError): RowProblem[] {
  return error.issues.map((issue) => fromField({ path: issue.path.map(String).join('.'), message: issue.message }));
}

/** A use case's refusal; null when it is not a refusal of the input (an unexpected error to rethrow). */
export function problemsFromDomainError(error: unknown): RowProblem[] | null {
  if (!(error instanceof DomainError) || error.kind === 'forbidden' || error.kind === 'unauthenticated') return null;
  if ('fields' in error && Array.isArray(error.fields) && error.fields.length > 0) {
    return (error.fields as FieldProblem[]).map((f) => fromField(f));
  }
  const field = typeof error.details.field === 'string' ? error.details.field : defaultPathFor(error.code);
  return [fromField({ path: field, message: error.message }, error.code)].map((p) => ({ ...p, code: error.code }));
}

/** Where a refusal without a field belongs; '' for the row as a whole. */
function defaultPathFor(code: string): string {
  switch (code) {
    case 'duplicate_student':
      return 'identityNumber';
    case 'bank_account_in_use':
      return 'bankAccount.accountNumber';
    case 'duplicate_recognition':
      return 'recognisedOn';
    case 'duplicate_enrolment':
      return 'institutionCode';
    default:
      return '';
  }
}
