// The student forms' fields (flat names, e.g. `bankAccount.bankName`, `evidence.0.issuedOn`) as the
// inputs of the use cases. Nothing is checked here: each use case's own schema does that, so the
// page, the API and the import refuse the same things with the same words. Only what a form cannot
// say otherwise is read: an empty optional field is absent, a number is a number, a choice is a boolean.
import type { RecordEnrolmentInput, ChangeEnrolmentStatusInput, VerifyEnrolmentInput } from '../services/enrolments.ts';
import type { ParentInput, RecordRecognitionInput } from '../services/recognitions.ts';
import type { RevokeEligibilityInput } from '../services/eligibility.ts';
import type { ChangeBankAccountInput, RegisterStudentInput, UpdateStudentContactInput } from '../services/students.ts';
import type { CorrectStudentNameInput } from '../services/student-name.ts';
import { EVIDENCE_ROWS } from './pages/student-recognition-form.tsx';

type Values = Record<string, string>;
const field = (values: Values, name: string) => (values[name] ?? '').trim();
const optional = (values: Values, name: string) => field(values, name) || undefined;

/** Digits as a number, nothing as null, anything else as typed (for the schema to refuse, naming the field). */
function count(values: Values, name: string): number | null {
  const text = field(values, name);
  if (text === '') return null;
  return (/^\d{1,6}$/.test(text) ? Number(text) : text) as number;
}

export function registrationInput(values: Values): RegisterStudentInput {
  return {
    identityNumber: field(values, 'identityNumber'),
    name: field(values, 'name'),
    gender: field(values, 'gender') as RegisterStudentInput['gender'],
    phone: optional(values, 'phone'),
    bankAccount: {
      bankName: field(values, 'bankAccount.bankName'),
      accountNumber: field(values, 'bankAccount.accountNumber'),
      holderName: field(values, 'bankAccount.holderName'),
    },
  };
}

function parent(values: Values, role: 'father' | 'mother'): ParentInput {
  return {
    situation: field(values, `${role}.situation`) as ParentInput['situation'],
    disabilityGrade: count(values, `${role}.disabilityGrade`),
    lostContactMonths: count(values, `${role}.lostContactMonths`),
  };
}

const ADOPTED: Record<string, boolean> = { yes: true, no: false };

export function recognitionInput(studentId: string, values: Values): RecordRecognitionInput {
  const evidence: RecordRecognitionInput['evidence'] = [];
  for (let i = 0; i < EVIDENCE_ROWS; i++) {
    const row = { documentType: '', documentNumber: '', issuer: '', issuedOn: '' };
    for (const key of Object.keys(row) as (keyof typeof row)[]) row[key] = field(values, `evidence.${i}.${key}`);
    // A row left empty is not a document; a row partly filled is, and the schema names what it lacks.
    if (Object.values(row).some((v) => v !== '')) evidence.push(row);
  }
  const adopted = ADOPTED[field(values, 'adopted')];
  return {
    studentId,
    recognisedOn: field(values, 'recognisedOn'),
    authority: field(values, 'authority'),
    father: parent(values, 'father'),
    mother: parent(values, 'mother'),
    adopted: (adopted ?? field(values, 'adopted')) as boolean,
    evidence,
  };
}

export function enrolmentInput(studentId: string, values: Values): RecordEnrolmentInput {
  return {
    studentId,
    institutionName: field(values, 'institutionName'),
    institutionCode: field(values, 'institutionCode'),
    level: field(values, 'level') as RecordEnrolmentInput['level'],
    admissionDate: field(values, 'admissionDate'),
    expectedGraduation: field(values, 'expectedGraduation'),
  };
}

export function statusChangeInput(studentId: string, enrolmentId: string, values: Values): ChangeEnrolmentStatusInput {
  return {
    studentId,
    enrolmentId,
    status: field(values, 'status') as ChangeEnrolmentStatusInput['status'],
    effectiveOn: field(values, 'effectiveOn'),
    reason: field(values, 'reason'),
  };
}

export function verificationInput(studentId: string, enrolmentId: string, values: Values): VerifyEnrolmentInput {
  return { studentId, enrolmentId, verifiedOn: field(values, 'verifiedOn'), source: field(values, 'source'), reference: optional(values, 'reference') ?? null };
}

export function bankAccountInput(studentId: string, values: Values): ChangeBankAccountInput {
  return {
    studentId,
    bankName: field(values, 'bankName'),
    accountNumber: field(values, 'accountNumber'),
    holderName: field(values, 'holderName'),
    reason: field(values, 'reason'),
  };
}

/** An empty phone field removes the number. */
export function nameCorrectionInput(studentId: string, values: Values): CorrectStudentNameInput {
  return { studentId, name: field(values, 'name'), reason: field(values, 'reason') };
}

export function contactInput(studentId: string, values: Values): UpdateStudentContactInput {
  return { studentId, phone: optional(values, 'phone') ?? null };
}

export function revocationInput(id: string, values: Values): RevokeEligibilityInput {
  return { id, effectiveOn: field(values, 'effectiveOn'), reason: field(values, 'reason') };
}
