// A row's parts checked against the very request schemas of the single-record endpoints
// (POST /students, …/recognitions, …/enrolments) before the use cases run: the endpoints' lengths
// and formats (institution code, phone, account number, 50 documents at most, …) are part of what
// "the same rules" means, and this is the one place they are written. This is the only import of an
// HTTP module by a service; the schemas are plain zod with documentation attached, no HTTP.
import type { MappedRow } from '../../domain/student-import/row.ts';
import { RecordEnrolmentBody, RecordRecognitionBody, RegisterStudentBody } from '../../http/schemas/students.ts';
import type { RecordEnrolmentInput } from '../enrolments.ts';
import type { RecordRecognitionInput } from '../recognitions.ts';
import type { RegisterStudentInput } from '../students.ts';
import { problemsFromZod } from './row-problems.ts';

export interface CheckedParts {
  student: RegisterStudentInput | null;
  recognition: Omit<RecordRecognitionInput, 'studentId'> | null;
  enrolment: Omit<RecordEnrolmentInput, 'studentId'> | null;
}

/** Parts that pass their endpoint's schema, as the schema outputs them (trimmed); problems added to the row. */
export function checkParts(row: MappedRow): CheckedParts {
  const out: CheckedParts = { student: null, recognition: null, enrolment: null };
  if (row.student) {
    const r = RegisterStudentBody.safeParse(row.student);
    if (r.success) out.student = r.data;
    else row.problems.push(...problemsFromZod(r.error));
  }
  if (row.recognition) {
    const r = RecordRecognitionBody.safeParse(row.recognition);
    if (r.success) out.recognition = r.data;
    else row.problems.push(...problemsFromZod(r.error));
  }
  if (row.enrolment) {
    const r = RecordEnrolmentBody.safeParse(row.enrolment);
    if (r.success) out.enrolment = r.data;
    else row.problems.push(...problemsFromZod(r.error));
  }
  return out;
}
