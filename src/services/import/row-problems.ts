// What the single-record use cases and their request schemas say about a row, turned into row
// problems: the column of the file (from the field path), a stable code, and the reason in Chinese
// and English (the error catalogue's words, src/domain/error-catalogue.ts). Their messages never
// carry the values themselves, so neither do these.
import type { ZodError } from 'zod';
import { fieldMessageWords } from '../../domain/error-catalogue.ts';
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

/** A problem at a field path: its column, and the words with "document n" in front for evidence. */
function problemAt(path: string, code: string, zh: string, en: string): RowProblem {
  const { column, documentIndex } = columnOf(path);
  const prefix = documentIndex === null ? { zh: '', en: '' } : { zh: `第${documentIndex + 1}份证明材料：`, en: `document ${documentIndex + 1}: ` };
  return { column, code, message_zh: prefix.zh + zh, message_en: prefix.en + en };
}

/** A field message in both languages (the error catalogue's Chinese), under its code where one is known. */
function fromField(field: FieldProblem): RowProblem {
  const w = fieldMessageWords(field.message);
  return problemAt(field.path, w.code ?? 'invalid', w.zh, w.en);
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
  return [problemAt(field, error.code, error.messageZh, error.message)];
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
