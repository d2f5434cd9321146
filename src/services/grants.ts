// Annual grants (DESIGN.md §2): proposal within the band, maker-checker approval that
// commits the money in the ledger and splits the grant into instalments, rejection.
//
// - A caseworker of the programme's administering department proposes an amount for a student,
//   programme and academic year. Refused unless eligibility for that year is approved; the level is
//   that of the enrolment the approved eligibility rests on, and the amount must lie inside that
//   level's band (inclusive). One grant per student, programme and year; a rejected one may be
//   followed by a new proposal.
// - An approver of that department — never the proposer — approves or rejects (reason required).
//   Approval, in ONE database transaction: the status, the instalments (src/domain/instalments.ts,
//   late-approval catch-up rule there), the audit event and the posting Dr fund / Cr payable:<grant>.
//   The ledger refuses a posting that would take `fund` below zero, under its append lock, so
//   concurrent approvals never overdraw: the loser gets 422 `insufficient_fund`.
// - An approved grant's amount never changes: no use case offers it, and the database refuses it.
// The database keeps the same rules whatever path writes (migration *_grants): band, approved
// eligibility and level on insert and approval, maker ≠ checker, one grant per year, instalments
// adding up to the grant at commit, bands frozen once a grant of their year is approved.
import { academicYearEnd, formatAcademicYear, type AcademicYear } from '../domain/academic-year.ts';
import { dateFromIso, toIsoDate, todayInChina } from '../domain/dates.ts';
import { ConflictError, NotFoundError, RuleViolationError } from '../domain/errors.ts';
import { AcademicYearOverError, splitIntoInstalments } from '../domain/instalments.ts';
import { postings } from '../domain/ledger-postings.ts';
import { CURRENCY, type Money, formatMoney, money } from '../domain/money.ts';
import type { Action } from '../domain/roles.ts';
import { z } from 'zod';
import type { Prisma } from '#prisma';
import type { EnrolmentStatus, EnrolmentLevel, GrantStatus as GrantStatusValue, InstalmentStatus } from '#prisma/enums';
import { InsufficientBalanceError, postTransaction } from '../ledger/journal.ts';
import { recordAudit } from './audit.ts';
import { AcademicYearText, PositiveMoney, Uuid, academicYearField } from './fields.ts';
import { parseInput } from './validation.ts';
import { grantListPage } from './grant-list.ts';
import { databaseRuleOf, isUniqueViolation } from '../db/errors.ts';
import { type ServiceContext, type Tx, type UseCaseCall, inTransaction } from './context.ts';
import type { Page } from './pagination.ts';
import { ApproveProposalInput, PROPOSAL_PARTIES, ProposalListInput, type ProposalView, RejectProposalInput } from './proposals.ts';
import { decidedMeanwhile, deciding, decisionBy, makerCheckerError, proposalReads, proposalSubjects, proposedBy } from './proposals.ts';
import { programmeScope, requirePermission, studentScope } from './scope.ts';

export interface InstalmentView {
  sequence: number;
  dueOn: string;
  amount: string;
  status: InstalmentStatus;
  catchUp: boolean;
  /** Why and from when it is held or was cancelled (or last scheduled again); null otherwise. */
  statusReason: string | null;
  statusEffectiveOn: string | null;
}

export interface GrantView extends ProposalView {
  level: EnrolmentLevel;
  amount: string;
  currency: typeof CURRENCY;
  status: GrantStatusValue;
  eligibilityId: string;
  approvedOn: string | null;
  ledgerTransaction: { id: string; seq: string; hash: string } | null;
  /** Set once the grant ended (enrolment ended, eligibility revoked): src/services/grant-ending.ts. */
  ending: { endedOn: string; reason: string; ledgerTransactionId: string | null } | null;
  instalments: InstalmentView[];
}

export const GrantStatus = z.enum(['proposed', 'approved', 'rejected', 'ended']).meta({
  description:
    'proposed (awaiting an approver) · approved (committed in the ledger, split into instalments) · rejected · ended (enrolment ended or eligibility revoked)',
});

export const ProposeGrantInput = z.strictObject({
  studentId: Uuid,
  programmeId: Uuid,
  academicYear: AcademicYearText,
  amount: PositiveMoney.meta({
    description: 'Annual amount in CNY, inside the band for the student’s level (inclusive), at most two decimals',
    example: '4000.00',
  }),
});
export type ProposeGrantInput = z.input<typeof ProposeGrantInput>;

