import { describe, expect, it } from 'vitest';
import { money } from '../../src/domain/money.ts';
import { type PayoutState, type ResultLine, batchCodeOf, decideBatchMembership, judgeResultLine, namedInstalmentProblem } from '../../src/domain/payouts.ts';
import { MAX_REFERENCE_LENGTH, makePayoutReference, parsePayoutReference } from '../../src/bank/outgoing/payout-reference.ts';

describe('batchCodeOf', () => {
  it('is PB<yyyymmdd>-<number>, at least five digits', () => {
    expect(batchCodeOf('2026-11-26', 7)).toBe('PB20261126-00007');
    expect(batchCodeOf('2026-11-26', 123456n)).toBe('PB20261126-123456');
  });

  it('leaves room for the payout sequence within ISO 20022’s 35 characters', () => {
    const longest = batchCodeOf('2026-11-26', 999_999_999);
    const reference = makePayoutReference(longest, 999_999);
    expect(reference.length).toBeLessThanOrEqual(MAX_REFERENCE_LENGTH);
    expect(parsePayoutReference(reference)).toEqual({ batchCode: longest, sequence: 999_999 });
  });

  it('refuses what is not a date or a batch number', () => {
    expect(() => batchCodeOf('26-11-2026', 1)).toThrow(RangeError);
    expect(() => batchCodeOf('2026-11-26', 0)).toThrow(RangeError);
    expect(() => batchCodeOf('2026-11-26', 1_000_000_000)).toThrow(RangeError);
  });
});

describe('decideBatchMembership', () => {
  const due = { instalmentStatus: 'scheduled' as const, statusReason: null, eligibilityStatus: 'approved', enrolmentStatus: 'enrolled' };

  it('takes a scheduled instalment of an eligible, enrolled student', () => {
    expect(decideBatchMembership(due)).toEqual({ take: true });
  });

  it('holds a held instalment with the reason recorded when it was held', () => {
    expect(decideBatchMembership({ ...due, instalmentStatus: 'held', statusReason: 'enrolment suspended: 休学一年' })).toEqual({
      take: false,
      reason: 'enrolment suspended: 休学一年',
    });
  });

  it('holds when eligibility is no longer approved or the student is not enrolled', () => {
    expect(decideBatchMembership({ ...due, eligibilityStatus: 'revoked' })).toEqual({ take: false, reason: 'eligibility revoked' });
    expect(decideBatchMembership({ ...due, enrolmentStatus: 'suspended' })).toEqual({ take: false, reason: 'enrolment suspended' });
    expect(decideBatchMembership({ ...due, enrolmentStatus: 'withdrawn' })).toEqual({ take: false, reason: 'enrolment withdrawn' });
  });
});

describe('namedInstalmentProblem', () => {
  const named = {
    instalmentStatus: 'scheduled',
    statusReason: null,
    eligibilityStatus: 'approved',
    enrolmentStatus: 'enrolled',
    grantStatus: 'approved',
    dueOn: '2026-09-01',
    livePayoutReference: null,
  };

  it('accepts a scheduled instalment due by the cut-off of an eligible, enrolled student', () => {
    expect(namedInstalmentProblem(named, '2026-11-26')).toBeNull();
  });

  it('says why each other instalment cannot be paid now', () => {
    expect(namedInstalmentProblem({ ...named, livePayoutReference: 'PB20261126-00001-000003' }, '2026-11-26')).toBe(
      'already in payout PB20261126-00001-000003',
    );
    expect(namedInstalmentProblem({ ...named, instalmentStatus: 'sent' }, '2026-11-26')).toBe('already sent');
    expect(namedInstalmentProblem({ ...named, instalmentStatus: 'paid' }, '2026-11-26')).toBe('already paid');
    expect(namedInstalmentProblem({ ...named, instalmentStatus: 'cancelled' }, '2026-11-26')).toBe('cancelled');
    expect(namedInstalmentProblem({ ...named, grantStatus: 'ended' }, '2026-11-26')).toBe('its grant is ended');
    expect(namedInstalmentProblem({ ...named, dueOn: '2027-03-01' }, '2026-11-26')).toBe('not due by the cut-off (due 2027-03-01)');
    expect(namedInstalmentProblem({ ...named, instalmentStatus: 'held', statusReason: 'enrolment suspended: 休学' }, '2026-11-26')).toBe(
      'enrolment suspended: 休学',
    );
    expect(namedInstalmentProblem({ ...named, enrolmentStatus: 'suspended' }, '2026-11-26')).toBe('enrolment suspended');
  });
});

