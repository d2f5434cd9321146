// A student's participation in an empowerment activity: registered, then attended, completed or
// withdrawn, each with its date; hours; the outcome where the kind has one (an internship's host
// and length, employment's sector and start — never a salary); evidence references. Recorded by
// the foundation's coordinator or by a caseworker of the administering department. One attended or
// completed participation is one person-time (人次, src/domain/empowerment.ts).
//
// Refused (nothing written): a student the programme never granted (422 student_not_granted), a
// registration after the activity's last day or an attendance or completion outside its days (422
// date_outside_activity), a date after today (422 date_in_future) or before the registration (400),
// an outcome the kind does not have (422 outcome_not_for_kind), a change completion or withdrawal
// does not allow (422 participation_status_transition), a full activity (422 activity_full), the
// same student twice (409 duplicate_participation).
import { z } from 'zod';
import { dateFromIso, toIsoDate, todayInChina } from '../domain/dates.ts';
import {
  EMPLOYER_SECTORS,
  type EmployerSector,
  type EmpowermentKind,
  type ParticipationStatus,
  countsAsPersonTime,
  mayChangeParticipation,
  outcomeFieldsNotFitting,
  withinActivity,
} from '../domain/empowerment.ts';
import { ConflictError, NotFoundError, RuleViolationError } from '../domain/errors.ts';
import type { Prisma } from '#prisma';
import { recordAudit } from './audit.ts';
import { type ServiceContext, type Tx, type UseCaseCall, inTransaction } from './context.ts';
import { findActivityInScope } from './empowerment-activities.ts';
import { IsoDate, PageInput, Uuid } from './fields.ts';
import { type Page, decodeCursor, pageOf } from './pagination.ts';
import { type MaskedGrantee, maskedGrantees, requireGrantee } from './grantees.ts';
import { programmeScope, requirePermission } from './scope.ts';
import { findStudentInScope, lockStudent } from './students.ts';
import { checkFields, parseInput } from './validation.ts';

