// Students, recognition and enrolment on the wire. Examples are fictional: 韩梅梅 is the textbook
// name, and 630102200603151249 is a made-up number that passes the GB 11643 check (made with
// makeIdentityNumber('630102', '2006-03-15', 124)). Responses carry personal values masked, except
// the unmask endpoint's.
import { z } from '@hono/zod-openapi';
import { PARENT_SITUATION_KINDS, type ParentSituationKind } from '../../domain/recognition.ts';
import { IsoDate, Uuid, pageOf } from './common.ts';
import { EnrolmentLevel } from './programmes.ts';

const EXAMPLE_ID_NUMBER = '630102200603151249';

const text = (max: number, example?: string) =>
  z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    .openapi(example ? { example } : {});

const PersonName = text(50, '韩梅梅').openapi({ description: 'As on the identity card; whitespace is ignored when names are compared' });

export const Gender = z.enum(['male', 'female']).openapi({ description: 'male 男 · female 女; must match the 17th digit of the identity number (odd male, even female)' });

export const EnrolmentStatus = z.enum(['enrolled', 'suspended', 'graduated', 'withdrawn']).openapi({
  description: 'enrolled 在读 · suspended 休学 · graduated 毕业 · withdrawn 退学 (the last two are final)',
});

const AccountNumber = z
  .string()
  .regex(/^\d{12,30}$/, 'must be 12–30 digits, without spaces')
  .openapi({ example: '6217000000000000123', description: 'Digits only' });

const Phone = z
  .string()
  .regex(/^(?:\+|00)?[\d -]{6,24}$/, 'must be a phone number: digits, optionally +86, spaces or hyphens')
  .openapi({ example: '13800000000' });

const BankAccountIn = z.strictObject({
  bankName: text(100, '中国建设银行西宁城东支行'),
  accountNumber: AccountNumber,
  holderName: PersonName.openapi({ description: 'Must be the student (rule account_holder_not_student)' }),
});

export const RegisterStudentBody = z
  .strictObject({
    identityNumber: z.string().max(64, 'must be 18 characters').openapi({
      example: EXAMPLE_ID_NUMBER,
      description: 'Resident identity number, 18 characters; the check digit, birth date and region code inside are verified',
    }),
    name: PersonName,
    gender: Gender.openapi({ example: 'female' }),
    phone: Phone.nullable().optional(),
    bankAccount: BankAccountIn,
  })
  .openapi('RegisterStudent');

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

export const StudentSearchQuery = z.object({
  name: z.string().trim().min(1).max(50).optional().openapi({ description: 'Whole name, exact match (through a keyed hash)', example: '韩梅梅' }),
  identityNumber: z
    .string()
    .regex(/^(\d{6}\*{8}\d{3}[\dXx]|\d{3}[\dXx])$/, 'must be the masked number (630102********1234) or its last 4 characters')
    .optional()
    .openapi({ description: 'Masked number or last four characters; whole numbers are not accepted in URLs', example: '1249' }),
  regionCode: z.string().regex(/^\d{2,6}$/, 'must be 2–6 digits of a region code').optional().openapi({ description: 'Prefix: 63 Qinghai, 6301 Xining', example: '6301' }),
  institutionCode: z.string().max(64).optional().openapi({ example: '4163010743' }),
  status: EnrolmentStatus.optional().openapi({ description: 'Has an enrolment with this status (at institutionCode when both are given)' }),
  programmeId: Uuid.optional().openapi({ description: 'Has an eligibility determination in this programme' }),
});

export const UnmaskBody = z
  .strictObject({
    purpose: z
      .string()
      .trim()
      .min(5, 'state the purpose (at least 5 characters)')
      .max(500)
      .openapi({ example: '核对银行退票信息 (checking a returned payment with the bank)', description: 'Kept in the audit trail' }),
  })
  .openapi('UnmaskRequest');

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

