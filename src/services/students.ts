// Students: registration (identity number checked, personal data sealed, hashed and masked), reading
// (always masked), unmasking for a stated purpose (audited, without the clear values), and the
// caseworker's changes of contact and bank account (audited with masked values before and after).
// A student belongs to the department that registered them; see studentScope for who sees whom.
import { toIsoDate, todayInChina, dateFromIso } from '../domain/dates.ts';
import { ConflictError, NotFoundError, RuleViolationError, ValidationError, type FieldProblem } from '../domain/errors.ts';
import { IDENTITY_NUMBER_FAILURE_MESSAGES, type IdentityNumberInfo, parseIdentityNumber } from '../domain/identity-number.ts';
import { regionFullName } from '../domain/regions.ts';
import { z } from 'zod';
import type { Action } from '../domain/roles.ts';
import type { Student } from '#prisma';
import { BankAccount, Gender, PersonName, Phone, Reason, Uuid } from './fields.ts';
import { checkFields, parseInput } from './validation.ts';
import { recordAudit } from './audit.ts';
import { isUniqueViolation } from '../db/errors.ts';
import { type ServiceContext, type Tx, type UseCaseCall, inTransaction, vaultOf } from './context.ts';
import { type NewestFirst, type Page, newestFirst } from './pagination.ts';
import { studentScope, requirePermission } from './scope.ts';
import {
  ACCOUNT_NUMBER,
  PHONE,
  nameHash,
  normaliseAccountNumber,
  normaliseName,
  normalisePhone,
  protectBankAccount,
  protectIdentityNumber,
  protectName,
  protectPhone,
} from './student-pii.ts';

export type { Gender } from './fields.ts';
export type BankAccountInput = z.input<typeof BankAccount>;

export const EXAMPLE_IDENTITY_NUMBER = '630102200603151249';

export const RegisterStudentInput = z.strictObject({
  identityNumber: z.string().max(64, 'must be 18 characters').meta({
    example: EXAMPLE_IDENTITY_NUMBER,
    description: 'Resident identity number, 18 characters; the check digit, birth date and region code inside are verified',
  }),
  name: PersonName,
  gender: Gender.meta({ example: 'female' }),
  phone: Phone.nullable().optional(),
  bankAccount: BankAccount,
});
export type RegisterStudentInput = z.input<typeof RegisterStudentInput>;

export const GetStudentInput = z.strictObject({ studentId: Uuid });

export const UnmaskStudentInput = z.strictObject({
  studentId: Uuid,
  purpose: z
    .string()
    .trim()
    .min(5, 'state the purpose (at least 5 characters)')
    .max(500)
    .meta({ example: '核对银行退票信息 (checking a returned payment with the bank)', description: 'Kept in the audit trail' }),
});
export type UnmaskStudentInput = z.input<typeof UnmaskStudentInput>;

export const ChangeBankAccountInput = BankAccount.extend({
  studentId: Uuid,
  reason: Reason.meta({ example: '原银行卡挂失，学生本人申请更换 (card reported lost; changed at the student’s request)' }),
});
export type ChangeBankAccountInput = z.input<typeof ChangeBankAccountInput>;

export const UpdateStudentContactInput = z.strictObject({ studentId: Uuid, phone: Phone.nullable().meta({ description: 'null removes the number' }) });
export type UpdateStudentContactInput = z.input<typeof UpdateStudentContactInput>;

/** What every reader sees: personal values masked; the birth date left out (it would unmask the number). */
export interface StudentView {
  id: string;
  departmentId: string;
  name: string;
  identityNumber: string;
  gender: Gender;
  regionCode: string;
  regionName: string | null;
  phone: string | null;
  bankAccount: { bankName: string; accountNumber: string; holderName: string };
  createdById: string;
  createdAt: string;
  updatedAt: string;
}

export interface UnmaskedStudent {
  id: string;
  purpose: string;
  name: string;
  identityNumber: string;
  phone: string | null;
  bankAccount: { bankName: string; accountNumber: string; holderName: string };
}

