// Eligibility per student, programme and academic year, with maker-checker (DESIGN.md §2).
//
// - A caseworker of the programme's administering department proposes; every rule is evaluated
//   and stored with the determination. An ineligible proposal is STORED (status proposed,
//   eligible=false) so that the approver sees why; its approval is then refused.
// - An approver of that department — never the proposer — approves or rejects a proposed one.
//   Approval evaluates the rules again on the facts as they stand then, and is refused when any
//   rule fails now or failed at proposal (no override exists), or when the facts it rests on (the
//   recognition, the enrolment, the cohort) are no longer the ones proposed: the checker approves
//   what the maker proposed, or rejects it so that a new proposal is made.
// - Approved eligibility can be revoked with a reason and an effective date inside the year.
// - Eligibility never carries over: each academic year needs its own determination, and the rules
//   need an enrolment verification dated inside that year.
// The database keeps the same rules whatever path writes (migration *_students_eligibility):
// decider ≠ proposer, approved only if eligible, one open determination per student/programme/year.
import { academicYearEnd, academicYearStart, formatAcademicYear } from '../domain/academic-year.ts';
import { dateFromIso, toIsoDate, todayInChina } from '../domain/dates.ts';
import { evaluateEligibility, type Cohort as CohortValue, type EligibilityResult, type RuleResult } from '../domain/eligibility.ts';
import { ConflictError, NotFoundError, RuleViolationError } from '../domain/errors.ts';
import type { Action } from '../domain/roles.ts';
import { z } from 'zod';
import type { Prisma } from '#prisma';
import type { EligibilityStatus as EligibilityStatusValue, EnrolmentLevel } from '#prisma/enums';
import { recordAudit } from './audit.ts';
import { AcademicYearText, IsoDate, Reason, Uuid, academicYearField } from './fields.ts';
import { parseInput } from './validation.ts';
import { databaseRuleOf, isUniqueViolation } from '../db/errors.ts';
import { type ServiceContext, type Tx, type UseCaseCall, inTransaction } from './context.ts';
import { loadEligibilityFacts, type EligibilityFacts } from './eligibility-facts.ts';
import { endGrantOfRevokedEligibility } from './grant-ending.ts';
import type { Page } from './pagination.ts';
import { ApproveProposalInput, PROPOSAL_PARTIES, ProposalListInput, type ProposalView, RejectProposalInput } from './proposals.ts';
import { decidedMeanwhile, deciding, decisionBy, makerCheckerError, proposalReads, proposalSubjects, proposedBy } from './proposals.ts';
import { programmeScope, requirePermission } from './scope.ts';

export interface EligibilityView extends ProposalView {
  status: EligibilityStatusValue;
  cohort: CohortValue;
  eligible: boolean;
  /** Rules that failed at proposal, in evaluation order. */
  failedRules: string[];
  ruleResults: RuleResult[];
  decisionRuleResults: RuleResult[] | null;
  enrolment: { id: string; level: EnrolmentLevel; institutionName: string } | null;
  recognitionId: string | null;
  revocation: { revokedById: string; revokedAt: string; effectiveOn: string; reason: string } | null;
}

export const EligibilityStatus = z.enum(['proposed', 'approved', 'rejected', 'revoked']).meta({
  description: 'proposed (awaiting an approver) · approved · rejected · revoked (was approved)',
});
export const Cohort = z.enum(['new', 'continuing']).meta({
  description: 'new 新生: admitted within the academic year · continuing 在校生: admitted before it',
});

export const ProposeEligibilityInput = z.strictObject({ studentId: Uuid, programmeId: Uuid, academicYear: AcademicYearText });
export type ProposeEligibilityInput = z.input<typeof ProposeEligibilityInput>;

export const ApproveEligibilityInput = ApproveProposalInput;
export type ApproveEligibilityInput = z.input<typeof ApproveEligibilityInput>;

export const RejectEligibilityInput = RejectProposalInput;
export type RejectEligibilityInput = z.input<typeof RejectEligibilityInput>;

export const RevokeEligibilityInput = z.strictObject({
  id: Uuid,
  reason: Reason,
  effectiveOn: IsoDate.meta({ description: 'Date the eligibility ends; inside the determination’s academic year', example: '2027-03-01' }),
});
export type RevokeEligibilityInput = z.input<typeof RevokeEligibilityInput>;