export const ChangeBankAccountBody = BankAccountIn.extend({
  reason: z.string().trim().min(2, 'state the reason (at least 2 characters)').max(500).openapi({ example: '原银行卡挂失，学生本人申请更换 (card reported lost; changed at the student’s request)' }),
}).openapi('ChangeBankAccount');

export const ContactBody = z.strictObject({ phone: Phone.nullable().openapi({ description: 'null removes the number' }) }).openapi('StudentContact');

// ── Recognition ─────────────────────────────────────────────────────────────────────────────────

export const ParentSituation = z
  .enum(PARENT_SITUATION_KINDS as [ParentSituationKind, ...ParentSituationKind[]])
  .openapi({
    description:
      'deceased 死亡 · missing 失踪 · severe_disability 重残 (with disabilityGrade) · serious_illness 重病 · serving_sentence 服刑在押 · compulsory_drug_rehab 强制隔离戒毒 · other_liberty_restriction 被执行其他限制人身自由的措施 · lost_contact 失联 (with lostContactMonths) · guardianship_revoked 被撤销监护资格 · deported 被遣送(驱逐)出境 · none 有抚养能力',
  });

const ParentIn = z.strictObject({
  situation: ParentSituation,
  disabilityGrade: z.number().int('must be a whole number').min(1).max(4).nullable().optional().openapi({ description: 'Only with severe_disability: grade 1–4 on the certificate' }),
  lostContactMonths: z.number().int('must be a whole number').min(0).max(1200).nullable().optional().openapi({ description: 'Only with lost_contact: completed months without contact or support' }),
});

const EvidenceIn = z.strictObject({
  documentType: text(100, '死亡证明'),
  documentNumber: text(100, 'QH-SW-2019-000123'),
  issuer: text(200, '西宁市第一人民医院'),
  issuedOn: IsoDate.openapi({ example: '2019-03-02' }),
});

export const RecordRecognitionBody = z
  .strictObject({
    recognisedOn: IsoDate.openapi({ example: '2019-06-10', description: 'Before the 18th birthday, not after today' }),
    authority: text(200, '西宁市城东区民政局'),
    father: ParentIn.openapi({ example: { situation: 'deceased' } }),
    mother: ParentIn.openapi({ example: { situation: 'severe_disability', disabilityGrade: 1 } }),
    adopted: z.boolean().openapi({ example: false }),
    evidence: z.array(EvidenceIn).min(1, 'at least one document is needed').max(50),
  })
  .openapi('RecordRecognition');

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

export const RecordEnrolmentBody = z
  .strictObject({
    institutionName: text(200, '青海大学'),
    institutionCode: z.string().regex(/^[A-Za-z0-9-]{1,32}$/, 'must be 1–32 letters, digits or hyphens').openapi({ example: '4163010743', description: '学校标识码' }),
    level: EnrolmentLevel,
    admissionDate: IsoDate.openapi({ example: '2024-09-01' }),
    expectedGraduation: IsoDate.openapi({ example: '2028-06-30', description: 'After admissionDate' }),
  })
  .openapi('RecordEnrolment');

export const ChangeEnrolmentStatusBody = z
  .strictObject({
    status: EnrolmentStatus.openapi({ example: 'suspended' }),
    effectiveOn: IsoDate.openapi({ example: '2025-03-01', description: 'Not before the current status took effect, not after today' }),
    reason: z.string().trim().min(2, 'state the reason (at least 2 characters)').max(500).openapi({ example: '因病休学一年 (suspended for a year on medical grounds)' }),
  })
  .openapi('ChangeEnrolmentStatus');

export const VerifyEnrolmentBody = z
  .strictObject({
    verifiedOn: IsoDate.openapi({ example: '2025-09-15' }),
    source: text(100, '学信网 CHSI'),
    reference: z.string().trim().max(200).nullable().optional().openapi({ example: 'CHSI-2025-ABCD1234' }),
  })
  .openapi('VerifyEnrolment');

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
