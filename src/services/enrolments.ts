// Enrolment (学籍): where and at which level a student studies, the status history as events with
// effective dates, and each verification of it (学籍核验: who, when, from which source).
//
// Refused (nothing written): expected graduation not after admission (400); a status change out of
// graduated/withdrawn (422 enrolment_ended), to a status not reachable from the current one
// (422 invalid_status_transition), dated before the current status took effect or after today;
// a verification dated after today; the same enrolment, or the same verification, recorded twice (409).
// An admission date in the future is accepted: newly admitted students are recorded before term starts.
import { dateFromIso, toIsoDate, todayInChina } from '../domain/dates.ts';
import { type EnrolmentStatus as EnrolmentStatusValue, statusChangeRefusal } from '../domain/enrolment-status.ts';
import { ConflictError, NotFoundError, RuleViolationError, ValidationError, type FieldProblem } from '../domain/errors.ts';
import { z } from 'zod';
import type { Action } from '../domain/roles.ts';
import type { EnrolmentLevel as EnrolmentLevelValue, Prisma } from '#prisma';
import { EnrolmentLevel, EnrolmentStatus, IsoDate, PageInput, Reason, Uuid, text } from './fields.ts';
import { checkFields, parseInput } from './validation.ts';
import { recordAudit } from './audit.ts';
import { followEnrolmentStatus } from './grant-ending.ts';
import { type ServiceContext, type Tx, type UseCaseCall, inTransaction } from './context.ts';
import { type Page, mapPage } from './pagination.ts';
import { requirePermission } from './scope.ts';
import { findStudentInScope, lockStudent, studentRecordsPage } from './students.ts';

export const RecordEnrolmentInput = z.strictObject({
  studentId: Uuid,
  institutionName: text(200, '青海大学'),
  /** The institution's code (学校标识码, 10 digits for Chinese institutions). */
  institutionCode: z
    .string()
    .regex(/^[A-Za-z0-9-]{1,32}$/, 'must be 1–32 letters, digits or hyphens')
    .meta({ example: '4163010743', description: '学校标识码' }),
  level: EnrolmentLevel,
  admissionDate: IsoDate.meta({ example: '2024-09-01' }),
  expectedGraduation: IsoDate.meta({ example: '2028-06-30', description: 'After admissionDate' }),
});
export type RecordEnrolmentInput = z.input<typeof RecordEnrolmentInput>;

export const ChangeEnrolmentStatusInput = z.strictObject({
  studentId: Uuid,
  enrolmentId: Uuid,
  status: EnrolmentStatus.meta({ example: 'suspended' }),
  effectiveOn: IsoDate.meta({ example: '2025-03-01', description: 'Not before the current status took effect, not after today' }),
  reason: Reason.meta({ example: '因病休学一年 (suspended for a year on medical grounds)' }),
});
export type ChangeEnrolmentStatusInput = z.input<typeof ChangeEnrolmentStatusInput>;

export const VerifyEnrolmentInput = z.strictObject({
  studentId: Uuid,
  enrolmentId: Uuid,
  verifiedOn: IsoDate.meta({ example: '2025-09-15' }),
  /** Where the status was checked, e.g. `学信网 CHSI` or the institution's registry office. */
  source: text(100, '学信网 CHSI'),
  reference: z.string().trim().max(200).nullable().optional().meta({ example: 'CHSI-2025-ABCD1234' }),
});
export type VerifyEnrolmentInput = z.input<typeof VerifyEnrolmentInput>;

export const ListEnrolmentsInput = PageInput.extend({ studentId: Uuid });
export type ListEnrolmentsInput = z.input<typeof ListEnrolmentsInput>;

export const GetEnrolmentInput = z.strictObject({ studentId: Uuid, enrolmentId: Uuid });

export interface EnrolmentView {
  id: string;
  studentId: string;
  institution: { name: string; code: string };
  level: EnrolmentLevelValue;
  admissionDate: string;
  expectedGraduation: string;
  status: EnrolmentStatusValue;
  statusEffectiveOn: string;
  history: { id: string; status: EnrolmentStatusValue; effectiveOn: string; reason: string | null; recordedById: string; recordedAt: string }[];
  verifications: { id: string; verifiedOn: string; source: string; reference: string | null; verifiedById: string; recordedAt: string }[];
  createdById: string;
  createdAt: string;
}

const include = {
  events: { orderBy: [{ effectiveOn: 'asc' as const }, { recordedAt: 'asc' as const }] },
  verifications: { orderBy: [{ verifiedOn: 'asc' as const }, { recordedAt: 'asc' as const }] },
};
type EnrolmentRow = Prisma.EnrolmentGetPayload<{ include: typeof include }>;