export const ApproveGrantInput = ApproveProposalInput;
export type ApproveGrantInput = z.input<typeof ApproveGrantInput>;

export const RejectGrantInput = RejectProposalInput;
export type RejectGrantInput = z.input<typeof RejectGrantInput>;

export const ListGrantsInput = ProposalListInput.extend({ status: GrantStatus.optional() });
export type ListGrantsInput = z.input<typeof ListGrantsInput>;

export const GetGrantInput = z.strictObject({ id: Uuid });
export const StudentGrantHistoryInput = z.strictObject({ studentId: Uuid });

const include = {
  ...PROPOSAL_PARTIES,
  instalments: { orderBy: { sequence: 'asc' as const } },
} as const;

type Row = Prisma.GrantGetPayload<{ include: typeof include }>;

async function views(db: Tx, rows: Row[]): Promise<GrantView[]> {
  const txIds = rows.flatMap((r) => (r.ledgerTransactionId ? [r.ledgerTransactionId] : []));
  const ledger = txIds.length ? await db.ledgerTransaction.findMany({ where: { id: { in: txIds } }, select: { id: true, seq: true, hash: true } }) : [];
  const byId = new Map(ledger.map((t) => [t.id, t]));
  return rows.map((r) => {
    const posted = r.ledgerTransactionId ? byId.get(r.ledgerTransactionId) : undefined;
    return {
      id: r.id,
      student: r.student,
      programme: r.programme,
      academicYear: formatAcademicYear(r.academicYear),
      level: r.level,
      amount: formatMoney(r.amount.toString()),
      currency: CURRENCY,
      status: r.status,
      eligibilityId: r.eligibilityId,
      proposedById: r.proposedById,
      proposedAt: r.proposedAt.toISOString(),
      decision: r.decidedById && r.decidedAt ? { decidedById: r.decidedById, decidedAt: r.decidedAt.toISOString(), reason: r.decisionReason } : null,
      approvedOn: r.approvedOn ? toIsoDate(r.approvedOn) : null,
      ledgerTransaction: posted ? { id: posted.id, seq: posted.seq.toString(), hash: posted.hash } : null,
      ending: r.endedOn && r.endReason ? { endedOn: toIsoDate(r.endedOn), reason: r.endReason, ledgerTransactionId: r.endLedgerTransactionId } : null,
      instalments: r.instalments.map((i) => ({
        sequence: i.sequence,
        dueOn: toIsoDate(i.dueOn),
        amount: formatMoney(i.amount.toString()),
        status: i.status,
        catchUp: i.catchUp,
        statusReason: i.statusReason,
        statusEffectiveOn: i.statusEffectiveOn ? toIsoDate(i.statusEffectiveOn) : null,
      })),
    };
  });
}

const reads = proposalReads('grant', 'grant.read', {
  find: (db, where: { AND: Prisma.GrantWhereInput[] }, order) => db.grant.findMany({ where, include, ...order }),
  views,
});

/** What an audit row keeps of a grant: no personal data, not even masked. */
function auditView(
  r: { status: GrantStatusValue; amount: { toString(): string }; academicYear: number; level: EnrolmentLevel; studentId: string; programmeId: string },
  extra: Record<string, unknown> = {},
) {
  return {
    status: r.status,
    amount: formatMoney(r.amount.toString()),
    academicYear: formatAcademicYear(r.academicYear),
    level: r.level,
    studentId: r.studentId,
    programmeId: r.programmeId,
    ...extra,
  };
}

const duplicate = (existingId?: string) => new ConflictError('duplicate_grant', existingId ? { existingId } : {});

const notEligible = (year: AcademicYear) => new RuleViolationError('eligibility_not_approved', { year: year.label, field: 'studentId' });

const yearOver = (year: AcademicYear) => new RuleViolationError('academic_year_over', { year: year.label, yearEnd: academicYearEnd(year) });

/** `min` and `max` null: the level has no band. */
const outsideBand = (min: string | null, max: string | null, level: EnrolmentLevel) =>
  new RuleViolationError('amount_outside_band', { field: 'amount', level, min, max });

