// Audit engagements: which programmes an audit body's auditors see (all, or those listed), from
// starts_on to ends_on inclusive, China dates. Platform admins make and end them; auditors read
// their own organisation's, to know what they see. Engagements are never deleted: ending one sets
// ends_on to today (its last day) and takes effect at once — an ended engagement covers nothing,
// even for the rest of that day.
//
// Who may: `audit_engagement.manage` (create, end) and reading every organisation's engagements
// need an admin of a platform organisation; an admin of a department is refused with 403 before
// any record is looked up (the endpoints are the platform's, not a record it could learn about).
import { z } from 'zod';
import { IsoDate, PageInput, Uuid } from './fields.ts';
import { parseInput } from './validation.ts';
import {
  ENGAGEMENT_SCOPES,
  type Coverage,
  type EngagementScope,
  type EngagementTerms,
  coverageOn,
  engagementProblems,
  isCurrent,
} from '../domain/audit-engagements.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../domain/errors.ts';
import { dateFromIso, toIsoDate, todayInChina } from '../domain/dates.ts';
import type { Prisma, PrismaClient } from '#prisma';
import { recordAudit } from './audit.ts';
import { type ServiceContext, type Tx, type UseCaseCall, inTransaction } from './context.ts';
import { type Page, mapPage, newestFirst } from './pagination.ts';
import { requirePermission } from './scope.ts';

export interface AuditEngagementView {
  id: string;
  auditorOrganisation: { id: string; code: string; name: string };
  scope: EngagementScope;
  programmes: { id: string; code: string; name: string }[];
  startsOn: string;
  endsOn: string | null;
  /** Whether it covers today (China date). */
  current: boolean;
  createdById: string;
  createdAt: string;
  endedAt: string | null;
  endedById: string | null;
}

export const EngagementScopeEnum = z.enum(ENGAGEMENT_SCOPES).meta({ description: '`all` programmes, or the `programmes` listed in programmeIds' });

export const CreateAuditEngagementInput = z.strictObject({
  auditorOrganisationId: Uuid.meta({ description: 'An organisation of kind `audit` or `platform`' }),
  scope: EngagementScopeEnum,
  programmeIds: z.array(Uuid).max(500).optional().meta({ description: 'Required (at least one) for scope `programmes`; none for `all`' }),
  startsOn: IsoDate.meta({ description: 'First day covered (China date)' }),
  endsOn: IsoDate.nullable().optional().meta({ description: 'Last day covered (China date); null or absent: open-ended' }),
});
export type CreateAuditEngagementInput = z.input<typeof CreateAuditEngagementInput>;

export const EndAuditEngagementInput = z.strictObject({ id: Uuid });

export const ListAuditEngagementsInput = PageInput.extend({ auditorOrganisationId: Uuid.optional() });
export type ListAuditEngagementsInput = z.input<typeof ListAuditEngagementsInput>;

const include = {
  auditorOrganisation: { select: { id: true, code: true, name: true } },
  programmes: { select: { programme: { select: { id: true, code: true, name: true } } } },
} as const;

type Row = Prisma.AuditEngagementGetPayload<{ include: typeof include }>;

function termsOf(row: {
  scope: EngagementScope;
  startsOn: Date;
  endsOn: Date | null;
  endedAt: Date | null;
  programmes: { programmeId?: string; programme?: { id: string } }[];
}): EngagementTerms {
  return {
    scope: row.scope,
    startsOn: toIsoDate(row.startsOn),
    endsOn: row.endsOn ? toIsoDate(row.endsOn) : null,
    ended: row.endedAt !== null,
    programmeIds: row.programmes.map((p) => p.programmeId ?? (p.programme as { id: string }).id),
  };
}

function view(row: Row, today: string): AuditEngagementView {
  return {
    id: row.id,
    auditorOrganisation: row.auditorOrganisation,
    scope: row.scope,
    programmes: row.programmes.map((p) => p.programme).sort((a, b) => a.code.localeCompare(b.code)),
    startsOn: toIsoDate(row.startsOn),
    endsOn: row.endsOn ? toIsoDate(row.endsOn) : null,
    current: isCurrent(termsOf(row), today),
    createdById: row.createdById,
    createdAt: row.createdAt.toISOString(),
    endedAt: row.endedAt?.toISOString() ?? null,
    endedById: row.endedById,
  };
}

function requirePlatformAdmin(ctx: ServiceContext): void {
  requirePermission(ctx.actor, 'audit_engagement.manage');
  if (ctx.actor.organisationKind !== 'platform') throw new ForbiddenError('manage audit engagements outside the platform organisation');
}

/** What an audit body's current engagements cover today: read once per request, at authentication. */
export async function loadCoverage(db: PrismaClient | Tx, auditorOrganisationId: string, today: string = todayInChina()): Promise<Coverage> {
  const day = dateFromIso(today);
  const rows = await db.auditEngagement.findMany({
    where: { auditorOrganisationId, endedAt: null, startsOn: { lte: day }, OR: [{ endsOn: null }, { endsOn: { gte: day } }] },
    select: { scope: true, startsOn: true, endsOn: true, endedAt: true, programmes: { select: { programmeId: true } } },
  });
  return coverageOn(rows.map(termsOf), today);
}

