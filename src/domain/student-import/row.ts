// One row of the bulk intake file → the inputs of the three single-record use cases (register a
// student, record a recognition, record an enrolment). Pure: it reads cells and reports what cannot
// be read; every business rule (identity number, holder, recognition timing, graduation after
// admission, …) is left to the use cases themselves, so an import accepts exactly what the
// single-record endpoints accept.
//
// Each part is null when one of its own cells could not be read, so that the caller can still run
// the parts that could: a bad level does not hide a bad identity number.
import type { IsoDate } from '../calendar-date.ts';
import type { ParentSituationKind } from '../recognition.ts';
import {
  type Cell,
  type CellProblem,
  type EvidenceCell,
  type ImportLevel,
  REQUIRED,
  cleanText,
  numberText,
  parseDate,
  parseEvidence,
  parseGender,
  parseGrade,
  parseLevel,
  parseMonths,
  parseSituation,
  parseYesNo,
} from './cells.ts';
import type { ColumnKey } from './layout.ts';

export interface StudentPart {
  identityNumber: string;
  name: string;
  gender: 'male' | 'female';
  phone: string | null;
  bankAccount: { bankName: string; accountNumber: string; holderName: string };
}

export interface ParentPart {
  situation: ParentSituationKind;
  disabilityGrade: number | null;
  lostContactMonths: number | null;
}

export interface RecognitionPart {
  recognisedOn: IsoDate;
  authority: string;
  father: ParentPart;
  mother: ParentPart;
  adopted: boolean;
  evidence: EvidenceCell[];
}

export interface EnrolmentPart {
  institutionName: string;
  institutionCode: string;
  level: ImportLevel;
  admissionDate: IsoDate;
  expectedGraduation: IsoDate;
}

export interface RowProblem extends CellProblem {
  /** The column the problem is in (its key; see IMPORT_COLUMNS); '' for the row as a whole. */
  column: ColumnKey;
}

export interface MappedRow {
  student: StudentPart | null;
  recognition: RecognitionPart | null;
  enrolment: EnrolmentPart | null;
  problems: RowProblem[];
  /** The identity number cell as written, markers removed, for masking and duplicate detection. */
  identityNumberText: string;
  /** The name cell as written (trimmed), for masking. */
  nameText: string;
}

/** The cells of one row by column key; a column absent from the file reads as an empty cell. */
export type RowCells = (key: ColumnKey) => string | undefined;

/** Lists are typed by hand: account numbers come grouped in fours; only the digits count. */
function digitsOnly(text: string): string {
  return text.replace(/[\s-]/g, '');
}

export function mapImportRow(cells: RowCells): MappedRow {
  const problems: RowProblem[] = [];
  /** Reads a cell; a problem is recorded against the column and `bad` is set for the part. */
  const read = <T>(column: ColumnKey, cell: Cell<T>, part: { bad: boolean }): T | undefined => {
    if (cell.ok) return cell.value;
    problems.push({ column, ...cell.problem });
    part.bad = true;
    return undefined;
  };
  const text = (column: ColumnKey, part: { bad: boolean }): string => {
    const value = cleanText(cells(column));
    if (value === '') read(column, { ok: false, problem: REQUIRED }, part);
    return value;
  };
  const requiredCell = <T>(column: ColumnKey, parse: (cell: string | undefined) => Cell<T>, part: { bad: boolean }): T | undefined => {
    if (cleanText(cells(column)) === '') return read<T>(column, { ok: false, problem: REQUIRED }, part);
    return read(column, parse(cells(column)), part);
  };
  const numberCell = (column: ColumnKey, part: { bad: boolean }, required: boolean): string | undefined => {
    const value = read(column, numberText(cells(column)), part);
    if (value === '' && required) read(column, { ok: false, problem: REQUIRED }, part);
    return value;
  };

  const s = { bad: false };
  const identityNumber = numberCell('identity_number', s, true);
  const name = text('name', s);
  const gender = requiredCell('gender', parseGender, s);
  const phone = numberCell('phone', s, false);
  const bankName = text('bank_name', s);
  const accountNumber = numberCell('account_number', s, true);
  const holderName = text('holder_name', s);

  const r = { bad: false };
  const recognisedOn = requiredCell('recognised_on', parseDate, r);
  const authority = text('authority', r);
  const parent = (role: 'father' | 'mother'): ParentPart | undefined => {
    const situation = requiredCell(`${role}_situation`, parseSituation, r);
    const disabilityGrade = read(`${role}_disability_grade`, parseGrade(cells(`${role}_disability_grade`)), r);
    const lostContactMonths = read(`${role}_lost_contact_months`, parseMonths(cells(`${role}_lost_contact_months`)), r);
    if (situation === undefined || disabilityGrade === undefined || lostContactMonths === undefined) return undefined;
    return { situation, disabilityGrade, lostContactMonths };
  };
  const father = parent('father');
  const mother = parent('mother');
  const adopted = requiredCell('adopted', parseYesNo, r);
  const evidence = read('evidence', parseEvidence(cells('evidence')), r);

  const e = { bad: false };
  const institutionName = text('institution_name', e);
  const institutionCode = numberCell('institution_code', e, true);
  const level = requiredCell('level', parseLevel, e);
  const admissionDate = requiredCell('admission_date', parseDate, e);
  const expectedGraduation = requiredCell('expected_graduation', parseDate, e);

  return {
    student:
      s.bad || identityNumber === undefined || gender === undefined || phone === undefined || accountNumber === undefined
        ? null
        : { identityNumber, name, gender, phone: phone === '' ? null : phone, bankAccount: { bankName, accountNumber: digitsOnly(accountNumber), holderName } },
    recognition:
      r.bad || recognisedOn === undefined || father === undefined || mother === undefined || adopted === undefined || evidence === undefined
        ? null
        : { recognisedOn, authority, father, mother, adopted, evidence },
    enrolment:
      e.bad || institutionCode === undefined || level === undefined || admissionDate === undefined || expectedGraduation === undefined
        ? null
        : { institutionName, institutionCode, level, admissionDate, expectedGraduation },
    problems,
    identityNumberText: identityNumber ?? cleanText(cells('identity_number')),
    nameText: name,
  };
}

/** True when every cell of the row is empty: spreadsheets write such rows at the end of a list. */
export function isBlankRow(cells: readonly string[]): boolean {
  return cells.every((c) => cleanText(c) === '');
}