export const ListEligibilityInput = ProposalListInput.extend({ status: EligibilityStatus.optional(), cohort: Cohort.optional() });
export type ListEligibilityInput = z.input<typeof ListEligibilityInput>;

export const GetEligibilityInput = z.strictObject({ id: Uuid });

const include = PROPOSAL_PARTIES;

type Row = Prisma.EligibilityDeterminationGetPayload<{ include: typeof include }>;

const failedOf = (rules: RuleResult[]) => rules.filter((r) => !r.passed).map((r) => r.rule);

async function views(db: Tx, rows: Row[]): Promise<EligibilityView[]> {
  const enrolmentIds = [...new Set(rows.flatMap((r) => (r.enrolmentId ? [r.enrolmentId] : [])))];
  const enrolments = enrolmentIds.length
    ? await db.enrolment.findMany({ where: { id: { in: enrolmentIds } }, select: { id: true, level: true, institutionName: true } })
    : [];
  const enrolmentById = new Map(enrolments.map((e) => [e.id, e]));
  return rows.map((r) => {
    const rules = r.ruleResults as unknown as RuleResult[];
    return {
      id: r.id,
      student: r.student,
      programme: r.programme,
      academicYear: formatAcademicYear(r.academicYear),
      status: r.status,
      cohort: r.cohort,
      eligible: r.eligible,
      failedRules: failedOf(rules),
      ruleResults: rules,
      decisionRuleResults: (r.decisionRuleResults as unknown as RuleResult[] | null) ?? null,
      enrolment: (r.enrolmentId && enrolmentById.get(r.enrolmentId)) || null,
      recognitionId: r.recognitionId,
      proposedById: r.proposedById,
      proposedAt: r.proposedAt.toISOString(),
      decision: r.decidedById && r.decidedAt ? { decidedById: r.decidedById, decidedAt: r.decidedAt.toISOString(), reason: r.decisionReason } : null,
      revocation:
        r.revokedById && r.revokedAt && r.revokedEffectiveOn && r.revocationReason
          ? { revokedById: r.revokedById, revokedAt: r.revokedAt.toISOString(), effectiveOn: toIsoDate(r.revokedEffectiveOn), reason: r.revocationReason }
          : null,
    };
  });
}

const reads = proposalReads('eligibility_determination', 'eligibility.read', {
  find: (db, where: { AND: Prisma.EligibilityDeterminationWhereInput[] }, order) => db.eligibilityDetermination.findMany({ where, include, ...order }),
  views,
});

/** What an audit row keeps of a determination: no personal data, not even masked. */
function auditView(
  r: { status: EligibilityStatusValue; eligible: boolean; cohort: CohortValue; academicYear: number; studentId: string; programmeId: string },
  extra: Record<string, unknown> = {},
) {
  return {
    status: r.status,
    eligible: r.eligible,
    cohort: r.cohort,
    academicYear: formatAcademicYear(r.academicYear),
    studentId: r.studentId,
    programmeId: r.programmeId,
    ...extra,
  };
}

const duplicate = (existingId?: string) => new ConflictError('duplicate_eligibility', existingId ? { existingId } : {});

// ─── propose ────────────────────────────────────────────────────────────────────────────────────