function view(row: EnrolmentRow): EnrolmentView {
  return {
    id: row.id,
    studentId: row.studentId,
    institution: { name: row.institutionName, code: row.institutionCode },
    level: row.level,
    admissionDate: toIsoDate(row.admissionDate),
    expectedGraduation: toIsoDate(row.expectedGraduation),
    status: row.status,
    statusEffectiveOn: toIsoDate(row.statusEffectiveOn),
    history: row.events.map((e) => ({
      id: e.id,
      status: e.status,
      effectiveOn: toIsoDate(e.effectiveOn),
      reason: e.reason,
      recordedById: e.recordedById,
      recordedAt: e.recordedAt.toISOString(),
    })),
    verifications: row.verifications.map((v) => ({
      id: v.id,
      verifiedOn: toIsoDate(v.verifiedOn),
      source: v.source,
      reference: v.reference,
      verifiedById: v.verifiedById,
      recordedAt: v.recordedAt.toISOString(),
    })),
    createdById: row.createdById,
    createdAt: row.createdAt.toISOString(),
  };
}

async function load(db: Tx, id: string): Promise<EnrolmentView> {
  return view(await db.enrolment.findUniqueOrThrow({ where: { id }, include }));
}

/** An enrolment of a student the actor may see; another student's enrolment answers not found. */
async function findEnrolmentInScope(db: Tx, ctx: ServiceContext, studentId: string, enrolmentId: string) {
  await findStudentInScope(db, ctx, studentId);
  const row = await db.enrolment.findFirst({ where: { id: enrolmentId, studentId } });
  if (!row) throw new NotFoundError('enrolment');
  return row;
}

/** An enrolment of a student the actor may see (else 404), to take the action on (else 403). */
async function enrolmentFor(tx: Tx, ctx: ServiceContext, input: { studentId: string; enrolmentId: string }, action: Action) {
  const enrolment = await findEnrolmentInScope(tx, ctx, input.studentId, input.enrolmentId);
  requirePermission(ctx.actor, action);
  return enrolment;
}

function notInFuture(date: string, field: string): void {
  if (date > todayInChina()) throw new RuleViolationError('date_in_future', { field });
}

function requireText(value: string, path: string, problems: FieldProblem[], min = 1): string {
  const text = value.trim();
  if ([...text].length < min) problems.push({ path, message: min === 1 ? 'must not be empty' : `must be at least ${min} characters` });
  return text;
}

function enrolmentFields(input: Omit<RecordEnrolmentInput, 'studentId'>, problems: FieldProblem[]) {
  const names = {
    institutionName: requireText(input.institutionName, 'institutionName', problems),
    institutionCode: requireText(input.institutionCode, 'institutionCode', problems),
  };
  if (input.expectedGraduation <= input.admissionDate) problems.push({ path: 'expectedGraduation', message: 'must be after admissionDate' });
  return names;
}

/** Every refusal of an enrolment that needs no stored fact (400), for the bulk intake to show beside the row's others. */
export function enrolmentRefusals(input: Omit<RecordEnrolmentInput, 'studentId'>): ValidationError[] {
  const problems: FieldProblem[] = [];
  enrolmentFields(input, problems);
  return problems.length > 0 ? [new ValidationError(problems)] : [];
}

export async function recordEnrolment({ ctx, input: raw }: UseCaseCall<RecordEnrolmentInput>): Promise<EnrolmentView> {
  const input = parseInput(RecordEnrolmentInput, raw);
  return inTransaction(ctx, async (tx) => {
    const student = await findStudentInScope(tx, ctx, input.studentId);
    requirePermission(ctx.actor, 'enrolment.record');
    const { institutionName, institutionCode } = checkFields((problems) => enrolmentFields(input, problems));

    const admissionDate = dateFromIso(input.admissionDate);
    // The duplicate check and the insert are one step per student (a double submit raced itself).
    await lockStudent(tx, student.id);
    const same = await tx.enrolment.findFirst({ where: { studentId: student.id, institutionCode, admissionDate }, select: { id: true } });
    if (same) {
      throw new ConflictError('duplicate_enrolment', { existingId: same.id });
    }
    const id = crypto.randomUUID();
    await tx.enrolment.create({
      data: {
        id,
        studentId: student.id,
        institutionName,
        institutionCode,
        level: input.level,
        admissionDate,
        expectedGraduation: dateFromIso(input.expectedGraduation),
        status: 'enrolled',
        statusEffectiveOn: admissionDate,
        createdById: ctx.actor.userId,
        // The history starts with admission, so that every status, the first included, is an event.
        events: {
          create: { id: crypto.randomUUID(), status: 'enrolled', effectiveOn: admissionDate, reason: '入学 (admission)', recordedById: ctx.actor.userId },
        },
      },
    });
    const created = await load(tx, id);
    await recordAudit(tx, ctx, { action: 'enrolment.record', recordType: 'enrolment', recordId: id, after: created });
    return created;
  });
}