export async function createAuditEngagement({ ctx, input: raw }: UseCaseCall<CreateAuditEngagementInput>): Promise<AuditEngagementView> {
  const input = parseInput(CreateAuditEngagementInput, raw);
  requirePlatformAdmin(ctx);
  const terms: EngagementTerms = {
    scope: input.scope,
    startsOn: input.startsOn,
    endsOn: input.endsOn ?? null,
    ended: false,
    programmeIds: input.programmeIds ?? [],
  };
  const problems = engagementProblems(terms);
  if (problems.length) throw new ValidationError(problems);
  return inTransaction(ctx, async (tx) => {
    const organisation = await tx.organisation.findUnique({ where: { id: input.auditorOrganisationId }, select: { kind: true } });
    if (!organisation) throw new ValidationError([{ path: 'auditorOrganisationId', message: 'no such organisation' }]);
    if (organisation.kind !== 'audit' && organisation.kind !== 'platform') {
      throw new ValidationError([{ path: 'auditorOrganisationId', message: `a ${organisation.kind} organisation has no auditors` }]);
    }
    const found = new Set((await tx.programme.findMany({ where: { id: { in: terms.programmeIds } }, select: { id: true } })).map((p) => p.id));
    const unknown = terms.programmeIds.flatMap((id, i) => (found.has(id) ? [] : [{ path: `programmeIds.${i}`, message: 'no such programme' }]));
    if (unknown.length) throw new ValidationError(unknown);
    const id = crypto.randomUUID();
    await tx.auditEngagement.create({
      data: {
        id,
        auditorOrganisationId: input.auditorOrganisationId,
        scope: terms.scope,
        startsOn: dateFromIso(terms.startsOn),
        endsOn: terms.endsOn ? dateFromIso(terms.endsOn) : null,
        createdById: ctx.actor.userId,
        programmes: { create: terms.programmeIds.map((programmeId) => ({ programmeId })) },
      },
    });
    const created = view(await tx.auditEngagement.findUniqueOrThrow({ where: { id }, include }), todayInChina());
    await recordAudit(tx, ctx, { action: 'audit_engagement.create', recordType: 'audit_engagement', recordId: id, after: created });
    return created;
  });
}

/** Ends an engagement today (its last day) and at once. Ending one already ended, or past its end, is a 409. */
export async function endAuditEngagement({ ctx, input: raw }: UseCaseCall<z.input<typeof EndAuditEngagementInput>>): Promise<AuditEngagementView> {
  const input = parseInput(EndAuditEngagementInput, raw);
  requirePlatformAdmin(ctx);
  const today = todayInChina();
  return inTransaction(ctx, async (tx) => {
    // Held to commit: of two ends at once, the second reads the first's end and is refused as such.
    await tx.$queryRaw`SELECT "id" FROM "audit_engagement" WHERE "id" = ${input.id}::uuid FOR UPDATE`;
    const row = await tx.auditEngagement.findUnique({ where: { id: input.id }, include });
    if (!row) throw new NotFoundError('audit_engagement');
    const before = view(row, today);
    if (row.endedAt || (before.endsOn !== null && before.endsOn < today)) {
      throw new ConflictError('engagement_already_ended', { endsOn: before.endsOn });
    }
    await tx.auditEngagement.update({ where: { id: row.id }, data: { endsOn: dateFromIso(today), endedAt: new Date(), endedById: ctx.actor.userId } });
    const after = view(await tx.auditEngagement.findUniqueOrThrow({ where: { id: row.id }, include }), today);
    await recordAudit(tx, ctx, { action: 'audit_engagement.end', recordType: 'audit_engagement', recordId: row.id, before, after });
    return after;
  });
}

/**
 * Newest first. Platform admins: every engagement, optionally one audit body's; auditors: their
 * own organisation's only (another organisation's id simply matches nothing).
 */
export async function listAuditEngagements({ ctx, input: raw }: UseCaseCall<ListAuditEngagementsInput>): Promise<Page<AuditEngagementView>> {
  const input = parseInput(ListAuditEngagementsInput, raw);
  requirePermission(ctx.actor, 'audit_engagement.read');
  if (ctx.actor.role === 'admin' && ctx.actor.organisationKind !== 'platform') {
    throw new ForbiddenError('read audit engagements outside the platform organisation');
  }
  const keyset = newestFirst('createdAt', 'moment', input);
  const filters: Prisma.AuditEngagementWhereInput[] = [keyset.after];
  if (ctx.actor.role === 'auditor') filters.push({ auditorOrganisationId: ctx.actor.organisationId });
  if (input.auditorOrganisationId) filters.push({ auditorOrganisationId: input.auditorOrganisationId });
  const rows = await ctx.db.auditEngagement.findMany({ where: { AND: filters }, include, ...keyset.order });
  const today = todayInChina();
  return mapPage(keyset.page(rows), (r) => view(r, today));
}
