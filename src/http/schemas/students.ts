// Students, recognition and enrolment on the wire. Examples are fictional: 韩梅梅 is the textbook
// name, and 630102200603151249 is a made-up number that passes the GB 11643 check (made with
// makeIdentityNumber('630102', '2006-03-15', 124)). Responses carry personal values masked, except
// the unmask endpoint's.
import { z } from '@hono/zod-openapi';
import { ChangeEnrolmentStatusInput, RecordEnrolmentInput, VerifyEnrolmentInput } from '../../services/enrolments.ts';
import { EnrolmentStatus, Gender } from '../../services/fields.ts';
import { ParentSituation, RecordRecognitionInput } from '../../services/recognitions.ts';
import { SearchStudentsInput } from '../../services/student-search.ts';
import { CorrectStudentNameInput } from '../../services/student-name.ts';
import {
  ChangeBankAccountInput,
  EXAMPLE_IDENTITY_NUMBER,
  RegisterStudentInput,
  UnmaskStudentInput,
  UpdateStudentContactInput,
} from '../../services/students.ts';
import { Uuid, pageOf } from './common.ts';
import { EnrolmentLevel } from './programmes.ts';

const EXAMPLE_ID_NUMBER = EXAMPLE_IDENTITY_NUMBER;

export { EnrolmentStatus, Gender };

export const RegisterStudentBody = RegisterStudentInput.meta({ id: 'RegisterStudent' });

export const StudentOut = z
  .object({
    id: Uuid,
    departmentId: Uuid,
    name: z.string().openapi({ example: '韩**', description: 'Masked' }),
    identityNumber: z.string().openapi({ example: '630102********1249', description: 'Masked: region and last four' }),
    gender: Gender,
    regionCode: z.string().openapi({ example: '630102' }),
    regionName: z.string().nullable().openapi({ example: '青海省西宁市城东区' }),
    phone: z.string().nullable().openapi({ example: '138****0000' }),
    bankAccount: z.object({
      bankName: z.string(),
      accountNumber: z.string().openapi({ example: '***************0123' }),
      holderName: z.string().openapi({ example: '韩**' }),
    }),
    createdById: Uuid,
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Student');
export const StudentPage = pageOf(StudentOut, 'StudentPage');

/** The search fields of a student search (the page fields come from PageQuery in the route). */
export const StudentSearchQuery = SearchStudentsInput.omit({ cursor: true, limit: true });

export const UnmaskBody = UnmaskStudentInput.omit({ studentId: true }).meta({ id: 'UnmaskRequest' });

export const UnmaskedStudentOut = z
  .object({
    id: Uuid,
    purpose: z.string(),
    name: z.string().openapi({ example: '韩梅梅' }),
    identityNumber: z.string().openapi({ example: EXAMPLE_ID_NUMBER }),
    phone: z.string().nullable().openapi({ example: '13800000000' }),
    bankAccount: z.object({ bankName: z.string(), accountNumber: z.string().openapi({ example: '6217000000000000123' }), holderName: z.string() }),
  })
  .openapi('UnmaskedStudent');

export const ChangeBankAccountBody = ChangeBankAccountInput.omit({ studentId: true }).meta({ id: 'ChangeBankAccount' });

export const ContactBody = UpdateStudentContactInput.omit({ studentId: true }).meta({ id: 'StudentContact' });

export const NameCorrectionBody = CorrectStudentNameInput.omit({ studentId: true }).meta({ id: 'StudentNameCorrection' });

// ── Recognition ─────────────────────────────────────────────────────────────────────────────────

export { ParentSituation };

export const RecordRecognitionBody = RecordRecognitionInput.omit({ studentId: true }).meta({ id: 'RecordRecognition' });

const ParentOut = z.object({ situation: ParentSituation, disabilityGrade: z.number().int().nullable(), lostContactMonths: z.number().int().nullable() });

export const RecognitionOut = z
  .object({
    id: Uuid,
    studentId: Uuid,
    recognisedOn: z.string(),
    authority: z.string(),
    father: ParentOut,
    mother: ParentOut,
    adopted: z.boolean(),
    qualifies: z.boolean().openapi({ description: 'The recognition rule’s result; reasons say why not' }),
    reasons: z.array(z.object({ code: z.string(), parent: z.enum(['father', 'mother']).optional(), message_zh: z.string(), message_en: z.string() })),
    evidence: z.array(
      z.object({
        id: Uuid,
        documentType: z.string(),
        documentNumber: z.string().openapi({ description: 'Whole for roles that may unmask students; otherwise all but the last four characters masked' }),
        issuer: z.string(),
        issuedOn: z.string(),
      }),
    ),
    recordedById: Uuid,
    createdAt: z.string(),
  })
  .openapi('Recognition');
export const RecognitionPage = pageOf(RecognitionOut, 'RecognitionPage');

// ── Enrolment ───────────────────────────────────────────────────────────────────────────────────

export const RecordEnrolmentBody = RecordEnrolmentInput.omit({ studentId: true }).meta({ id: 'RecordEnrolment' });

export const ChangeEnrolmentStatusBody = ChangeEnrolmentStatusInput.omit({ studentId: true, enrolmentId: true }).meta({ id: 'ChangeEnrolmentStatus' });

export const VerifyEnrolmentBody = VerifyEnrolmentInput.omit({ studentId: true, enrolmentId: true }).meta({ id: 'VerifyEnrolment' });

export const EnrolmentOut = z
  .object({
    id: Uuid,
    studentId: Uuid,
    institution: z.object({ name: z.string(), code: z.string() }),
    level: EnrolmentLevel,
    admissionDate: z.string(),
    expectedGraduation: z.string(),
    status: EnrolmentStatus,
    statusEffectiveOn: z.string(),
    history: z.array(
      z.object({ id: Uuid, status: EnrolmentStatus, effectiveOn: z.string(), reason: z.string().nullable(), recordedById: Uuid, recordedAt: z.string() }),
    ),
    verifications: z.array(
      z.object({ id: Uuid, verifiedOn: z.string(), source: z.string(), reference: z.string().nullable(), verifiedById: Uuid, recordedAt: z.string() }),
    ),
    createdById: Uuid,
    createdAt: z.string(),
  })
  .openapi('Enrolment');
export const EnrolmentPage = pageOf(EnrolmentOut, 'EnrolmentPage');