/** Maps what the database refused (by the API code answering its rule) to the errors the service gives when it checks first. */
function mapDatabaseRule(error: unknown, year: AcademicYear, level: EnrolmentLevel): never {
  switch (databaseRuleOf(error)?.answer) {
    case 'maker_checker':
      throw makerCheckerError('grant');
    case 'amount_outside_band':
      throw outsideBand(null, null, level);
    case 'eligibility_not_approved':
      throw notEligible(year);
    case 'duplicate_grant':
      throw duplicate();
    case 'enrolment_ended':
      throw enrolmentEnded(null);
  }
  if (isUniqueViolation(error)) throw duplicate();
  throw error;
}

const enrolmentEnded = (status: EnrolmentStatus | null) =>
  new RuleViolationError('enrolment_ended', status ? { status, enrolmentStatus: status } : { status: null });

/** A graduated or withdrawn student gets no new grant and no new commitment. */
function refuseEndedEnrolment(status: EnrolmentStatus): void {
  if (status === 'graduated' || status === 'withdrawn') throw enrolmentEnded(status);
}

async function bandFor(tx: Tx, programmeId: string, academicYear: number, level: EnrolmentLevel) {
  const band = await tx.programmeBand.findUnique({ where: { programmeId_academicYear_level: { programmeId, academicYear, level } } });
  return band ? { min: formatMoney(band.minAmount.toString()), max: formatMoney(band.maxAmount.toString()) } : null;
}

async function requireInBand(tx: Tx, programmeId: string, academicYear: number, level: EnrolmentLevel, amount: Money) {
  const band = await bandFor(tx, programmeId, academicYear, level);
  if (!band) throw outsideBand(null, null, level);
  if (amount.lessThan(band.min) || amount.greaterThan(band.max)) throw outsideBand(band.min, band.max, level);
}

// ─── propose ────────────────────────────────────────────────────────────────────────────────────

export async function proposeGrant({ ctx, input: raw }: UseCaseCall<ProposeGrantInput>): Promise<GrantView> {
  const input = parseInput(ProposeGrantInput, raw);
  const year = academicYearField(input.academicYear);
  const amount = money(input.amount);
  return inTransaction(ctx, async (tx) => {
    const { programme, student } = await proposalSubjects(tx, ctx, input, year, 'grant.propose');
    if (todayInChina() > academicYearEnd(year)) throw yearOver(year);
    const eligibility = await tx.eligibilityDetermination.findFirst({
      where: { studentId: student.id, programmeId: programme.id, academicYear: year.startYear, status: 'approved' },
      select: { id: true, enrolmentId: true },
    });
    if (!eligibility?.enrolmentId) throw notEligible(year);
    const { level, status: enrolmentStatus } = await tx.enrolment.findUniqueOrThrow({
      where: { id: eligibility.enrolmentId },
      select: { level: true, status: true },
    });
    refuseEndedEnrolment(enrolmentStatus);
    await requireInBand(tx, programme.id, year.startYear, level, amount);
    // Checked first for a clear answer; the partial unique index settles races.
    const existing = await tx.grant.findFirst({
      where: { studentId: student.id, programmeId: programme.id, academicYear: year.startYear, status: { not: 'rejected' } },
      select: { id: true },
    });
    if (existing) throw duplicate(existing.id);

    const proposal = proposedBy(ctx, { programme, student }, year);
    const { id } = proposal;
    try {
      await tx.grant.create({ data: { ...proposal, eligibilityId: eligibility.id, level, amount: formatMoney(amount) } });
    } catch (error) {
      mapDatabaseRule(error, year, level);
    }
    await recordAudit(tx, ctx, {
      action: 'grant.propose',
      recordType: 'grant',
      recordId: id,
      after: auditView(
        { status: 'proposed', amount, academicYear: year.startYear, level, studentId: student.id, programmeId: programme.id },
        { eligibilityId: eligibility.id },
      ),
    });
    return reads.view(tx, id);
  });
}

// ─── decide ─────────────────────────────────────────────────────────────────────────────────────

