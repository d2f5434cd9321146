// Activities of a programme's empowerment track (青山陪伴赋能工程): public-benefit marketing events,
// career-planning courses, summer internships, employment assistance, or other. The foundation's
// coordinator (项目专员) makes and changes them for the programmes its foundation funds; everyone who
// may read the track sees them within their programme scope. No money: nothing here posts to the ledger.
//
// Refused (nothing written): a last day before the first (400 endsOn), an activity neither online
// nor with a place (400 place), a change that would leave a participation's date outside the
// activity's dates (422 date_outside_activity).
import { z } from 'zod';
import { dateFromIso, toIsoDate } from '../domain/dates.ts';
import { EMPOWERMENT_KINDS, type EmpowermentKind, PARTICIPATION_STATUSES, type ParticipationStatus, personTimes } from '../domain/empowerment.ts';
import { type FieldProblem, NotFoundError, RuleViolationError } from '../domain/errors.ts';
import type { Prisma } from '#prisma';
import { recordAudit } from './audit.ts';
import { type ServiceContext, type Tx, type UseCaseCall, inTransaction } from './context.ts';
import { IsoDate, PageInput, Uuid, text } from './fields.ts';
import { type Page, pageOf, decodeCursor } from './pagination.ts';
import { findProgrammeInScope } from './programmes.ts';
import { programmeScope, requirePermission } from './scope.ts';
import { checkFields, parseInput } from './validation.ts';

export const EmpowermentKindField = z.enum(EMPOWERMENT_KINDS).meta({
  description:
    'public_benefit_marketing 公益营销活动 · career_planning_course 职业规划课程 · summer_internship 暑假实习 · employment_assistance 就业援助 · other 其他',
});

const ActivityFields = z.strictObject({
  kind: EmpowermentKindField,
  organiser: z.enum(['foundation', 'partner']).meta({ description: 'foundation: the programme’s foundation itself · partner: a partner organisation' }),
  organiserName: text(200, '青山慈善基金会'),
  title: text(200, '2025 年暑期职业规划训练营'),
  startsOn: IsoDate.meta({ example: '2025-07-10' }),
  endsOn: IsoDate.meta({ example: '2025-07-12', description: 'The last day; on or after startsOn' }),
  online: z.boolean(),
  place: z.string().trim().max(200, 'must be at most 200 characters').nullable().optional().meta({ example: '西宁市城西区青山公益中心' }),
  capacity: z.number().int('must be a whole number').min(1).max(100_000).nullable().optional(),
  description: z.string().trim().max(2000, 'must be at most 2000 characters').nullable().optional(),
});

export const CreateActivityInput = ActivityFields.extend({ programmeId: Uuid });
export type CreateActivityInput = z.input<typeof CreateActivityInput>;

export const UpdateActivityInput = ActivityFields.extend({ id: Uuid });
export type UpdateActivityInput = z.input<typeof UpdateActivityInput>;

export const ListActivitiesInput = PageInput.extend({
  programmeId: Uuid.optional(),
  kind: EmpowermentKindField.optional(),
});
export type ListActivitiesInput = z.input<typeof ListActivitiesInput>;

export const GetActivityInput = z.strictObject({ id: Uuid });

export interface ActivityView {
  id: string;
  programme: { id: string; code: string; name: string };
  kind: EmpowermentKind;
  organiser: 'foundation' | 'partner';
  organiserName: string;
  title: string;
  startsOn: string;
  endsOn: string;
  online: boolean;
  place: string | null;
  capacity: number | null;
  description: string | null;
  /** Participations by status, and the person-times (人次) they make. */
  participants: Record<ParticipationStatus, number> & { personTimes: number };
  createdById: string;
  createdAt: string;
  updatedAt: string;
}

const include = {
  programme: { select: { id: true, code: true, name: true } },
  participations: { select: { status: true } },
} satisfies Prisma.EmpowermentActivityInclude;
type ActivityRow = Prisma.EmpowermentActivityGetPayload<{ include: typeof include }>;

