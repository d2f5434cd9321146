// Statements in sequence: order by period and the bank's numbers, balances that chain, and which
// statement closes its booking day.
import { describe, expect, it } from 'vitest';
import { sequenceStatements, type SequenceItem } from '../../src/reconcile/bank/sequence.ts';

const ACCOUNT = '105858000123456789';
function st(more: Partial<SequenceItem> & { from: string; to: string; opening: string; closing: string }): SequenceItem {
  return {
    account: ACCOUNT,
    closingDate: more.to,
    electronicSequence: null,
    legalSequence: null,
    page: null,
    file: 0,
    index: 1,
    ...more,
  };
}

describe('sequenceStatements', () => {
  it('orders by period, then electronic sequence number, then page; only the last of a day closes it', () => {
    const items = [
      st({ from: '2026-11-25', to: '2026-11-25', opening: '900.00', closing: '500.00', electronicSequence: '42', file: 0 }),
      st({ from: '2026-11-25', to: '2026-11-25', opening: '1000.00', closing: '900.00', electronicSequence: '41', file: 1 }),
      st({ from: '2026-11-24', to: '2026-11-24', opening: '1000.00', closing: '1000.00', electronicSequence: '9', file: 2 }),
    ];
    const r = sequenceStatements(items);
    expect(r.order).toEqual([2, 1, 0]);
    expect(r.breaks).toEqual([]);
    expect(r.closesDay).toEqual([true, false, true]);
  });

  it('sequence numbers compare as numbers, pages by number', () => {
    const r = sequenceStatements([
      st({ from: '2026-11-25', to: '2026-11-25', opening: '10', closing: '5', electronicSequence: '100' }),
      st({ from: '2026-11-25', to: '2026-11-25', opening: '20', closing: '10', electronicSequence: '99' }),
    ]);
    expect(r.order).toEqual([1, 0]);
    const pages = sequenceStatements([
      st({ from: '2026-11-25', to: '2026-11-25', opening: '10', closing: '5', page: 2 }),
      st({ from: '2026-11-25', to: '2026-11-25', opening: '20', closing: '10', page: 1 }),
    ]);
    expect(pages.order).toEqual([1, 0]);
    expect(pages.breaks).toEqual([]);
  });

  it('an opening that is not the previous closing is a break naming both statements', () => {
    const r = sequenceStatements([
      st({ from: '2026-11-01', to: '2026-11-15', opening: '1000.00', closing: '800.00' }),
      st({ from: '2026-11-17', to: '2026-11-30', opening: '700.00', closing: '600.00', file: 1 }),
    ]);
    expect(r.breaks).toEqual([{ statement: 1, previous: 0, reason: 'opening_not_previous_closing' }]);
    // "800" and "800.00" are the same balance.
    expect(
      sequenceStatements([
        st({ from: '2026-11-01', to: '2026-11-15', opening: '1000', closing: '800' }),
        st({ from: '2026-11-16', to: '2026-11-30', opening: '800.00', closing: '600.00' }),
      ]).breaks,
    ).toEqual([]);
  });

  it('periods that overlap (a later statement starting before the previous one ended) are a break', () => {
    const r = sequenceStatements([
      st({ from: '2026-11-01', to: '2026-11-30', opening: '1000.00', closing: '600.00' }),
      st({ from: '2026-11-20', to: '2026-12-05', opening: '600.00', closing: '500.00', file: 1 }),
    ]);
    expect(r.breaks).toEqual([{ statement: 1, previous: 0, reason: 'periods_overlap' }]);
  });

  it('accounts are sequenced apart', () => {
    const r = sequenceStatements([
      st({ from: '2026-11-01', to: '2026-11-30', opening: '1000.00', closing: '600.00' }),
      st({ from: '2026-12-01', to: '2026-12-31', opening: '5.00', closing: '5.00', account: '6222000011112222' }),
    ]);
    expect(r.breaks).toEqual([]);
    expect(r.closesDay).toEqual([true, true]);
  });
});