/** Loads a grant in scope (else 404), checks the permission (else 403), locks it until commit. */
async function lockInScope(tx: Tx, ctx: ServiceContext, id: string, action: Action) {
  const visible = await tx.grant.findFirst({ where: { id, programme: programmeScope(ctx.actor) }, select: { id: true } });
  if (!visible) throw new NotFoundError('grant');
  requirePermission(ctx.actor, action);
  await tx.$queryRaw`SELECT "id" FROM "grant" WHERE "id" = ${id}::uuid FOR UPDATE`;
  return tx.grant.findUniqueOrThrow({ where: { id }, include: { programme: { select: { instalmentPlan: true } } } });
}

type LockedRow = Awaited<ReturnType<typeof lockInScope>>;

/**
 * The facts an approval rests on, locked FOR SHARE until commit: the eligibility, then its
 * enrolment. Revocation locks the eligibility, and a status change the enrolment, for update before
 * they look for approved grants, so each pair runs one after the other (the grant guard in the
 * database takes the same locks whatever path writes). Lock order everywhere: grant, eligibility,
 * enrolment, instalments.
 */
async function lockFactsOfGrant(tx: Tx, eligibilityId: string): Promise<{ eligibilityStatus: string | null; enrolmentStatus: EnrolmentStatus | null }> {
  const [eligibility] = await tx.$queryRaw<{ status: string; enrolment_id: string | null }[]>`
    SELECT "status"::text AS status, "enrolment_id"::text AS enrolment_id FROM "eligibility_determination" WHERE "id" = ${eligibilityId}::uuid FOR SHARE`;
  if (!eligibility?.enrolment_id) return { eligibilityStatus: eligibility?.status ?? null, enrolmentStatus: null };
  const [enrolment] = await tx.$queryRaw<{ status: EnrolmentStatus }[]>`
    SELECT "status"::text AS status FROM "enrolment" WHERE "id" = ${eligibility.enrolment_id}::uuid FOR SHARE`;
  return { eligibilityStatus: eligibility.status, enrolmentStatus: enrolment?.status ?? null };
}

/** The audit event of a decision: the grant before and after it. */
function auditDecision(tx: Tx, ctx: ServiceContext, row: LockedRow, status: 'approved' | 'rejected', extra: Record<string, unknown>) {
  const action = status === 'approved' ? 'grant.approve' : 'grant.reject';
  const after = auditView({ ...row, status }, extra);
  return recordAudit(tx, ctx, { action, recordType: 'grant', recordId: row.id, before: auditView(row), after });
}

async function writeDecision(tx: Tx, row: LockedRow, year: AcademicYear, data: Prisma.GrantUpdateManyMutationInput): Promise<void> {
  let count = 0;
  try {
    ({ count } = await tx.grant.updateMany({ where: { id: row.id, status: 'proposed' }, data }));
  } catch (error) {
    mapDatabaseRule(error, year, row.level);
  }
  if (count !== 1) throw decidedMeanwhile('grant');
}

