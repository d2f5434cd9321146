// The rules of a hand match of a bank line (src/domain/bank-line-matches.ts): which lines, which
// payouts, what the line then does, and who confirms.
import { describe, expect, it } from 'vitest';
import { confirmerProblem, isHandMatchable, judgeHandMatch, outcomeForKind } from '../../src/domain/bank-line-matches.ts';
import { money } from '../../src/domain/money.ts';

const line = (outcome = 'unmatched', kind: 'debit' | 'failed' | 'return' = 'debit', amount = '2000.00') => ({ outcome, kind, amount: money(amount) });
const payout = (status: 'pending' | 'sent' | 'settled' | 'failed' | 'returned' | 'cancelled' = 'sent', amount = '2000.00') => ({
  status,
  amount: money(amount),
});

describe('which lines may be matched by hand', () => {
  it('only exceptions that applied to no payout: unmatched, ambiguous, another amount', () => {
    expect(['unmatched', 'ambiguous_match', 'amount_mismatch'].map(isHandMatchable)).toEqual([true, true, true]);
    expect(['settled', 'failed', 'returned', 'already_recorded', 'duplicate', 'not_sent', 'matched_by_hand'].some(isHandMatchable)).toBe(false);
  });

  it('refuses a line that applied already, naming its outcome', () => {
    expect(judgeHandMatch(line('settled'), payout())).toEqual({ problem: 'line_not_matchable', outcome: 'settled' });
    expect(judgeHandMatch(line('matched_by_hand'), payout())).toEqual({ problem: 'line_not_matchable', outcome: 'matched_by_hand' });
  });
});

describe('which payouts a line may be matched to', () => {
  it('exactly the line’s amount, not a fen more or less', () => {
    expect(judgeHandMatch(line('unmatched', 'debit', '2000.00'), payout('sent', '2000.01'))).toEqual({ problem: 'amount_differs' });
    expect(judgeHandMatch(line('unmatched', 'debit', '2000.00'), payout('sent', '2000'))).toEqual({ outcome: 'settled' });
  });

  it('a debit settles a sent payout, and nothing else', () => {
    expect(outcomeForKind('debit', 'sent')).toBe('settled');
    for (const status of ['pending', 'settled', 'failed', 'returned', 'cancelled'] as const) expect(outcomeForKind('debit', status)).toBeNull();
    expect(judgeHandMatch(line(), payout('settled'))).toEqual({ problem: 'payout_state', status: 'settled', kind: 'debit' });
  });

  it('a refusal fails a sent payout; a return fails a sent one or returns a settled one', () => {
    expect(outcomeForKind('failed', 'sent')).toBe('failed');
    expect(outcomeForKind('failed', 'settled')).toBeNull();
    expect(outcomeForKind('return', 'sent')).toBe('failed');
    expect(outcomeForKind('return', 'settled')).toBe('returned');
    expect(outcomeForKind('return', 'returned')).toBeNull();
    expect(outcomeForKind('return', 'pending')).toBeNull();
  });
});

describe('who confirms (maker-checker)', () => {
  it('another finance user or an approver', () => {
    expect(confirmerProblem('maker', { userId: 'checker', role: 'finance' })).toBeNull();
    expect(confirmerProblem('maker', { userId: 'checker', role: 'approver' })).toBeNull();
  });

  it('never the user who proposed, and no other role', () => {
    expect(confirmerProblem('maker', { userId: 'maker', role: 'finance' })).toBe('same_user');
    for (const role of ['caseworker', 'auditor', 'admin', 'foundation_viewer'] as const)
      expect(confirmerProblem('maker', { userId: 'other', role })).toBe('role');
  });
});
