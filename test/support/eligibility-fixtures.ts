// Small factories for the eligibility tests: students, recognitions, enrolments, status events and
// verifications inserted directly with Prisma (the students/recognition/enrolment services are
// built elsewhere; these tests must not depend on them). Personal fields are sealed with the test
// vault exactly as the real services store them: keyed hash, sealed value, masked form.
import { randomInt, randomUUID } from 'node:crypto';
import type { PrismaClient } from '#prisma';
import type { EnrolmentLevel, EnrolmentStatus, ParentSituation } from '#prisma/enums';
import { dateFromIso } from '../../src/domain/dates.ts';
import { makeIdentityNumber } from '../../src/domain/identity-number.ts';
import { maskBankAccount, maskChineseName, maskIdentityNumber } from '../../src/domain/masking.ts';
import { testVault } from './vault.ts';

/**
 * Sequence numbers inside identity numbers, distinct per file run. Identity numbers hold only 1,000
 * sequence numbers per region and birth date, and a long file (a property test) makes more students
 * than that with one birth date: when the sequence wraps, the next default region code is used.
 */
let sequence = randomInt(0, 500);
const DEFAULT_REGION_CODES = ['630102', '630103', '630104', '630105', '630121', '630123'];
let defaultRegion = 0;
const nextSequence = () => {
  sequence = (sequence + 1) % 1000;
  if (sequence === 0) defaultRegion = (defaultRegion + 1) % DEFAULT_REGION_CODES.length;
  return sequence;
};

export interface StudentOptions {
  departmentId: string;
  createdById: string;
  birthDate?: string;
  name?: string;
  regionCode?: string;
}

export async function makeStudent(db: PrismaClient, options: StudentOptions) {
  const vault = await testVault();
  const birthDate = options.birthDate ?? '2006-05-01';
  const seq = nextSequence();
  const regionCode = options.regionCode ?? DEFAULT_REGION_CODES[defaultRegion]!;
  const identityNumber = makeIdentityNumber(regionCode, birthDate, seq);
  const name = options.name ?? '才让卓玛';
  const account = `6217${String(randomInt(0, 1e9)).padStart(9, '0')}${String(seq).padStart(6, '0')}`;
  const row = await db.student.create({
    data: {
      id: randomUUID(),
      departmentId: options.departmentId,
      identityNumberHash: await vault.lookupHash('identity_number', identityNumber),
      identityNumberSealed: await vault.seal('identity_number', identityNumber),
      identityNumberMasked: maskIdentityNumber(identityNumber),
      birthDate: dateFromIso(birthDate),
      regionCode,
      gender: seq % 2 === 1 ? 'male' : 'female',
      nameHash: await vault.lookupHash('name', name),
      nameSealed: await vault.seal('name', name),
      nameMasked: maskChineseName(name),
      bankName: '中国建设银行西宁城中支行',
      bankAccountHash: await vault.lookupHash('bank_account', account),
      bankAccountSealed: await vault.seal('bank_account', account),
      bankAccountMasked: maskBankAccount(account),
      createdById: options.createdById,
    },
  });
  // The clear values, so that tests can check they never appear in an answer.
  return Object.assign(row, { plain: { identityNumber, name, account } });
}

export interface ParentFacts {
  situation: ParentSituation;
  disabilityGrade?: number;
  lostContactMonths?: number;
}

export interface RecognitionOptions {
  recordedById: string;
  recognisedOn?: string;
  adopted?: boolean;
  father?: ParentFacts;
  mother?: ParentFacts;
  /** Recorded-at time: the latest recorded recognition is the one that counts. */
  createdAt?: Date;
}

