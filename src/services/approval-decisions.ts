// Deciding a selection of proposals at once (批量审批). Each decision is still its own use case —
// approveEligibility, approveGrant, rejectEligibility, rejectGrant — with its own transaction, its
// rules evaluated again and maker-checker enforced, so a selection is never all-or-nothing: one
// refused (an insufficient fund, the approver's own proposal, decided meanwhile) leaves the others
// decided. What each one came to is answered in order, a refusal with its code, the catalogue's
// Chinese and the refusal's details (e.g. the amount missing from the fund).
import { z } from 'zod';
import { DomainError, ForbiddenError, ValidationError } from '../domain/errors.ts';
import type { ErrorCode } from '../domain/error-catalogue.ts';
import type { Action } from '../domain/roles.ts';
import type { UseCaseCall } from './context.ts';
import { approveEligibility, rejectEligibility } from './eligibility.ts';
import { Reason, Uuid } from './fields.ts';
import { approveGrant, rejectGrant } from './grants.ts';
import type { ProposalKind } from './proposals.ts';
import { ProposalKindField, type QueueItem, approvalItem } from './approval-queue.ts';
import { requirePermission } from './scope.ts';
import { parseInput } from './validation.ts';

/** At most this many proposals in one selection: each is a transaction of its own. */
export const MAX_SELECTION = 100;

export const DecideProposalsInput = z
  .strictObject({
    decision: z.enum(['approve', 'reject'], { message: 'must be approve or reject' }),
    reason: Reason.optional(),
    items: z
      .array(z.strictObject({ kind: ProposalKindField, id: Uuid }))
      .min(1, 'choose at least one proposal')
      .max(MAX_SELECTION, `choose at most ${MAX_SELECTION} proposals`),
  })
  .superRefine((input, ctx) => {
    // A rejection always says why (as rejectEligibility and rejectGrant do); said once, for the whole selection.
    if (input.decision === 'reject' && input.reason === undefined) ctx.addIssue({ code: 'custom', path: ['reason'], message: 'state the reason' });
  });
export type DecideProposalsInput = z.input<typeof DecideProposalsInput>;

export type DecisionOutcome = { kind: ProposalKind; id: string } & (
  | { decided: true; item: QueueItem }
  | { decided: false; code: ErrorCode; messageZh: string; details: Record<string, unknown>; item: QueueItem | null }
);

const DECIDE: Record<ProposalKind, Action> = { eligibility: 'eligibility.decide', grant: 'grant.decide' };

const USE_CASES = {
  eligibility: { approve: approveEligibility, reject: rejectEligibility },
  grant: { approve: approveGrant, reject: rejectGrant },
} as const;

/**
 * One decision through its use case (the page of one proposal decides with it too). Rejecting
 * without a reason is refused by the use case, naming `reason`.
 */
export function decideProposal(
  call: UseCaseCall<{ id: string; reason: string | undefined }>,
  kind: ProposalKind,
  decision: 'approve' | 'reject',
): Promise<unknown> {
  const { id, reason } = call.input;
  if (decision === 'reject') return USE_CASES[kind].reject({ ctx: call.ctx, input: { id, reason: reason ?? '' } });
  return USE_CASES[kind].approve({ ctx: call.ctx, input: reason === undefined ? { id } : { id, reason } });
}

/** A refusal of one decision that is the selection's to report, not the request's to fail: a rule, a collision, a record out of reach. */
function isRefusal(error: unknown): error is DomainError {
  return error instanceof DomainError && !(error instanceof ValidationError) && !(error instanceof ForbiddenError) && error.kind !== 'unauthenticated';
}

/** The proposal as the approver sees it now, or null when it is not the approver's to see. */
async function itemOrNull(call: UseCaseCall<{ kind: ProposalKind; id: string }>): Promise<QueueItem | null> {
  try {
    return await approvalItem(call);
  } catch (error) {
    if (isRefusal(error)) return null;
    throw error;
  }
}

/**
 * Approves or rejects each proposal of the selection, one use case each, in the order given (a
 * proposal named twice is decided once). A role that may not decide a kind named is refused whole (403).
 */
export async function decideProposals({ ctx, input: raw }: UseCaseCall<DecideProposalsInput>): Promise<DecisionOutcome[]> {
  const input = parseInput(DecideProposalsInput, raw);
  for (const kind of new Set(input.items.map((i) => i.kind))) requirePermission(ctx.actor, DECIDE[kind]);
  const seen = new Set<string>();
  const outcomes: DecisionOutcome[] = [];
  for (const { kind, id } of input.items) {
    if (seen.has(`${kind}:${id}`)) continue;
    seen.add(`${kind}:${id}`);
    try {
      await decideProposal({ ctx, input: { id, reason: input.reason } }, kind, input.decision);
      outcomes.push({ kind, id, decided: true, item: await approvalItem({ ctx, input: { kind, id } }) });
    } catch (error) {
      if (!isRefusal(error)) throw error;
      const item = await itemOrNull({ ctx, input: { kind, id } });
      outcomes.push({ kind, id, decided: false, code: error.code, messageZh: error.messageZh, details: error.details, item });
    }
  }
  return outcomes;
}