const Evidence = z
  .array(z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters'))
  .max(10)
  .meta({
    example: ['签到表 2025-07-10', '结业证书 QS-2025-031'],
    description: 'References to evidence kept elsewhere (attendance sheet, certificate, offer letter)',
  });

export const EmployerSectorField = z.enum(EMPLOYER_SECTORS).meta({
  description:
    'government 机关 · public_institution 事业单位 · state_enterprise 国有企业 · private_enterprise 民营企业 · social_organisation 社会组织 · self_employed 自主创业 · other 其他',
});

export const RegisterParticipationInput = z.strictObject({
  activityId: Uuid,
  studentId: Uuid,
  registeredOn: IsoDate.meta({ example: '2025-06-20', description: 'Not after the activity’s last day, nor after today' }),
  evidence: Evidence.optional(),
});
export type RegisterParticipationInput = z.input<typeof RegisterParticipationInput>;

export const ChangeParticipationInput = z.strictObject({
  id: Uuid,
  status: z.enum(['attended', 'completed', 'withdrawn']).meta({ description: 'attended 已参加 · completed 已完成 · withdrawn 已退出' }),
  on: IsoDate.meta({ example: '2025-07-12', description: 'Attended or completed: within the activity’s days; not before the registration, not after today' }),
  hours: z
    .string()
    .regex(/^\d{1,4}(\.\d)?$/, 'hours_format: 应为小时数，最多一位小数，如 "12.5" (must be hours written like "12.5", at most one decimal)')
    .nullable()
    .optional()
    .meta({ example: '12.5' }),
  internshipHost: z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(200, 'must be at most 200 characters')
    .nullable()
    .optional()
    .meta({ example: '青海省某公益组织' }),
  internshipWeeks: z.number().int('must be a whole number').min(1).max(52).nullable().optional(),
  employmentSector: EmployerSectorField.nullable().optional(),
  employmentStartOn: IsoDate.nullable().optional(),
  evidence: Evidence.optional(),
});
export type ChangeParticipationInput = z.input<typeof ChangeParticipationInput>;

export const ListParticipationsInput = PageInput.extend({ activityId: Uuid });
export type ListParticipationsInput = z.input<typeof ListParticipationsInput>;

export interface ParticipationView {
  id: string;
  activity: { id: string; title: string; kind: EmpowermentKind; programmeId: string };
  /** Masked as everywhere: the name and identity number as the student list shows them. */
  student: { id: string; name: string; identityNumber: string };
  status: ParticipationStatus;
  registeredOn: string;
  attendedOn: string | null;
  completedOn: string | null;
  withdrawnOn: string | null;
  hours: string | null;
  outcome: { internshipHost: string | null; internshipWeeks: number | null; employmentSector: EmployerSector | null; employmentStartOn: string | null };
  evidence: string[];
  countsAsPersonTime: boolean;
  recordedById: string;
  createdAt: string;
  updatedAt: string;
}

const include = {
  activity: { select: { id: true, title: true, kind: true, programmeId: true } },
  student: { select: { id: true, nameMasked: true, identityNumberMasked: true } },
} satisfies Prisma.EmpowermentParticipationInclude;
type ParticipationRow = Prisma.EmpowermentParticipationGetPayload<{ include: typeof include }>;

const isoOrNull = (d: Date | null) => (d ? toIsoDate(d) : null);

function view(row: ParticipationRow): ParticipationView {
  return {
    id: row.id,
    activity: row.activity,
    student: { id: row.student.id, name: row.student.nameMasked, identityNumber: row.student.identityNumberMasked },
    status: row.status,
    registeredOn: toIsoDate(row.registeredOn),
    attendedOn: isoOrNull(row.attendedOn),
    completedOn: isoOrNull(row.completedOn),
    withdrawnOn: isoOrNull(row.withdrawnOn),
    hours: row.hours === null ? null : row.hours.toFixed(1),
    outcome: {
      internshipHost: row.internshipHost,
      internshipWeeks: row.internshipWeeks,
      employmentSector: row.employmentSector,
      employmentStartOn: isoOrNull(row.employmentStartOn),
    },
    evidence: row.evidence,
    countsAsPersonTime: countsAsPersonTime(row.status),
    recordedById: row.recordedById,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** What the audit trail keeps of a participation: ids, dates and outcome, never a name. */
function audited(v: ParticipationView) {
  const { student, activity, ...rest } = v;
  return { ...rest, studentId: student.id, activityId: activity.id };
}

async function load(db: Tx, id: string): Promise<ParticipationView> {
  return view(await db.empowermentParticipation.findUniqueOrThrow({ where: { id }, include }));
}

function notInFuture(date: string, field: string): void {
  if (date > todayInChina()) throw new RuleViolationError('date_in_future', { field });
}

/**
 * Holds the activity until commit and reads it as it now is: registrations counted against its
 * capacity, a change of its dates and the dates checked against them go one at a time, so a date
 * checked here cannot fall outside dates another transaction is moving.
 */
async function lockedActivity(tx: Tx, id: string) {
  await tx.$queryRaw`SELECT "id" FROM "empowerment_activity" WHERE "id" = ${id}::uuid FOR UPDATE`;
  return tx.empowermentActivity.findUniqueOrThrow({ where: { id } });
}

export async function registerParticipation({ ctx, input: raw }: UseCaseCall<RegisterParticipationInput>): Promise<ParticipationView> {
  const input = parseInput(RegisterParticipationInput, raw);
  return inTransaction(ctx, async (tx) => {
    const inScope = await findActivityInScope(tx, ctx, input.activityId);
    requirePermission(ctx.actor, 'participation.record');
    const student = await findStudentInScope(tx, ctx, input.studentId);
    const activity = await lockedActivity(tx, inScope.id);
    await requireGrantee(tx, student.id, activity.programmeId);
    const dates = { startsOn: toIsoDate(activity.startsOn), endsOn: toIsoDate(activity.endsOn) };
    if (input.registeredOn > dates.endsOn) throw new RuleViolationError('date_outside_activity', { field: 'registeredOn', ...dates });
    notInFuture(input.registeredOn, 'registeredOn');

    await lockStudent(tx, student.id);
    const same = await tx.empowermentParticipation.findFirst({ where: { activityId: activity.id, studentId: student.id }, select: { id: true } });
    if (same) throw new ConflictError('duplicate_participation', { existingId: same.id });
    if (activity.capacity !== null) {
      const taken = await tx.empowermentParticipation.count({ where: { activityId: activity.id, status: { not: 'withdrawn' } } });
      if (taken >= activity.capacity) throw new RuleViolationError('activity_full', { field: 'activityId', capacity: activity.capacity });
    }
    const id = crypto.randomUUID();
    await tx.empowermentParticipation.create({
      data: {
        id,
        activityId: activity.id,
        studentId: student.id,
        status: 'registered',
        registeredOn: dateFromIso(input.registeredOn),
        evidence: input.evidence ?? [],
        recordedById: ctx.actor.userId,
      },
    });
    const created = await load(tx, id);
    await recordAudit(tx, ctx, { action: 'participation.register', recordType: 'empowerment_participation', recordId: id, after: audited(created) });
    return created;
  });
}

/** A participation of an activity the actor sees, or not found. */
async function findParticipationInScope(db: Tx, ctx: ServiceContext, id: string) {
  const row = await db.empowermentParticipation.findFirst({ where: { id, activity: { programme: programmeScope(ctx.actor) } } });
  if (!row) throw new NotFoundError('empowerment_participation');
  return row;
}

/** The dated status change with its hours, outcome and evidence; the outcome must be one the activity's kind has. */
export async function changeParticipation({ ctx, input: raw }: UseCaseCall<ChangeParticipationInput>): Promise<ParticipationView> {
  const input = parseInput(ChangeParticipationInput, raw);
  return inTransaction(ctx, async (tx) => {
    const inScope = await findParticipationInScope(tx, ctx, input.id);
    requirePermission(ctx.actor, 'participation.record');
    const activity = await lockedActivity(tx, inScope.activityId);
    // Read again under the activity's lock: a change that committed meanwhile is what this one follows.
    const found = await tx.empowermentParticipation.findUniqueOrThrow({ where: { id: inScope.id } });
    if (!mayChangeParticipation(found.status, input.status)) {
      throw new RuleViolationError('participation_status_transition', { field: 'status', currentStatus: found.status, to: input.status });
    }
    const [notFitting] = outcomeFieldsNotFitting(activity.kind, input);
    if (notFitting) throw new RuleViolationError('outcome_not_for_kind', { field: notFitting, kind: activity.kind });
    const registeredOn = toIsoDate(found.registeredOn);
    checkFields((problems) => {
      if (input.on < registeredOn) problems.push({ path: 'on', message: 'before_registration: 不能早于报名日期 (must not be before the registration)' });
    });
    const dates = { startsOn: toIsoDate(activity.startsOn), endsOn: toIsoDate(activity.endsOn) };
    if (input.status !== 'withdrawn' && !withinActivity(input.on, dates)) throw new RuleViolationError('date_outside_activity', { field: 'on', ...dates });
    notInFuture(input.on, 'on');

    const before = await load(tx, found.id);
    const on = dateFromIso(input.on);
    // Compare-and-set on the status checked: a concurrent change makes this one fail, not interleave.
    const { count } = await tx.empowermentParticipation.updateMany({
      where: { id: found.id, status: found.status },
      data: {
        status: input.status,
        ...(input.status === 'attended' ? { attendedOn: on } : input.status === 'completed' ? { completedOn: on } : { withdrawnOn: on }),
        ...(input.hours === undefined ? {} : { hours: input.hours }),
        ...(input.internshipHost === undefined ? {} : { internshipHost: input.internshipHost }),
        ...(input.internshipWeeks === undefined ? {} : { internshipWeeks: input.internshipWeeks }),
        ...(input.employmentSector === undefined ? {} : { employmentSector: input.employmentSector }),
        ...(input.employmentStartOn === undefined ? {} : { employmentStartOn: input.employmentStartOn === null ? null : dateFromIso(input.employmentStartOn) }),
        ...(input.evidence === undefined ? {} : { evidence: [...found.evidence, ...input.evidence] }),
        recordedById: ctx.actor.userId,
      },
    });
    if (count !== 1) throw new ConflictError('concurrent_change');
    const after = await load(tx, found.id);
    await recordAudit(tx, ctx, {
      action: 'participation.change_status',
      recordType: 'empowerment_participation',
      recordId: found.id,
      before: audited(before),
      after: audited(after),
    });
    return after;
  });
}

/** Participations of an activity, by registration, latest first. */
export async function listParticipations({ ctx, input: raw }: UseCaseCall<ListParticipationsInput>): Promise<Page<ParticipationView>> {
  const input = parseInput(ListParticipationsInput, raw);
  requirePermission(ctx.actor, 'empowerment.read');
  const activity = await findActivityInScope(ctx.db, ctx, input.activityId);
  const after = decodeCursor(input.cursor, ['registeredOn', 'id']);
  const rows = await ctx.db.empowermentParticipation.findMany({
    where: {
      AND: [
        { activityId: activity.id },
        after
          ? { OR: [{ registeredOn: { lt: dateFromIso(after.registeredOn) } }, { registeredOn: dateFromIso(after.registeredOn), id: { lt: after.id } }] }
          : {},
      ],
    },
    include,
    orderBy: [{ registeredOn: 'desc' }, { id: 'desc' }],
    take: input.limit + 1,
  });
  const page = pageOf(rows, input.limit, (r) => ({ registeredOn: toIsoDate(r.registeredOn), id: r.id }));
  return { items: page.items.map(view), nextCursor: page.nextCursor };
}

export const ActivityCandidatesInput = z.strictObject({ activityId: Uuid });

/**
 * The students an activity may take (granted by its programme, visible to the actor, not yet
 * registered), masked, for the registration form to offer.
 */
export async function listActivityCandidates({ ctx, input: raw }: UseCaseCall<z.input<typeof ActivityCandidatesInput>>): Promise<MaskedGrantee[]> {
  const input = parseInput(ActivityCandidatesInput, raw);
  requirePermission(ctx.actor, 'participation.record');
  const activity = await findActivityInScope(ctx.db, ctx, input.activityId);
  return maskedGrantees(ctx, activity.programmeId, { participations: { none: { activityId: activity.id } } });
}

export const GetParticipationInput = z.strictObject({ id: Uuid });

export async function getParticipation({ ctx, input: raw }: UseCaseCall<z.input<typeof GetParticipationInput>>): Promise<ParticipationView> {
  const input = parseInput(GetParticipationInput, raw);
  requirePermission(ctx.actor, 'empowerment.read');
  const row = await findParticipationInScope(ctx.db, ctx, input.id);
  return load(ctx.db, row.id);
}
