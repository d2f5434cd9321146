// Matching a bank line without a payout reference: exactly one sent payout of the amount whose
// payee fits and whose booking window holds the date; several → ambiguous; none → unmatched.
import { describe, expect, it } from 'vitest';
import { bookingWindow, matchWithoutReference, normalisePayeeName } from '../../src/domain/bank-line-matching.ts';

const candidate = (id: string, over: { payeeFits?: boolean; sentOn?: string | null; requestedExecutionOn?: string } = {}) => ({
  id,
  sentOn: over.sentOn === undefined ? '2026-11-26' : over.sentOn,
  requestedExecutionOn: over.requestedExecutionOn ?? '2026-11-26',
  payeeFits: over.payeeFits ?? true,
});

describe('bookingWindow', () => {
  it('from the earlier of sent and requested execution to transit + 2 bank business days after the later', () => {
    // 2026-11-26 is a Thursday: 3 + 2 business days later is Thursday 2026-12-03.
    expect(bookingWindow('2026-11-26', '2026-11-27', 3)).toEqual({ from: '2026-11-26', to: '2026-12-04' });
    expect(bookingWindow(null, '2026-11-26', 3)).toEqual({ from: '2026-11-26', to: '2026-12-03' });
    // The National Day week is no business days; its worked Saturday (2026-10-10) is one.
    expect(bookingWindow('2026-09-30', '2026-09-30', 1).to).toBe('2026-10-10');
  });
});

describe('normalisePayeeName', () => {
  it('folds full-width forms and drops whitespace', () => {
    expect(normalisePayeeName(' 才让 卓玛 ')).toBe('才让卓玛');
    expect(normalisePayeeName('ＡＢＣ　ｄ')).toBe('ABCD');
  });
});

describe('matchWithoutReference', () => {
  const line = { bookingDate: '2026-11-27', namesPayee: true };

  it('one payout fits → matched_without_reference', () => {
    expect(matchWithoutReference(line, [candidate('a'), candidate('b', { payeeFits: false })], 3)).toEqual({
      outcome: 'matched_without_reference',
      payoutId: 'a',
      candidates: ['a'],
    });
  });

  it('several fit → ambiguous_match listing them; none → unmatched listing every payout of the amount', () => {
    expect(matchWithoutReference(line, [candidate('a'), candidate('b')], 3)).toMatchObject({ outcome: 'ambiguous_match', candidates: ['a', 'b'] });
    expect(matchWithoutReference(line, [candidate('a', { payeeFits: false }), candidate('b', { payeeFits: false })], 3)).toMatchObject({
      outcome: 'unmatched',
      candidates: ['a', 'b'],
    });
  });

  it('a booking outside the window does not fit; a line without a date is not held to one', () => {
    expect(matchWithoutReference({ ...line, bookingDate: '2026-11-25' }, [candidate('a')], 3).outcome).toBe('unmatched');
    expect(matchWithoutReference({ ...line, bookingDate: '2026-12-04' }, [candidate('a')], 3).outcome).toBe('unmatched');
    expect(matchWithoutReference({ ...line, bookingDate: '2026-12-03' }, [candidate('a')], 3).outcome).toBe('matched_without_reference');
    expect(matchWithoutReference({ ...line, bookingDate: null }, [candidate('a')], 3).outcome).toBe('matched_without_reference');
  });

  it('a line naming no payee account or name is never matched on amount and date alone', () => {
    expect(matchWithoutReference({ ...line, namesPayee: false }, [candidate('a')], 3)).toMatchObject({ outcome: 'unmatched', candidates: ['a'] });
  });
});
