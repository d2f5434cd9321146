// A line of the bank's answer matched to its payout by hand (手工匹配), with maker-checker: which
// lines may be matched, to which payout, what the line then does to it, and who may confirm. Pure:
// the services do the I/O and take the locks.
import type { Role } from './roles.ts';
import type { Money } from './money.ts';
import type { BankResultKind, PayoutStatus } from './payouts.ts';

/**
 * The outcomes of a line that applied to no payout and that a person can resolve: no reference or
 * one no payout has, several candidates (matching without a reference), another payout's amount.
 * Lines that applied, repeat a recorded fact, or name an unsent payout are never matched by hand.
 * The database's bank_result_line_guard lists the same outcomes.
 */
export const HAND_MATCHABLE_OUTCOMES: readonly string[] = ['unmatched', 'ambiguous_match', 'amount_mismatch'];

/** What a line is, once a confirmed hand match applied it. */
export const MATCHED_BY_HAND = 'matched_by_hand';

export type HandMatchOutcome = 'settled' | 'failed' | 'returned';

export interface HandMatchLine {
  outcome: string;
  kind: BankResultKind;
  amount: Money;
}

export interface HandMatchPayout {
  status: PayoutStatus;
  amount: Money;
}

export type HandMatchProblem =
  /** The line applied, or is no exception a person resolves. */
  | { problem: 'line_not_matchable'; outcome: string }
  /** The payout is for another amount: a hand match never changes an amount. */
  | { problem: 'amount_differs' }
  /** The payout is in no state this kind of line can apply to. */
  | { problem: 'payout_state'; status: PayoutStatus; kind: BankResultKind };

export type HandMatchJudgement = { outcome: HandMatchOutcome } | HandMatchProblem;

/** Whether a line with this outcome may be matched by hand. */
export function isHandMatchable(outcome: string): boolean {
  return HAND_MATCHABLE_OUTCOMES.includes(outcome);
}

/**
 * What the line would do to the payout, as an imported line naming it would: a debit settles a sent
 * payout; a refusal fails a sent one; a return fails a sent one (it came back before settling) or
 * returns a settled one. Anything else — a second settlement, a payout never sent — is refused.
 */
export function outcomeForKind(kind: BankResultKind, status: PayoutStatus): HandMatchOutcome | null {
  switch (kind) {
    case 'debit':
      return status === 'sent' ? 'settled' : null;
    case 'failed':
      return status === 'sent' ? 'failed' : null;
    case 'return':
      return status === 'sent' ? 'failed' : status === 'settled' ? 'returned' : null;
  }
}

/**
 * Judges a hand match of a line to a payout of the same programme (the service finds the payout in
 * the programme only): the line must be an exception that applied to nothing, the amount exactly
 * the payout's, and the payout in a state the line's kind applies to.
 */
export function judgeHandMatch(line: HandMatchLine, payout: HandMatchPayout): HandMatchJudgement {
  if (!isHandMatchable(line.outcome)) return { problem: 'line_not_matchable', outcome: line.outcome };
  if (!line.amount.equals(payout.amount)) return { problem: 'amount_differs' };
  const outcome = outcomeForKind(line.kind, payout.status);
  if (!outcome) return { problem: 'payout_state', status: payout.status, kind: line.kind };
  return { outcome };
}

/** Roles that may confirm or reject a proposal (beside the permission table, for the pages' wording). */
export const CHECKER_ROLES: readonly Role[] = ['finance', 'approver'];

/**
 * Maker-checker: a proposal is confirmed by another user than the one who proposed it, a finance
 * user or an approver (of the administering department: the programme's scope sees to that).
 */
export function confirmerProblem(proposedById: string, confirmer: { userId: string; role: Role }): 'same_user' | 'role' | null {
  if (!CHECKER_ROLES.includes(confirmer.role)) return 'role';
  if (confirmer.userId === proposedById) return 'same_user';
  return null;
}