const NAME_MAX = 50;
const BANK_NAME_MAX = 100;

export function studentView(row: Student): StudentView {
  return {
    id: row.id,
    departmentId: row.departmentId,
    name: row.nameMasked,
    identityNumber: row.identityNumberMasked,
    gender: row.gender,
    regionCode: row.regionCode,
    regionName: regionFullName(row.regionCode) ?? null,
    phone: row.phoneMasked,
    // The holder is the student by rule, so the holder's masked name is the student's.
    bankAccount: { bankName: row.bankName, accountNumber: row.bankAccountMasked, holderName: row.nameMasked },
    createdById: row.createdById,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** Loads a student the actor may see, or answers not found (also for students of other departments). */
export async function findStudentInScope(db: Tx, ctx: ServiceContext, id: string): Promise<Student> {
  const row = await db.student.findFirst({ where: { AND: [{ id }, studentScope(ctx.actor)] } });
  if (!row) throw new NotFoundError('student');
  return row;
}

/**
 * Holds the student's row until commit, for a use case that checks the student's records for a
 * duplicate before adding one (enrolment, verification, recognition): two such calls on one student
 * then run one after the other, and the second one's check (a new statement, so a new snapshot
 * under READ COMMITTED) sees what the first added. The bulk step takes the same row (FOR UPDATE).
 * FOR NO KEY UPDATE, not FOR UPDATE: rows that only point at the student (a proposal's foreign
 * key) still go in meanwhile.
 */
export async function lockStudent(tx: Tx, id: string): Promise<void> {
  await tx.$queryRaw`SELECT "id" FROM "student" WHERE "id" = ${id}::uuid FOR NO KEY UPDATE`;
}

/**
 * A page of a student's records (recognitions, enrolments), newest first by a date `column`: the
 * student must be one the actor may see (else 404), and the actor may read students (else 403).
 */
export async function studentRecordsPage<K extends string, R extends Record<K, Date> & { id: string }>(
  ctx: ServiceContext,
  input: { studentId: string; cursor?: string | undefined; limit?: number | undefined },
  column: K,
  find: (where: { AND: [{ studentId: string }, NewestFirst<K>['after']] }, order: NewestFirst<K>['order']) => Promise<R[]>,
): Promise<Page<R>> {
  requirePermission(ctx.actor, 'student.read');
  await findStudentInScope(ctx.db, ctx, input.studentId);
  const keyset = newestFirst(column, 'date', input);
  return keyset.page(await find({ AND: [{ studentId: input.studentId }, keyset.after] }, keyset.order));
}

/** A student the actor may see (else 404) and take the action on (else 403). */
export async function studentFor(tx: Tx, ctx: ServiceContext, id: string, action: Action): Promise<Student> {
  const row = await findStudentInScope(tx, ctx, id);
  requirePermission(ctx.actor, action);
  return row;
}

/** The reason code first (stable, for programs), then the words for people. Never the number itself. */
function identityNumberMessage(reason: keyof typeof IDENTITY_NUMBER_FAILURE_MESSAGES): string {
  const m = IDENTITY_NUMBER_FAILURE_MESSAGES[reason];
  return `${reason}: ${m.zh} (${m.en})`;
}

function checkName(name: string, path: string, problems: FieldProblem[]): void {
  const normal = normaliseName(name);
  if (normal.length === 0) problems.push({ path, message: 'must not be empty' });
  else if ([...normal].length > NAME_MAX) problems.push({ path, message: `must be at most ${NAME_MAX} characters` });
}

/** `prefix` is where the account sits in the request: `bankAccount.` on registration, nothing on a change. */
function checkAccount(account: BankAccountInput, prefix: string, problems: FieldProblem[]): string {
  const number = normaliseAccountNumber(account.accountNumber);
  if (!ACCOUNT_NUMBER.test(number)) problems.push({ path: `${prefix}accountNumber`, message: 'must be 12–30 digits' });
  const bank = account.bankName.trim();
  if (bank.length === 0 || bank.length > BANK_NAME_MAX) problems.push({ path: `${prefix}bankName`, message: `must be 1–${BANK_NAME_MAX} characters` });
  checkName(account.holderName, `${prefix}holderName`, problems);
  return number;
}

function checkPhone(phone: string | null | undefined, problems: FieldProblem[]): string | null {
  if (phone === undefined || phone === null) return null;
  const normal = normalisePhone(phone);
  if (!PHONE.test(normal)) problems.push({ path: 'phone', message: 'must be a phone number of 6–20 digits, optionally starting with +86' });
  return normal;
}

/** Refuses with the holder rule when the account is not in the student's name (names compared normalised). */
function requireHolderIsStudent(holderMatches: boolean, field: string): void {
  if (!holderMatches) throw holderRefusal(field);
}

const holderRefusal = (field: string) => new RuleViolationError('account_holder_not_student', { field });

interface CheckedRegistration {
  identity: IdentityNumberInfo;
  name: string;
  accountNumber: string;
  phone: string | null;
}

function readRegistration(input: RegisterStudentInput, today: string) {
  const problems: FieldProblem[] = [];
  const parsed = parseIdentityNumber(input.identityNumber, today);
  if (!parsed.ok) problems.push({ path: 'identityNumber', message: identityNumberMessage(parsed.reason) });
  else if (parsed.value.sex !== input.gender) {
    problems.push({
      path: 'gender',
      message: 'does not match the identity number (第17位奇数为男、偶数为女; its 17th digit is odd for male, even for female)',
    });
  }
  checkName(input.name, 'name', problems);
  const accountNumber = checkAccount(input.bankAccount, 'bankAccount.', problems);
  const phone = checkPhone(input.phone, problems);
  const holderMatches = normaliseName(input.bankAccount.holderName) === normaliseName(input.name);
  return { problems, parsed, accountNumber, phone, holderMatches };
}

/**
 * Every refusal of a registration that needs no stored fact, all of them: the field problems (400)
 * and the holder rule (422). The bulk intake shows them together, so that a clerk fixes a row once.
 */
export function registrationRefusals(input: RegisterStudentInput, today: string): (ValidationError | RuleViolationError)[] {
  const read = readRegistration(input, today);
  const refusals: (ValidationError | RuleViolationError)[] = [];
  if (read.problems.length > 0 || !read.parsed.ok) refusals.push(new ValidationError(read.problems));
  if (!read.holderMatches) refusals.push(holderRefusal('bankAccount.holderName'));
  return refusals;
}

/** Every field problem at once (400), then the holder rule (422). */
function checkRegistration(input: RegisterStudentInput, today: string): CheckedRegistration {
  const read = readRegistration(input, today);
  if (read.problems.length > 0 || !read.parsed.ok) throw new ValidationError(read.problems);
  requireHolderIsStudent(read.holderMatches, 'bankAccount.holderName');
  return { identity: read.parsed.value, name: input.name.trim(), accountNumber: read.accountNumber, phone: read.phone };
}

/** 409 for a number already registered; the existing id only when the caller may see that student. */
async function duplicateStudent(tx: Tx, ctx: ServiceContext, existingId: string | null): Promise<ConflictError> {
  const visible = existingId !== null && (await tx.student.count({ where: { AND: [{ id: existingId }, studentScope(ctx.actor)] } })) > 0;
  return visible ? new ConflictError('duplicate_student', { existingId }) : new ConflictError('duplicate_student', { elsewhere: true });
}

/** One account pays one student: an account already on another student's file is refused. */
async function refuseSharedAccount(tx: Tx, ctx: ServiceContext, accountHash: string, studentId: string | null): Promise<void> {
  // Two registrations or changes to one account would each find it free and both write it: the
  // check and the write are serialised per account (a lock on its hash, held to commit; the column
  // is not unique, so no index can refuse the second), and the read below runs after the lock.
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('student_bank_account'), hashtext(${accountHash}))`;
  const other = await tx.student.findFirst({
    where: { bankAccountHash: accountHash, ...(studentId ? { NOT: { id: studentId } } : {}) },
    select: { id: true },
  });
  if (!other) return;
  const visible = (await tx.student.count({ where: { AND: [{ id: other.id }, studentScope(ctx.actor)] } })) > 0;
  throw new ConflictError('bank_account_in_use', visible ? { existingId: other.id } : {});
}

export async function registerStudent({ ctx, input: raw }: UseCaseCall<RegisterStudentInput>): Promise<StudentView> {
  const input = parseInput(RegisterStudentInput, raw);
  requirePermission(ctx.actor, 'student.register');
  const vault = vaultOf(ctx);
  const checked = checkRegistration(input, todayInChina());
  const identity = await protectIdentityNumber(vault, checked.identity.normalised);
  const name = await protectName(vault, checked.name);
  const account = await protectBankAccount(vault, checked.accountNumber);
  const phone = checked.phone === null ? null : await protectPhone(vault, checked.phone);
  return inTransaction(ctx, async (tx) => {
    const existing = await tx.student.findUnique({ where: { identityNumberHash: identity.hash }, select: { id: true } });
    if (existing) throw await duplicateStudent(tx, ctx, existing.id);
    await refuseSharedAccount(tx, ctx, account.hash, null);
    let row: Student;
    try {
      row = await tx.student.create({
        data: {
          id: crypto.randomUUID(),
          departmentId: ctx.actor.organisationId,
          identityNumberHash: identity.hash,
          identityNumberSealed: identity.sealed,
          identityNumberMasked: identity.masked,
          birthDate: dateFromIso(checked.identity.birthDate),
          regionCode: checked.identity.regionCode,
          gender: input.gender,
          nameHash: name.hash,
          nameSealed: name.sealed,
          nameMasked: name.masked,
          phoneSealed: phone?.sealed ?? null,
          phoneMasked: phone?.masked ?? null,
          bankName: input.bankAccount.bankName.trim(),
          bankAccountHash: account.hash,
          bankAccountSealed: account.sealed,
          bankAccountMasked: account.masked,
          createdById: ctx.actor.userId,
        },
      });
    } catch (error) {
      // A concurrent registration of the same number won the unique index; the transaction is spoilt,
      // so the id cannot be looked up here.
      if (isUniqueViolation(error)) throw new ConflictError('duplicate_student');
      throw error;
    }
    const view = studentView(row);
    await recordAudit(tx, ctx, { action: 'student.register', recordType: 'student', recordId: row.id, after: view });
    return view;
  });
}

export async function getStudent({ ctx, input: raw }: UseCaseCall<z.input<typeof GetStudentInput>>): Promise<StudentView> {
  const input = parseInput(GetStudentInput, raw);
  requirePermission(ctx.actor, 'student.read');
  return studentView(await findStudentInScope(ctx.db, ctx, input.studentId));
}

export const PURPOSE_MIN = 5;

/** The purpose is kept forever in the audit trail, so it must say something and must not carry numbers itself. */
function checkPurpose(purpose: string): string {
  const text = purpose.trim();
  if ([...text].length < PURPOSE_MIN) throw new ValidationError([{ path: 'purpose', message: `state the purpose (at least ${PURPOSE_MIN} characters)` }]);
  if (/\d{6,}/.test(text)) throw new ValidationError([{ path: 'purpose', message: 'must not contain identity or account numbers' }]);
  return text;
}

/** Whole values for a stated purpose. The audit row records who, when, why and which fields — never the values. */
export async function unmaskStudent({ ctx, input: raw }: UseCaseCall<UnmaskStudentInput>): Promise<UnmaskedStudent> {
  const input = parseInput(UnmaskStudentInput, raw);
  const vault = vaultOf(ctx);
  return inTransaction(ctx, async (tx) => {
    const row = await studentFor(tx, ctx, input.studentId, 'student.unmask');
    const purpose = checkPurpose(input.purpose);
    const name = await vault.open('name', row.nameSealed);
    const result: UnmaskedStudent = {
      id: row.id,
      purpose,
      name,
      identityNumber: await vault.open('identity_number', row.identityNumberSealed),
      phone: row.phoneSealed === null ? null : await vault.open('phone', row.phoneSealed),
      bankAccount: { bankName: row.bankName, accountNumber: await vault.open('bank_account', row.bankAccountSealed), holderName: name },
    };
    await recordAudit(tx, ctx, {
      action: 'student.unmask',
      recordType: 'student',
      recordId: row.id,
      after: { purpose, fields: ['name', 'identityNumber', 'phone', 'bankAccount.accountNumber'] },
    });
    return result;
  });
}

/** Another writer changed the row between our read and our write: the caller should reload and retry. */
function concurrentChange(): ConflictError {
  return new ConflictError('concurrent_change');
}

export async function changeBankAccount({ ctx, input: raw }: UseCaseCall<ChangeBankAccountInput>): Promise<StudentView> {
  const input = parseInput(ChangeBankAccountInput, raw);
  const vault = vaultOf(ctx);
  return inTransaction(ctx, async (tx) => {
    const row = await studentFor(tx, ctx, input.studentId, 'student.update');
    const accountNumber = checkFields((problems) => {
      const checked = checkAccount(input, '', problems);
      if (input.reason.trim().length < 2) problems.push({ path: 'reason', message: 'state the reason (at least 2 characters)' });
      return checked;
    });
    requireHolderIsStudent((await nameHash(vault, input.holderName)) === row.nameHash, 'holderName');
    const account = await protectBankAccount(vault, accountNumber);
    const bankName = input.bankName.trim();
    // Nothing would change: no write, so no audit event either.
    if (account.hash === row.bankAccountHash && bankName === row.bankName) return studentView(row);
    await refuseSharedAccount(tx, ctx, account.hash, row.id);
    const { count } = await tx.student.updateMany({
      where: { id: row.id, bankAccountHash: row.bankAccountHash, bankName: row.bankName },
      data: { bankName, bankAccountHash: account.hash, bankAccountSealed: account.sealed, bankAccountMasked: account.masked },
    });
    if (count !== 1) throw concurrentChange();
    await recordAudit(tx, ctx, {
      action: 'student.change_bank_account',
      recordType: 'student',
      recordId: row.id,
      before: { bankName: row.bankName, accountNumber: row.bankAccountMasked },
      after: { bankName, accountNumber: account.masked, reason: input.reason.trim() },
    });
    return studentView(await tx.student.findUniqueOrThrow({ where: { id: row.id } }));
  });
}

/** Contact details: the phone number, or null to remove it. */
export async function updateStudentContact({ ctx, input: raw }: UseCaseCall<UpdateStudentContactInput>): Promise<StudentView> {
  const input = parseInput(UpdateStudentContactInput, raw);
  const vault = vaultOf(ctx);
  return inTransaction(ctx, async (tx) => {
    const row = await studentFor(tx, ctx, input.studentId, 'student.update');
    const phone = checkFields((problems) => checkPhone(input.phone, problems));
    const sealed = phone === null ? null : await protectPhone(vault, phone);
    // Sealed values differ on every seal (random nonce), so the old one pins the row we read.
    const { count } = await tx.student.updateMany({
      where: { id: row.id, phoneSealed: row.phoneSealed },
      data: { phoneSealed: sealed?.sealed ?? null, phoneMasked: sealed?.masked ?? null },
    });
    if (count !== 1) throw concurrentChange();
    await recordAudit(tx, ctx, {
      action: 'student.update_contact',
      recordType: 'student',
      recordId: row.id,
      before: { phone: row.phoneMasked },
      after: { phone: sealed?.masked ?? null },
    });
    return studentView(await tx.student.findUniqueOrThrow({ where: { id: row.id } }));
  });
}

/** The student's birth date, for rules that need it (recognition before 18, age at a year's start). */
export function birthDateOf(row: Student): string {
  return toIsoDate(row.birthDate);
}