function view(row: ActivityRow): ActivityView {
  const counts = Object.fromEntries(PARTICIPATION_STATUSES.map((s) => [s, row.participations.filter((p) => p.status === s).length])) as Record<
    ParticipationStatus,
    number
  >;
  return {
    id: row.id,
    programme: row.programme,
    kind: row.kind,
    organiser: row.organiser,
    organiserName: row.organiserName,
    title: row.title,
    startsOn: toIsoDate(row.startsOn),
    endsOn: toIsoDate(row.endsOn),
    online: row.online,
    place: row.place,
    capacity: row.capacity,
    description: row.description,
    participants: { ...counts, personTimes: personTimes(row.participations) },
    createdById: row.createdById,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** Activities of programmes the actor sees. */
function activityScope(ctx: ServiceContext): Prisma.EmpowermentActivityWhereInput {
  return { programme: programmeScope(ctx.actor) };
}

/** An activity of a programme the actor sees, or not found (another foundation's answers the same). */
export async function findActivityInScope(db: Tx, ctx: ServiceContext, id: string) {
  const row = await db.empowermentActivity.findFirst({ where: { AND: [{ id }, activityScope(ctx)] } });
  if (!row) throw new NotFoundError('empowerment_activity');
  return row;
}

type ActivityFieldsInput = z.output<typeof ActivityFields>;

/** The fields as stored: a place required unless online, the last day not before the first. */
function activityData(input: ActivityFieldsInput) {
  return checkFields((problems: FieldProblem[]) => {
    if (input.endsOn < input.startsOn) problems.push({ path: 'endsOn', message: 'ends_before_start: 结束日期不能早于开始日期 (must be on or after startsOn)' });
    const place = input.place?.trim() || null;
    if (!input.online && place === null)
      problems.push({ path: 'place', message: 'place_required: 线下活动须填写地点 (an activity that is not online needs a place)' });
    return {
      kind: input.kind,
      organiser: input.organiser,
      organiserName: input.organiserName,
      title: input.title,
      startsOn: dateFromIso(input.startsOn),
      endsOn: dateFromIso(input.endsOn),
      online: input.online,
      place,
      capacity: input.capacity ?? null,
      description: input.description?.trim() || null,
    };
  });
}

async function load(db: Tx, id: string): Promise<ActivityView> {
  return view(await db.empowermentActivity.findUniqueOrThrow({ where: { id }, include }));
}

export async function createActivity({ ctx, input: raw }: UseCaseCall<CreateActivityInput>): Promise<ActivityView> {
  const input = parseInput(CreateActivityInput, raw);
  return inTransaction(ctx, async (tx) => {
    const programme = await findProgrammeInScope(tx, ctx, input.programmeId);
    requirePermission(ctx.actor, 'empowerment_activity.manage');
    const data = activityData(input);
    const id = crypto.randomUUID();
    await tx.empowermentActivity.create({ data: { id, programmeId: programme.id, ...data, createdById: ctx.actor.userId } });
    const created = await load(tx, id);
    await recordAudit(tx, ctx, { action: 'empowerment_activity.create', recordType: 'empowerment_activity', recordId: id, after: created });
    return created;
  });
}

/**
 * Changes an activity's fields. Its dates may not move away from a participation already dated
 * inside them: attendance and completion must stay within the activity.
 */
export async function updateActivity({ ctx, input: raw }: UseCaseCall<UpdateActivityInput>): Promise<ActivityView> {
  const input = parseInput(UpdateActivityInput, raw);
  return inTransaction(ctx, async (tx) => {
    const activity = await findActivityInScope(tx, ctx, input.id);
    requirePermission(ctx.actor, 'empowerment_activity.manage');
    const data = activityData(input);
    // Held until commit: a participation recorded meanwhile is checked against the dates written here.
    await tx.$queryRaw`SELECT "id" FROM "empowerment_activity" WHERE "id" = ${activity.id}::uuid FOR UPDATE`;
    const outside = await tx.empowermentParticipation.findFirst({
      where: {
        activityId: activity.id,
        OR: [
          { attendedOn: { lt: data.startsOn } },
          { attendedOn: { gt: data.endsOn } },
          { completedOn: { lt: data.startsOn } },
          { completedOn: { gt: data.endsOn } },
        ],
      },
      select: { id: true },
    });
    if (outside) {
      throw new RuleViolationError('date_outside_activity', { field: 'startsOn', startsOn: input.startsOn, endsOn: input.endsOn });
    }
    const before = await load(tx, activity.id);
    await tx.empowermentActivity.update({ where: { id: activity.id }, data });
    const after = await load(tx, activity.id);
    await recordAudit(tx, ctx, { action: 'empowerment_activity.update', recordType: 'empowerment_activity', recordId: activity.id, before, after });
    return after;
  });
}

/** Activities of the programmes the actor sees, latest first day first. */
export async function listActivities({ ctx, input: raw }: UseCaseCall<ListActivitiesInput>): Promise<Page<ActivityView>> {
  const input = parseInput(ListActivitiesInput, raw);
  requirePermission(ctx.actor, 'empowerment.read');
  if (input.programmeId) await findProgrammeInScope(ctx.db, ctx, input.programmeId);
  const after = decodeCursor(input.cursor, ['startsOn', 'id']);
  const rows = await ctx.db.empowermentActivity.findMany({
    where: {
      AND: [
        activityScope(ctx),
        input.programmeId ? { programmeId: input.programmeId } : {},
        input.kind ? { kind: input.kind } : {},
        after ? { OR: [{ startsOn: { lt: dateFromIso(after.startsOn) } }, { startsOn: dateFromIso(after.startsOn), id: { lt: after.id } }] } : {},
      ],
    },
    include,
    orderBy: [{ startsOn: 'desc' }, { id: 'desc' }],
    take: input.limit + 1,
  });
  const page = pageOf(rows, input.limit, (r) => ({ startsOn: toIsoDate(r.startsOn), id: r.id }));
  return { items: page.items.map(view), nextCursor: page.nextCursor };
}

export async function getActivity({ ctx, input: raw }: UseCaseCall<z.input<typeof GetActivityInput>>): Promise<ActivityView> {
  const input = parseInput(GetActivityInput, raw);
  requirePermission(ctx.actor, 'empowerment.read');
  const row = await findActivityInScope(ctx.db, ctx, input.id);
  return load(ctx.db, row.id);
}

/** The programmes whose empowerment track the actor sees (names only: no money), for choosing one on the pages. */
export async function listEmpowermentProgrammes({ ctx }: UseCaseCall<Record<string, never>>): Promise<{ id: string; code: string; name: string }[]> {
  requirePermission(ctx.actor, 'empowerment.read');
  return ctx.db.programme.findMany({ where: programmeScope(ctx.actor), select: { id: true, code: true, name: true }, orderBy: { code: 'asc' }, take: 200 });
}