export async function approveGrant({ ctx, input: raw }: UseCaseCall<ApproveGrantInput>): Promise<GrantView> {
  const input = parseInput(ApproveGrantInput, raw);
  return deciding(ctx, 'grant', lockInScope, input.id, async (tx, row) => {
    const year = academicYearField(formatAcademicYear(row.academicYear));
    const today = todayInChina();
    const amount = money(row.amount.toString());
    let planned;
    try {
      planned = splitIntoInstalments({ amount, plan: row.programme.instalmentPlan, year, approvedOn: today });
    } catch (error) {
      if (error instanceof AcademicYearOverError) throw yearOver(year);
      throw error;
    }
    // The eligibility may have been revoked since the proposal, the enrolment ended or suspended,
    // and the bands replaced. Both rows are read FOR SHARE and stay locked to commit, so that a
    // revocation or a status change racing this approval waits for it and then ends or holds the
    // grant, or commits first and is seen here (lockFactsOfGrant).
    const { eligibilityStatus, enrolmentStatus } = await lockFactsOfGrant(tx, row.eligibilityId);
    if (eligibilityStatus !== 'approved') throw notEligible(year);
    // Money is never committed for an ended enrolment; a suspended one gets its instalments held
    // until it resumes.
    if (enrolmentStatus) refuseEndedEnrolment(enrolmentStatus);
    const held = enrolmentStatus === 'suspended';
    await requireInBand(tx, row.programmeId, row.academicYear, row.level, amount);

    const transactionId = crypto.randomUUID();
    await writeDecision(tx, row, year, {
      ...decisionBy(ctx, 'approved', input.reason ?? null),
      approvedOn: dateFromIso(today),
      ledgerTransactionId: transactionId,
    });
    await tx.instalment.createMany({
      data: planned.map((p) => ({
        id: crypto.randomUUID(),
        grantId: row.id,
        sequence: p.sequence,
        dueOn: dateFromIso(p.dueOn),
        amount: formatMoney(p.amount),
        catchUp: p.catchUp,
        ...(held
          ? { status: 'held' as const, statusReason: 'enrolment suspended (休学) when the grant was approved', statusEffectiveOn: dateFromIso(today) }
          : {}),
      })),
    });
    await auditDecision(tx, ctx, row, 'approved', {
      reason: input.reason ?? null,
      approvedOn: today,
      ledgerTransactionId: transactionId,
      instalments: planned.map((p) => ({ sequence: p.sequence, dueOn: p.dueOn, amount: formatMoney(p.amount), catchUp: p.catchUp })),
    });
    // Last: the ledger's append lock is held from here to commit.
    await postTransaction(tx, {
      id: transactionId,
      programmeId: row.programmeId,
      kind: 'grant_approved',
      eventDate: today,
      description: `Grant approved for academic year ${year.label}`,
      sourceType: 'grant',
      sourceId: row.id,
      actorId: ctx.actor.userId,
      postings: postings.grantApproved(row.id, amount),
    }).catch((error: unknown) => {
      if (error instanceof InsufficientBalanceError) {
        const { available, needed } = error.details as { available: string; needed: string };
        // The shortfall too, so that an approver knows how much must arrive before approving again.
        throw new RuleViolationError('insufficient_fund', { available, needed, missing: formatMoney(money(needed).minus(available)) });
      }
      throw error;
    });
    return reads.view(tx, row.id);
  });
}

export async function rejectGrant({ ctx, input: raw }: UseCaseCall<RejectGrantInput>): Promise<GrantView> {
  const input = parseInput(RejectGrantInput, raw);
  return deciding(ctx, 'grant', lockInScope, input.id, async (tx, row) => {
    const year = academicYearField(formatAcademicYear(row.academicYear));
    await writeDecision(tx, row, year, decisionBy(ctx, 'rejected', input.reason));
    await auditDecision(tx, ctx, row, 'rejected', { reason: input.reason });
    return reads.view(tx, row.id);
  });
}

// ─── read ───────────────────────────────────────────────────────────────────────────────────────

/** Newest proposals first; the cursor is (proposedAt, id). */
export async function listGrants({ ctx, input: raw }: UseCaseCall<ListGrantsInput>): Promise<Page<GrantView>> {
  const input = parseInput(ListGrantsInput, raw);
  requirePermission(ctx.actor, 'grant.read');
  // One statement for the whole page (grant-list.ts); a grant by id reads through `views` below.
  return grantListPage(ctx.db, ctx.actor, input);
}

export async function getGrant({ ctx, input: raw }: UseCaseCall<z.input<typeof GetGrantInput>>): Promise<GrantView> {
  return reads.get(ctx, parseInput(GetGrantInput, raw).id);
}

/**
 * A student's grants across years, oldest year first, with instalments and their status: every
 * grant of the programmes the actor may see (proposed, rejected and ended ones included).
 * A student outside the actor's scope answers 404.
 */
export async function studentGrantHistory({
  ctx,
  input: raw,
}: UseCaseCall<z.input<typeof StudentGrantHistoryInput>>): Promise<{ student: GrantView['student']; grants: GrantView[] }> {
  const input = parseInput(StudentGrantHistoryInput, raw);
  const student = await ctx.db.student.findFirst({
    where: { AND: [{ id: input.studentId }, studentScope(ctx.actor)] },
    select: { id: true, nameMasked: true, identityNumberMasked: true },
  });
  if (!student) throw new NotFoundError('student');
  requirePermission(ctx.actor, 'grant.read');
  const rows = await ctx.db.grant.findMany({
    where: { studentId: student.id, programme: programmeScope(ctx.actor) },
    include,
    orderBy: [{ academicYear: 'asc' }, { proposedAt: 'asc' }, { id: 'asc' }],
  });
  return { student, grants: await views(ctx.db, rows) };
}
