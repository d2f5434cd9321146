// The approver's queue (待审核): the eligibility determinations and grants proposed in the
// approver's programmes and not yet decided, each with what its decision rests on — the rules as
// the service evaluated them at proposal (for a grant, those of the approved eligibility it rests
// on), the recognition and its documents (numbers masked: the queue shows masked data only), who
// proposed it, and the programme's uncommitted fund (the ledger's `fund` balance: money received
// and not yet committed to approved grants). Only the roles that decide see it; reading it changes
// nothing, and every decision goes through the use cases of eligibility.ts and grants.ts.
import { z } from 'zod';
import type { RuleResult } from '../domain/eligibility.ts';
import { ZERO, formatMoney } from '../domain/money.ts';
import type { Action } from '../domain/roles.ts';
import { toIsoDate } from '../domain/dates.ts';
import { programmeBalances } from '../ledger/balances.ts';
import type { Tx, UseCaseCall } from './context.ts';
import { type EligibilityView, getEligibility, listEligibility } from './eligibility.ts';
import { AcademicYearText, PageInput, Uuid } from './fields.ts';
import { type GrantView, getGrant, listGrants } from './grants.ts';
import type { Page } from './pagination.ts';
import type { ProposalKind } from './proposals.ts';
import { maskDocumentNumber } from './recognitions.ts';
import { requirePermission } from './scope.ts';
import { parseInput } from './validation.ts';

export const ProposalKindField = z.enum(['eligibility', 'grant'], { message: 'must be eligibility or grant' });

export const ApprovalQueueInput = z.strictObject({
  kind: ProposalKindField.optional(),
  programmeId: Uuid.optional(),
  academicYear: AcademicYearText.optional(),
  eligibilityCursor: PageInput.shape.cursor,
  grantCursor: PageInput.shape.cursor,
  limit: PageInput.shape.limit,
});
export type ApprovalQueueInput = z.input<typeof ApprovalQueueInput>;

export const ApprovalItemInput = z.strictObject({ kind: ProposalKindField, id: Uuid });
export type ApprovalItemInput = z.input<typeof ApprovalItemInput>;

export interface EvidenceView {
  documentType: string;
  /** All but the last four characters hidden (a certificate number can carry a parent's identity number). */
  documentNumberMasked: string;
  issuer: string;
  issuedOn: string;
}

export interface DecisionBasis {
  proposer: { id: string; name: string };
  /** An eligibility's rules as evaluated at proposal; for a grant, those of the eligibility it rests on. */
  ruleResults: RuleResult[];
  recognition: { recognisedOn: string; authority: string; evidence: EvidenceView[] } | null;
  /** The programme's fund balance now: received and not yet committed to approved grants. */
  uncommittedFund: string;
}

export type QueueItem = ({ kind: 'eligibility'; proposal: EligibilityView } | { kind: 'grant'; proposal: GrantView }) & { basis: DecisionBasis };
export type EligibilityItem = Extract<QueueItem, { kind: 'eligibility' }>;
export type GrantItem = Extract<QueueItem, { kind: 'grant' }>;

export interface ApprovalQueue {
  /** Null when the queue is narrowed to the other kind. */
  eligibility: Page<EligibilityItem> | null;
  grants: Page<GrantItem> | null;
}

/** Who decides each kind: the queue and its items are theirs. */
const DECIDE: Record<ProposalKind, Action> = { eligibility: 'eligibility.decide', grant: 'grant.decide' };

type Bare = { kind: 'eligibility'; proposal: EligibilityView } | { kind: 'grant'; proposal: GrantView };