describe('judgeResultLine', () => {
  const payout = (over: Partial<PayoutState> = {}): PayoutState => ({
    id: 'p1',
    status: 'sent',
    amount: money('2500.00'),
    settledBankReference: null,
    outcomeBankReference: null,
    ...over,
  });
  const line = (over: Partial<ResultLine> = {}): ResultLine => ({
    reference: 'PB20261126-00001-000001',
    amount: money('2500.00'),
    kind: 'debit',
    bankReference: 'B1',
    ...over,
  });

  it('settles a sent payout on a debit of exactly its amount, and moves its state on', () => {
    const p = payout();
    expect(judgeResultLine(line(), p)).toEqual({ outcome: 'settled' });
    expect(p.status).toBe('settled');
    expect(p.settledBankReference).toBe('B1');
  });

  it('never guesses: no payout, or another amount, is an exception', () => {
    expect(judgeResultLine(line(), undefined).outcome).toBe('unmatched');
    expect(judgeResultLine(line({ reference: null }), undefined).explanation).toMatch(/no payout reference/);
    const p = payout();
    const judged = judgeResultLine(line({ amount: money('2500.01') }), p);
    expect(judged.outcome).toBe('amount_mismatch');
    expect(judged.explanation).toBe('the bank says 2500.01, the payout is 2500.00');
    expect(p.status).toBe('sent');
  });

  it('a payout never settles twice: the same bank line again is already recorded, another debit a duplicate', () => {
    const p = payout();
    judgeResultLine(line(), p);
    expect(judgeResultLine(line(), p).outcome).toBe('already_recorded');
    expect(judgeResultLine(line({ bankReference: 'B2' }), p).outcome).toBe('duplicate');
    expect(p.status).toBe('settled');
  });

  it('a refusal or a return before settling fails the payout; a return after settling returns it', () => {
    expect(judgeResultLine(line({ kind: 'failed' }), payout()).outcome).toBe('failed');
    expect(judgeResultLine(line({ kind: 'return' }), payout()).outcome).toBe('failed');
    const p = payout({ status: 'settled', settledBankReference: 'B1' });
    expect(judgeResultLine(line({ kind: 'return', bankReference: 'R1' }), p).outcome).toBe('returned');
    expect(p.status).toBe('returned');
    expect(judgeResultLine(line({ kind: 'return', bankReference: 'R1' }), p).outcome).toBe('already_recorded');
    expect(judgeResultLine(line({ kind: 'return', bankReference: 'R2' }), p).outcome).toBe('duplicate');
  });

  it('a debit and its return in one file read in order: settled, then returned', () => {
    const p = payout();
    expect(judgeResultLine(line({ bankReference: 'B1' }), p).outcome).toBe('settled');
    expect(judgeResultLine(line({ kind: 'return', bankReference: 'R1' }), p).outcome).toBe('returned');
  });

  it('the bank cannot have paid or refused what was never sent', () => {
    expect(judgeResultLine(line(), payout({ status: 'pending' })).outcome).toBe('not_sent');
    expect(judgeResultLine(line({ kind: 'failed' }), payout({ status: 'cancelled' })).outcome).toBe('not_sent');
  });

  it('refusing a payout that settled is a duplicate, not a failure', () => {
    expect(judgeResultLine(line({ kind: 'failed' }), payout({ status: 'settled', settledBankReference: 'B1' })).outcome).toBe('duplicate');
  });

  describe('a booking is identified by what it is, not by the file', () => {
    const seen = (over: Partial<Record<'statement' | 'notice', string[]>> = {}) => ({
      debit: { statement: [], notice: [], ...over },
      return: { statement: [], notice: [] },
    });
    const settledByNotice = () => payout({ status: 'settled', settledBankReference: 'DF1', settledOn: '2026-11-26', seen: seen({ notice: ['DF1'] }) });

    it('a statement debit under another bank reference within 10 days of the settled date is already recorded; a second one on statements is a duplicate', () => {
      const p = settledByNotice();
      expect(judgeResultLine(line({ bankReference: 'ST1', source: 'statement', bookingDate: '2026-11-25' }), p).outcome).toBe('already_recorded');
      expect(judgeResultLine(line({ bankReference: 'ST1', source: 'statement', bookingDate: '2026-11-25' }), p).outcome).toBe('already_recorded');
      const second = judgeResultLine(line({ bankReference: 'ST2', source: 'statement', bookingDate: '2026-11-25' }), p);
      expect(second.outcome).toBe('duplicate');
      expect(second.explanation).toMatch(/second debit for the payout on statements/);
    });

    it('the window is ±10 calendar days of the date recorded', () => {
      expect(judgeResultLine(line({ bankReference: 'ST1', source: 'statement', bookingDate: '2026-11-16' }), settledByNotice()).outcome).toBe(
        'already_recorded',
      );
      expect(judgeResultLine(line({ bankReference: 'ST1', source: 'statement', bookingDate: '2026-12-06' }), settledByNotice()).outcome).toBe(
        'already_recorded',
      );
      expect(judgeResultLine(line({ bankReference: 'ST1', source: 'statement', bookingDate: '2026-11-15' }), settledByNotice()).outcome).toBe('duplicate');
      expect(judgeResultLine(line({ bankReference: 'ST1', source: 'statement', bookingDate: '2026-12-07' }), settledByNotice()).outcome).toBe('duplicate');
    });

    it('two debits for one payout in one statement: the first settles, the second is a duplicate', () => {
      const p = payout({ seen: seen() });
      expect(judgeResultLine(line({ bankReference: 'ST1', source: 'statement', bookingDate: '2026-11-26' }), p).outcome).toBe('settled');
      expect(judgeResultLine(line({ bankReference: 'ST2', source: 'statement', bookingDate: '2026-11-26' }), p).outcome).toBe('duplicate');
    });

    it('a second notice of another booking is still a duplicate (as without the kind of file)', () => {
      expect(judgeResultLine(line({ bankReference: 'DF2', source: 'notice', bookingDate: '2026-11-26' }), settledByNotice()).outcome).toBe('duplicate');
    });

    it('a return told by a notice and then by the statement is recorded once', () => {
      const p = payout({
        status: 'returned',
        settledBankReference: 'B1',
        outcomeBankReference: 'R1',
        outcomeOn: '2026-11-26',
        seen: { debit: { statement: [], notice: ['B1'] }, return: { statement: [], notice: ['R1'] } },
      });
      expect(judgeResultLine(line({ kind: 'return', bankReference: 'SR1', source: 'statement', bookingDate: '2026-11-27' }), p).outcome).toBe(
        'already_recorded',
      );
      expect(judgeResultLine(line({ kind: 'return', bankReference: 'SR2', source: 'statement', bookingDate: '2026-11-27' }), p).outcome).toBe('duplicate');
    });
  });
});
