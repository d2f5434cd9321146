// A row's parts checked against the very input schemas of the single-record use cases
// (registerStudent, recordRecognition, recordEnrolment) before they run: their lengths and formats
// (institution code, phone, account number, 50 documents at most, …) are part of what "the same
// rules" means, and they are written once, beside those use cases. The student's id is not known
// yet for a new row, so it is left out of the recognition and enrolment schemas here.
import type { MappedRow } from '../../domain/student-import/row.ts';
import { RecordEnrolmentInput } from '../enrolments.ts';
import { RecordRecognitionInput } from '../recognitions.ts';
import { RegisterStudentInput } from '../students.ts';

const RegisterStudentPart = RegisterStudentInput;
const RecognitionPart = RecordRecognitionInput.omit({ studentId: true });
const EnrolmentPart = RecordEnrolmentInput.omit({ studentId: true });
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
    const r = RegisterStudentPart.safeParse(row.student);
    if (r.success) out.student = r.data;
    else row.problems.push(...problemsFromZod(r.error));
  }
  if (row.recognition) {
    const r = RecognitionPart.safeParse(row.recognition);
    if (r.success) out.recognition = r.data;
    else row.problems.push(...problemsFromZod(r.error));
  }
  if (row.enrolment) {
    const r = EnrolmentPart.safeParse(row.enrolment);
    if (r.success) out.enrolment = r.data;
    else row.problems.push(...problemsFromZod(r.error));
  }
  return out;
}