/** What each decision rests on, read for all the items at once. */
async function withBases<T extends Bare>(db: Tx, items: T[]): Promise<(T & { basis: DecisionBasis })[]> {
  const grantEligibilityIds = items.flatMap((i) => (i.kind === 'grant' ? [i.proposal.eligibilityId] : []));
  const determinations = grantEligibilityIds.length
    ? await db.eligibilityDetermination.findMany({ where: { id: { in: grantEligibilityIds } }, select: { id: true, ruleResults: true, recognitionId: true } })
    : [];
  const determinationById = new Map(determinations.map((d) => [d.id, d]));
  const restsOn = (item: T) => {
    if (item.kind === 'eligibility') return { ruleResults: item.proposal.ruleResults, recognitionId: item.proposal.recognitionId };
    const d = determinationById.get(item.proposal.eligibilityId);
    return { ruleResults: (d?.ruleResults as unknown as RuleResult[] | undefined) ?? [], recognitionId: d?.recognitionId ?? null };
  };
  const recognitionIds = [...new Set(items.flatMap((i) => restsOn(i).recognitionId ?? []))];
  const recognitions = recognitionIds.length
    ? await db.recognition.findMany({
        where: { id: { in: recognitionIds } },
        select: { id: true, recognisedOn: true, authority: true, evidence: { orderBy: [{ issuedOn: 'asc' }, { id: 'asc' }] } },
      })
    : [];
  const recognitionById = new Map(recognitions.map((r) => [r.id, r]));
  const proposerIds = [...new Set(items.map((i) => i.proposal.proposedById))];
  const proposers = proposerIds.length ? await db.appUser.findMany({ where: { id: { in: proposerIds } }, select: { id: true, displayName: true } }) : [];
  const nameById = new Map(proposers.map((u) => [u.id, u.displayName]));
  const balances = await programmeBalances(db, [...new Set(items.map((i) => i.proposal.programme.id))]);
  return items.map((item) => {
    const { ruleResults, recognitionId } = restsOn(item);
    const recognition = recognitionId ? recognitionById.get(recognitionId) : undefined;
    return {
      ...item,
      basis: {
        proposer: { id: item.proposal.proposedById, name: nameById.get(item.proposal.proposedById) ?? '' },
        ruleResults,
        recognition: recognition
          ? {
              recognisedOn: toIsoDate(recognition.recognisedOn),
              authority: recognition.authority,
              evidence: recognition.evidence.map((e) => ({
                documentType: e.documentType,
                documentNumberMasked: maskDocumentNumber(e.documentNumber),
                issuer: e.issuer,
                issuedOn: toIsoDate(e.issuedOn),
              })),
            }
          : null,
        uncommittedFund: formatMoney(balances.get(item.proposal.programme.id)?.fund ?? ZERO),
      },
    };
  });
}

/** What waits for a decision in the actor's programmes, each kind newest proposal first, narrowed by kind, programme and year. */
export async function approvalQueue({ ctx, input: raw }: UseCaseCall<ApprovalQueueInput>): Promise<ApprovalQueue> {
  const input = parseInput(ApprovalQueueInput, raw);
  const kinds: ProposalKind[] = input.kind ? [input.kind] : ['eligibility', 'grant'];
  for (const kind of kinds) requirePermission(ctx.actor, DECIDE[kind]);
  const filters = { status: 'proposed' as const, programmeId: input.programmeId, academicYear: input.academicYear, limit: input.limit };
  const eligibility = kinds.includes('eligibility') ? await listEligibility({ ctx, input: { ...filters, cursor: input.eligibilityCursor } }) : null;
  const grants = kinds.includes('grant') ? await listGrants({ ctx, input: { ...filters, cursor: input.grantCursor } }) : null;
  return {
    eligibility: eligibility && {
      items: await withBases(
        ctx.db,
        eligibility.items.map((proposal) => ({ kind: 'eligibility' as const, proposal })),
      ),
      nextCursor: eligibility.nextCursor,
    },
    grants: grants && {
      items: await withBases(
        ctx.db,
        grants.items.map((proposal) => ({ kind: 'grant' as const, proposal })),
      ),
      nextCursor: grants.nextCursor,
    },
  };
}

/**
 * One proposal with what its decision rests on, whatever its status (a decided one shows its
 * decision). Outside the actor's programmes a 404; a role that does not decide it a 403.
 */
export async function approvalItem({ ctx, input: raw }: UseCaseCall<ApprovalItemInput>): Promise<QueueItem> {
  const input = parseInput(ApprovalItemInput, raw);
  const bare: Bare =
    input.kind === 'eligibility'
      ? { kind: 'eligibility', proposal: await getEligibility({ ctx, input: { id: input.id } }) }
      : { kind: 'grant', proposal: await getGrant({ ctx, input: { id: input.id } }) };
  requirePermission(ctx.actor, DECIDE[input.kind]);
  const [item] = await withBases(ctx.db, [bare]);
  return item as QueueItem;
}