/**
 * One status event; in the same transaction, the grants resting on the enrolment follow it
 * (suspended: instalments held; resumed: released; graduated/withdrawn: ended, see grant-ending.ts).
 */
export async function changeEnrolmentStatus({ ctx, input: raw }: UseCaseCall<ChangeEnrolmentStatusInput>): Promise<EnrolmentView> {
  const input = parseInput(ChangeEnrolmentStatusInput, raw);
  return inTransaction(ctx, async (tx) => {
    const enrolment = await enrolmentFor(tx, ctx, input, 'enrolment.change_status');
    const reason = checkFields((problems) => requireText(input.reason, 'reason', problems, 2));

    const from = enrolment.status;
    const refusal = statusChangeRefusal(from, input.status);
    if (refusal === 'enrolment_ended') {
      throw new RuleViolationError('enrolment_ended', { status: from, field: 'status', currentStatus: from });
    }
    if (refusal) {
      throw new RuleViolationError('invalid_status_transition', { to: input.status, field: 'status', currentStatus: from });
    }
    notInFuture(input.effectiveOn, 'effectiveOn');
    const previous = toIsoDate(enrolment.statusEffectiveOn);
    if (input.effectiveOn < previous) {
      throw new RuleViolationError('effective_date_before_previous', { field: 'effectiveOn', previousEffectiveOn: previous });
    }

    const effectiveOn = dateFromIso(input.effectiveOn);
    // Compare-and-set on the status we checked: a concurrent change makes this one fail, not interleave.
    const { count } = await tx.enrolment.updateMany({
      where: { id: enrolment.id, status: from, statusEffectiveOn: enrolment.statusEffectiveOn },
      data: { status: input.status, statusEffectiveOn: effectiveOn },
    });
    if (count !== 1) throw new ConflictError('concurrent_change');
    await tx.enrolmentStatusEvent.create({
      data: { id: crypto.randomUUID(), enrolmentId: enrolment.id, status: input.status, effectiveOn, reason, recordedById: ctx.actor.userId },
    });
    await recordAudit(tx, ctx, {
      action: 'enrolment.change_status',
      recordType: 'enrolment',
      recordId: enrolment.id,
      before: { status: from, statusEffectiveOn: previous },
      after: { status: input.status, statusEffectiveOn: input.effectiveOn, reason },
    });
    // Holds, releases or ends the grants resting on this enrolment (posts to the ledger last).
    await followEnrolmentStatus(tx, ctx, { enrolmentId: enrolment.id, from, to: input.status, effectiveOn: input.effectiveOn, reason });
    return load(tx, enrolment.id);
  });
}

export async function verifyEnrolment({ ctx, input: raw }: UseCaseCall<VerifyEnrolmentInput>): Promise<EnrolmentView> {
  const input = parseInput(VerifyEnrolmentInput, raw);
  return inTransaction(ctx, async (tx) => {
    const enrolment = await enrolmentFor(tx, ctx, input, 'enrolment.verify');
    const source = checkFields((problems) => requireText(input.source, 'source', problems));
    notInFuture(input.verifiedOn, 'verifiedOn');
    const reference = input.reference?.trim() || null;
    const verifiedOn = dateFromIso(input.verifiedOn);
    // The duplicate check and the insert are one step per student, as in the bulk step.
    await lockStudent(tx, enrolment.studentId);
    const same = await tx.enrolmentVerification.findFirst({ where: { enrolmentId: enrolment.id, verifiedOn, source, reference }, select: { id: true } });
    if (same) throw new ConflictError('duplicate_verification', { existingId: same.id });
    const id = crypto.randomUUID();
    await tx.enrolmentVerification.create({ data: { id, enrolmentId: enrolment.id, verifiedOn, source, reference, verifiedById: ctx.actor.userId } });
    await recordAudit(tx, ctx, {
      action: 'enrolment.verify',
      recordType: 'enrolment_verification',
      recordId: id,
      after: { enrolmentId: enrolment.id, verifiedOn: input.verifiedOn, source, reference },
    });
    return load(tx, enrolment.id);
  });
}

export async function listEnrolments({ ctx, input: raw }: UseCaseCall<ListEnrolmentsInput>): Promise<Page<EnrolmentView>> {
  const input = parseInput(ListEnrolmentsInput, raw);
  const page = await studentRecordsPage(ctx, input, 'admissionDate', (where, order) => ctx.db.enrolment.findMany({ where, include, ...order }));
  return mapPage(page, view);
}

export async function getEnrolment({ ctx, input: raw }: UseCaseCall<z.input<typeof GetEnrolmentInput>>): Promise<EnrolmentView> {
  const input = parseInput(GetEnrolmentInput, raw);
  requirePermission(ctx.actor, 'student.read');
  const row = await findEnrolmentInScope(ctx.db, ctx, input.studentId, input.enrolmentId);
  return load(ctx.db, row.id);
}
