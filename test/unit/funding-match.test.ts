// The funding check's matcher, pure: the foundation's remittances against the ledger's receipts.
import { describe, expect, it } from 'vitest';
import type { ReceiptRecord } from '../../src/reconcile/bank/types.ts';
import { dayOf, fenToMoney, toFen } from '../../src/reconcile/bank/units.ts';
import { matchRemittances } from '../../src/reconcile/funding/match.ts';
import type { Remittance } from '../../src/reconcile/funding/remittances.ts';

const remittance = (line: number, date: string, amount: string, reference: string | null): Remittance => ({
  line,
  date,
  day: dayOf(date),
  amount,
  fen: toFen(amount),
  reference,
});
const receipt = (id: string, bankReference: string, amount: string, date: string, reversed = false): ReceiptRecord => ({
  id,
  bankReference,
  fen: toFen(amount) as number,
  day: dayOf(date),
  reversed,
});
const YEAR = [{ from: dayOf('2026-01-01'), to: dayOf('2026-12-31') }];

describe('matchRemittances', () => {
  it('matches by bank reference, then by amount and date within the window', () => {
    const s = matchRemittances(
      [
        remittance(5, '2026-03-02', '50000.00', 'QS-2026-0001'),
        remittance(6, '2026-09-01', '30000.00', 'qs 2026 typo'),
        remittance(7, '2026-10-01', '30000.00', ''),
      ],
      [
        receipt('r1', 'QS-2026-0001', '50000.00', '2026-03-03'),
        receipt('r2', 'QS-2026-0002', '30000.00', '2026-09-03'),
        receipt('r3', 'QS-2026-0003', '30000.00', '2026-09-28'),
      ],
      { window: 3, period: YEAR },
    );
    expect(s.findings).toEqual([]);
    expect(s).toMatchObject({ matched: 3, matchedByReference: 1, matchedByAmountDate: 2, receiptsInPeriod: 3 });
    expect(fenToMoney(s.matchedFen)).toBe('110000.00');
  });

  it('window edges: 3 days matches, 4 does not', () => {
    const run = (date: string) =>
      matchRemittances([remittance(5, date, '100.00', null)], [receipt('r1', 'R1', '100.00', '2026-05-10')], { window: 3, period: YEAR });
    expect(run('2026-05-13').matched).toBe(1);
    expect(run('2026-05-07').matched).toBe(1);
    expect(run('2026-05-14').findings.map((f) => f.code)).toEqual(['remitted_not_received', 'received_not_remitted']);
  });

  it('a reversed receipt counts as not received; amount differences, duplicates and receipts missing from the list are reported', () => {
    const s = matchRemittances(
      [
        remittance(5, '2026-03-02', '50000.00', 'QS-1'),
        remittance(6, '2026-04-02', '20000.00', 'QS-2'),
        remittance(7, '2026-05-02', '10000.00', 'QS-3'),
        remittance(8, '2026-05-02', '10000.00', 'QS-3'),
      ],
      [
        receipt('r1', 'QS-1', '50000.00', '2026-03-02', true),
        receipt('r2', 'QS-2', '20000.50', '2026-04-02'),
        receipt('r3', 'QS-3', '10000.00', '2026-05-02'),
        receipt('r4', 'QS-4', '7000.00', '2026-06-30'),
        receipt('r5', 'QS-5', '7000.00', '2025-06-30'),
      ],
      { window: 3, period: YEAR },
    );
    expect(s.findings.map((f) => [f.code, f.line ?? f.receiptReference, f.reason ?? null])).toEqual([
      ['remitted_not_received', 5, 'receipt_reversed'],
      ['received_not_remitted', 'QS-4', null],
      ['amount_differs', 6, null],
      ['duplicate', 8, 'same_reference_twice'],
    ]);
    expect(s).toMatchObject({ matched: 1, reversedInPeriod: 1, receiptsInPeriod: 3 });
  });
});
