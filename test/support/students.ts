// Students, recognitions and enrolments made through the real services, for any test that needs them.
//
//   const { student, plain } = await makeStudent(world);                 // registered by world's caseworker
//   const other = await makeStudent(world, { by: otherCaseworker });     // …in another department
//   await makeRecognition(world, student.id);                            // qualifies: father deceased, mother in custody
//   const enrolment = await makeEnrolment(world, student.id, { level: 'junior_college' });
//   await linkToProgramme(world, student.id, programme.id);              // lets the funder's viewer see the student
//
// Every student gets a fresh, valid, fictional identity number and bank account, so tests never
// collide inside one database. `plain` holds the clear values, for checking that they never leak
// into answers, logs or rows. Defaults make a student who turned 18 on 2024-05-20, recognised at 13.
import { randomInt, randomUUID } from 'node:crypto';
import { makeIdentityNumber } from '../../src/domain/identity-number.ts';
import { type EnrolmentView, type RecordEnrolmentInput, recordEnrolment } from '../../src/services/enrolments.ts';
import { type RecognitionView, type RecordRecognitionInput, recordRecognition } from '../../src/services/recognitions.ts';
import { type Gender, type StudentView, registerStudent } from '../../src/services/students.ts';
import type { TestUser, World } from './fixtures.ts';

export const DEFAULT_BIRTH_DATE = '2006-05-20';

/** Sequence numbers (3 digits inside the identity number) handed out in order from a random start. */
let sequence = randomInt(0, 500);

/**
 * A valid fictional identity number: region 630102 (西宁市城东区) and the default birth date unless
 * given; the sequence's parity follows the gender, as in real numbers. Unique for 500 calls per
 * birth date and gender within one test file.
 */
export function fictionalIdentityNumber(options: { regionCode?: string; birthDate?: string; gender?: Gender } = {}): string {
  sequence = (sequence + 1) % 500;
  const seq = sequence * 2 + (options.gender === 'male' ? 1 : 0);
  return makeIdentityNumber(options.regionCode ?? '630102', options.birthDate ?? DEFAULT_BIRTH_DATE, seq);
}

/** 19 digits, starting like a card number; unique enough that two tests never share one. */
export function fictionalAccountNumber(): string {
  return `6217${String(randomInt(0, 1e9)).padStart(9, '0')}${String(randomInt(0, 1e6)).padStart(6, '0')}`;
}

export interface StudentOverrides {
  /** The caseworker who registers; the student belongs to their department. Default: world.users.caseworker. */
  by?: TestUser;
  regionCode?: string;
  birthDate?: string;
  gender?: Gender;
  name?: string;
  phone?: string | null;
  bankName?: string;
  accountNumber?: string;
}

export interface MadeStudent {
  student: StudentView;
  plain: { identityNumber: string; name: string; accountNumber: string; phone: string | null };
}

/** The body of POST /students (and the input of registerStudent) for a fresh fictional student. */
export function registrationInput(overrides: Omit<StudentOverrides, 'by'> = {}) {
  const gender = overrides.gender ?? 'female';
  const name = overrides.name ?? '韩梅梅';
  return {
    identityNumber: fictionalIdentityNumber({ regionCode: overrides.regionCode, birthDate: overrides.birthDate, gender }),
    name,
    gender,
    phone: overrides.phone === undefined ? '13800000000' : overrides.phone,
    bankAccount: {
      bankName: overrides.bankName ?? '中国建设银行西宁城东支行',
      accountNumber: overrides.accountNumber ?? fictionalAccountNumber(),
      holderName: name,
    },
  };
}

export async function makeStudent(world: World, overrides: StudentOverrides = {}): Promise<MadeStudent> {
  const input = registrationInput(overrides);
  const student = await registerStudent({ ctx: (overrides.by ?? world.users.caseworker).ctx, input });
  return { student, plain: { identityNumber: input.identityNumber, name: input.name, accountNumber: input.bankAccount.accountNumber, phone: input.phone } };
}

/** A recognition that qualifies for a student with the default birth date; override any field. */
export function recognitionInput(studentId: string, overrides: Partial<Omit<RecordRecognitionInput, 'studentId'>> = {}): RecordRecognitionInput {
  return {
    studentId,
    recognisedOn: '2019-06-10',
    authority: '西宁市城东区民政局',
    father: { situation: 'deceased' },
    mother: { situation: 'serving_sentence' },
    adopted: false,
    evidence: [
      { documentType: '死亡证明', documentNumber: 'QH-SW-2019-000123', issuer: '西宁市第一人民医院', issuedOn: '2019-03-02' },
      { documentType: '判决书', documentNumber: '(2018)青0102刑初45号', issuer: '西宁市城东区人民法院', issuedOn: '2018-11-20' },
    ],
    ...overrides,
  };
}

export async function makeRecognition(
  world: World,
  studentId: string,
  overrides: Partial<Omit<RecordRecognitionInput, 'studentId'>> & { by?: TestUser } = {},
): Promise<RecognitionView> {
  const { by, ...rest } = overrides;
  return recordRecognition({ ctx: (by ?? world.users.caseworker).ctx, input: recognitionInput(studentId, rest) });
}

/** An undergraduate enrolment admitted 2024-09-01, expected to graduate 2028-06-30; override any field. */
export function enrolmentInput(studentId: string, overrides: Partial<Omit<RecordEnrolmentInput, 'studentId'>> = {}): RecordEnrolmentInput {
  return {
    studentId,
    institutionName: '青海大学',
    institutionCode: '4163010743',
    level: 'undergraduate',
    admissionDate: '2024-09-01',
    expectedGraduation: '2028-06-30',
    ...overrides,
  };
}

export async function makeEnrolment(
  world: World,
  studentId: string,
  overrides: Partial<Omit<RecordEnrolmentInput, 'studentId'>> & { by?: TestUser } = {},
): Promise<EnrolmentView> {
  const { by, ...rest } = overrides;
  return recordEnrolment({ ctx: (by ?? world.users.caseworker).ctx, input: enrolmentInput(studentId, rest) });
}

/**
 * Puts a bare proposed (not eligible) determination for the student in the programme, straight into
 * the table. Only for scope tests: a foundation viewer sees a student once the student has any
 * determination in a programme it funds. Real determinations come from the eligibility service.
 */
export async function linkToProgramme(world: World, studentId: string, programmeId: string, academicYear = 2025): Promise<void> {
  await world.users.caseworker.ctx.db.eligibilityDetermination.create({
    data: {
      id: randomUUID(),
      studentId,
      programmeId,
      academicYear,
      status: 'proposed',
      cohort: 'new',
      eligible: false,
      ruleResults: [],
      proposedById: world.users.caseworker.actor.userId,
    },
  });
}