export async function makeRecognition(db: PrismaClient, studentId: string, options: RecognitionOptions) {
  const father = options.father ?? { situation: 'deceased' };
  const mother = options.mother ?? { situation: 'serving_sentence' };
  return db.recognition.create({
    data: {
      id: randomUUID(),
      studentId,
      recognisedOn: dateFromIso(options.recognisedOn ?? '2018-03-01'),
      authority: '西宁市城中区民政局',
      fatherSituation: father.situation,
      fatherDisabilityGrade: father.disabilityGrade ?? null,
      fatherLostContactMonths: father.lostContactMonths ?? null,
      motherSituation: mother.situation,
      motherDisabilityGrade: mother.disabilityGrade ?? null,
      motherLostContactMonths: mother.lostContactMonths ?? null,
      adopted: options.adopted ?? false,
      // What the recognition service would have stored; eligibility evaluates the facts again.
      qualifies: true,
      reasons: [],
      recordedById: options.recordedById,
      ...(options.createdAt ? { createdAt: options.createdAt } : {}),
    },
  });
}

export interface EnrolmentOptions {
  createdById: string;
  level?: EnrolmentLevel;
  admissionDate?: string;
  expectedGraduation?: string;
  /** Verification dates (学籍核验). */
  verifiedOn?: string[];
  institutionName?: string;
}

export async function makeEnrolment(db: PrismaClient, studentId: string, options: EnrolmentOptions) {
  const admissionDate = options.admissionDate ?? '2025-09-01';
  const enrolment = await db.enrolment.create({
    data: {
      id: randomUUID(),
      studentId,
      institutionName: options.institutionName ?? '青海大学',
      institutionCode: '10743',
      level: options.level ?? 'undergraduate',
      admissionDate: dateFromIso(admissionDate),
      expectedGraduation: dateFromIso(options.expectedGraduation ?? '2029-06-30'),
      status: 'enrolled',
      statusEffectiveOn: dateFromIso(admissionDate),
      createdById: options.createdById,
      events: { create: { id: randomUUID(), status: 'enrolled', effectiveOn: dateFromIso(admissionDate), recordedById: options.createdById } },
    },
  });
  for (const day of options.verifiedOn ?? []) await addVerification(db, enrolment.id, day, options.createdById);
  return enrolment;
}

export async function addVerification(db: PrismaClient, enrolmentId: string, verifiedOn: string, verifiedById: string) {
  return db.enrolmentVerification.create({
    data: {
      id: randomUUID(),
      enrolmentId,
      verifiedOn: dateFromIso(verifiedOn),
      source: '学信网学籍在线验证',
      reference: `XJ-${randomUUID().slice(0, 8)}`,
      verifiedById,
    },
  });
}

/** A status change: a new event, and the enrolment's current status set to it (as the enrolment service does). */
export async function changeStatus(db: PrismaClient, enrolmentId: string, status: EnrolmentStatus, effectiveOn: string, recordedById: string) {
  await db.enrolmentStatusEvent.create({
    data: { id: randomUUID(), enrolmentId, status, effectiveOn: dateFromIso(effectiveOn), reason: 'test', recordedById },
  });
  await db.enrolment.update({ where: { id: enrolmentId }, data: { status, statusEffectiveOn: dateFromIso(effectiveOn) } });
}

export interface EligibleStudentOptions {
  departmentId: string;
  caseworkerId: string;
  birthDate?: string;
  regionCode?: string;
  name?: string;
  recognition?: Partial<RecognitionOptions> | null;
  enrolment?: Partial<EnrolmentOptions>;
}

/**
 * A student who passes every rule for 2025-2026 and 2026-2027 unless told otherwise: born 2006,
 * recognised at 11, not adopted, undergraduate admitted 2025-09-01, verified in both years.
 */
export async function makeEligibleStudent(db: PrismaClient, options: EligibleStudentOptions) {
  const student = await makeStudent(db, {
    departmentId: options.departmentId,
    createdById: options.caseworkerId,
    birthDate: options.birthDate ?? '2006-05-01',
    ...(options.regionCode ? { regionCode: options.regionCode } : {}),
    ...(options.name ? { name: options.name } : {}),
  });
  const recognition =
    options.recognition === null ? null : await makeRecognition(db, student.id, { recordedById: options.caseworkerId, ...(options.recognition ?? {}) });
  const enrolment = await makeEnrolment(db, student.id, {
    createdById: options.caseworkerId,
    verifiedOn: ['2025-09-20', '2026-09-15'],
    ...(options.enrolment ?? {}),
  });
  return { student, recognition, enrolment };
}