export async function proposeEligibility({ ctx, input: raw }: UseCaseCall<ProposeEligibilityInput>): Promise<EligibilityView> {
  const input = parseInput(ProposeEligibilityInput, raw);
  const year = academicYearField(input.academicYear);
  return inTransaction(ctx, async (tx) => {
    const { programme, student } = await proposalSubjects(tx, ctx, input, year, 'eligibility.propose');
    // Checked first for a clear answer; the partial unique index settles races (mapped below).
    const open = await tx.eligibilityDetermination.findFirst({
      where: { studentId: student.id, programmeId: programme.id, academicYear: year.startYear, status: { in: ['proposed', 'approved'] } },
      select: { id: true },
    });
    if (open) throw duplicate(open.id);

    const facts = await loadEligibilityFacts(tx, { student, programmeId: programme.id, year, today: todayInChina() });
    const result = evaluateEligibility(facts.input);
    const proposal = proposedBy(ctx, { programme, student }, year);
    const { id } = proposal;
    try {
      await tx.eligibilityDetermination.create({
        data: {
          ...proposal,
          cohort: result.cohort,
          eligible: result.eligible,
          ruleResults: rulesJson(result.rules),
          enrolmentId: facts.enrolmentId,
          recognitionId: facts.recognitionId,
        },
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw duplicate();
      throw error;
    }
    await recordAudit(tx, ctx, {
      action: 'eligibility.propose',
      recordType: 'eligibility_determination',
      recordId: id,
      after: auditView(
        {
          status: 'proposed',
          eligible: result.eligible,
          cohort: result.cohort,
          academicYear: year.startYear,
          studentId: student.id,
          programmeId: programme.id,
        },
        { failedRules: failedOf(result.rules), enrolmentId: facts.enrolmentId, recognitionId: facts.recognitionId },
      ),
    });
    return reads.view(tx, id);
  });
}

// ─── decide ─────────────────────────────────────────────────────────────────────────────────────

/**
 * Loads a determination the actor may see (else 404), checks the permission (else 403), and locks
 * its row until commit so that concurrent decisions on it queue up and each sees the previous one.
 */
async function lockInScope(tx: Tx, ctx: ServiceContext, id: string, action: Action) {
  const visible = await tx.eligibilityDetermination.findFirst({ where: { id, programme: programmeScope(ctx.actor) }, select: { id: true } });
  if (!visible) throw new NotFoundError('eligibility_determination');
  requirePermission(ctx.actor, action);
  await tx.$queryRaw`SELECT id FROM eligibility_determination WHERE id = ${id}::uuid FOR UPDATE`;
  return tx.eligibilityDetermination.findUniqueOrThrow({ where: { id }, include: { student: { select: { id: true, birthDate: true } } } });
}

type LockedRow = Awaited<ReturnType<typeof lockInScope>>;

/** The rules again, on the facts as they stand at decision time. */
async function reevaluate(tx: Tx, row: LockedRow): Promise<{ facts: EligibilityFacts; result: EligibilityResult }> {
  const year = academicYearField(formatAcademicYear(row.academicYear));
  const facts = await loadEligibilityFacts(tx, { student: row.student, programmeId: row.programmeId, year, today: todayInChina() });
  return { facts, result: evaluateEligibility(facts.input) };
}

const rulesJson = (rules: RuleResult[]) => rules as unknown as Prisma.InputJsonValue;

/** The audit event of a decision: the determination before and after it. */
function auditDecision(tx: Tx, ctx: ServiceContext, row: LockedRow, status: 'approved' | 'rejected', extra: Record<string, unknown>) {
  const action = status === 'approved' ? 'eligibility.approve' : 'eligibility.reject';
  const after = auditView({ ...row, status }, extra);
  return recordAudit(tx, ctx, { action, recordType: 'eligibility_determination', recordId: row.id, before: auditView(row), after });
}

/** Writes the decision only if the row is still proposed; maps the database's backstops. */
async function writeDecision(tx: Tx, row: LockedRow, data: Prisma.EligibilityDeterminationUpdateManyMutationInput): Promise<void> {
  let count: number;
  try {
    ({ count } = await tx.eligibilityDetermination.updateMany({ where: { id: row.id, status: 'proposed' }, data }));
  } catch (error) {
    if (databaseRuleOf(error)?.answer === 'maker_checker') throw makerCheckerError('eligibility');
    throw error;
  }
  if (count !== 1) throw decidedMeanwhile('eligibility');
}

export async function approveEligibility({ ctx, input: raw }: UseCaseCall<ApproveEligibilityInput>): Promise<EligibilityView> {
  const input = parseInput(ApproveEligibilityInput, raw);
  return deciding(ctx, 'eligibility', lockInScope, input.id, async (tx, row) => {
    // The enrolments the rules read stay as read until commit: a status change racing this approval
    // waits for it, or commits first and is evaluated here.
    await tx.$queryRaw`SELECT "id" FROM "enrolment" WHERE "student_id" = ${row.studentId}::uuid ORDER BY "id" FOR SHARE`;
    const { facts, result } = await reevaluate(tx, row);
    const atProposal = failedOf(row.ruleResults as unknown as RuleResult[]);
    const atDecision = failedOf(result.rules);
    if (atProposal.length > 0 || atDecision.length > 0 || !row.eligible) {
      const failedRules = [...new Set([...atDecision, ...atProposal])];
      throw new RuleViolationError('rule_failed', {
        failedRules,
        failedAtProposal: atProposal,
        failedAtDecision: atDecision,
        decisionRuleResults: result.rules,
      });
    }
    if (facts.enrolmentId !== row.enrolmentId || facts.recognitionId !== row.recognitionId || result.cohort !== row.cohort) {
      throw new RuleViolationError('facts_changed', {
        proposed: { enrolmentId: row.enrolmentId, recognitionId: row.recognitionId, cohort: row.cohort },
        current: { enrolmentId: facts.enrolmentId, recognitionId: facts.recognitionId, cohort: result.cohort },
      });
    }
    await writeDecision(tx, row, { ...decisionBy(ctx, 'approved', input.reason ?? null), decisionRuleResults: rulesJson(result.rules) });
    await auditDecision(tx, ctx, row, 'approved', { reason: input.reason ?? null });
    return reads.view(tx, row.id);
  });
}

export async function rejectEligibility({ ctx, input: raw }: UseCaseCall<RejectEligibilityInput>): Promise<EligibilityView> {
  const input = parseInput(RejectEligibilityInput, raw);
  return deciding(ctx, 'eligibility', lockInScope, input.id, async (tx, row) => {
    // Kept with the rejection so that the record shows what the facts were when it was decided.
    const { result } = await reevaluate(tx, row);
    await writeDecision(tx, row, { ...decisionBy(ctx, 'rejected', input.reason), decisionRuleResults: rulesJson(result.rules) });
    await auditDecision(tx, ctx, row, 'rejected', { reason: input.reason });
    return reads.view(tx, row.id);
  });
}

// ─── revoke ─────────────────────────────────────────────────────────────────────────────────────

/**
 * Ends an approved eligibility from `effectiveOn`, a date inside its academic year; in the same
 * transaction its approved grant ends (src/services/grant-ending.ts).
 */
export async function revokeEligibility({ ctx, input: raw }: UseCaseCall<RevokeEligibilityInput>): Promise<EligibilityView> {
  const input = parseInput(RevokeEligibilityInput, raw);
  return inTransaction(ctx, async (tx) => {
    const row = await lockInScope(tx, ctx, input.id, 'eligibility.revoke');
    if (row.status === 'revoked') throw new ConflictError('already_revoked');
    if (row.status !== 'approved') {
      throw new ConflictError('not_approved', { currentStatus: row.status });
    }
    const year = academicYearField(formatAcademicYear(row.academicYear));
    if (input.effectiveOn < academicYearStart(year) || input.effectiveOn > academicYearEnd(year)) {
      throw new RuleViolationError('effective_date_outside_year', { from: academicYearStart(year), to: academicYearEnd(year), field: 'effectiveOn' });
    }
    const { count } = await tx.eligibilityDetermination.updateMany({
      where: { id: row.id, status: 'approved' },
      data: {
        status: 'revoked',
        revokedById: ctx.actor.userId,
        revokedAt: new Date(),
        revokedEffectiveOn: dateFromIso(input.effectiveOn),
        revocationReason: input.reason,
      },
    });
    if (count !== 1) throw new ConflictError('already_revoked');
    await recordAudit(tx, ctx, {
      action: 'eligibility.revoke',
      recordType: 'eligibility_determination',
      recordId: row.id,
      before: auditView(row),
      after: auditView({ ...row, status: 'revoked' }, { reason: input.reason, effectiveOn: input.effectiveOn }),
    });
    // Its approved grant ends: what is not yet sent is cancelled and returns to the fund (posts last).
    await endGrantOfRevokedEligibility(tx, ctx, { eligibilityId: row.id, effectiveOn: input.effectiveOn, reason: input.reason });
    return reads.view(tx, row.id);
  });
}

// ─── read ───────────────────────────────────────────────────────────────────────────────────────

/** Newest proposals first; the cursor is (proposedAt, id). */
export async function listEligibility({ ctx, input: raw }: UseCaseCall<ListEligibilityInput>): Promise<Page<EligibilityView>> {
  const input = parseInput(ListEligibilityInput, raw);
  return reads.list(ctx, input, [input.status ? { status: input.status } : {}, input.cohort ? { cohort: input.cohort } : {}]);
}

export async function getEligibility({ ctx, input: raw }: UseCaseCall<z.input<typeof GetEligibilityInput>>): Promise<EligibilityView> {
  return reads.get(ctx, parseInput(GetEligibilityInput, raw).id);
}
