// The bank check's matcher, pure: each category, the window's edges, reference before amount,
// determinism, and the exactness of the fen numbers it compares.
import fc from 'fast-check';
import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { BankMatcher, type AccountLookup } from '../../src/reconcile/bank/match.ts';
import { PAYOUT_STATUSES, type PayoutIndex, type PayoutStatus, type ReceiptRecord, type StatementLine } from '../../src/reconcile/bank/types.ts';
import { ReferenceIndex } from '../../src/reconcile/bank/reference-index.ts';
import { dayOf, fenToMoney, NO_DAY, toFen, type DayRange } from '../../src/reconcile/bank/units.ts';

interface P {
  reference: string;
  amount: string;
  status: PayoutStatus;
  settled?: string;
  outcome?: string;
  sent?: string;
  requested?: string;
}

function index(payouts: P[]): PayoutIndex {
  const n = payouts.length;
  const references = new ReferenceIndex(n);
  for (const [i, p] of payouts.entries()) references.add(i, p.reference);
  const ix: PayoutIndex = {
    size: n,
    references,
    fen: Float64Array.from(payouts.map((p) => toFen(p.amount) as number)),
    status: Uint8Array.from(payouts.map((p) => PAYOUT_STATUSES.indexOf(p.status))),
    settledDay: Int32Array.from(payouts.map((p) => (p.settled ? dayOf(p.settled) : NO_DAY))),
    outcomeDay: Int32Array.from(payouts.map((p) => (p.outcome ? dayOf(p.outcome) : NO_DAY))),
    sentDay: Int32Array.from(payouts.map((p) => (p.sent ? dayOf(p.sent) : dayOf('2026-11-20')))),
    requestedDay: Int32Array.from(payouts.map((p) => dayOf(p.requested ?? p.sent ?? '2026-11-20'))),
  };
  return ix;
}

let lineNo = 0;
function line(l: Partial<StatementLine> & { amount: string; date: string }): StatementLine {
  return {
    file: 0,
    line: l.line ?? ++lineNo * 10,
    kind: l.kind ?? 'payment',
    side: l.side ?? (l.kind === 'credit' || l.kind === 'return' ? 'CRDT' : 'DBIT'),
    amount: l.amount,
    fen: toFen(l.amount),
    date: l.date,
    day: dayOf(l.date),
    references: l.references ?? [],
    bankReference: l.bankReference ?? `BK${lineNo}`,
    counterpartyAccount: l.counterpartyAccount ?? null,
    receiptReferences: l.receiptReferences,
    returnReason: l.returnReason,
  };
}

const NOVEMBER: DayRange[] = [{ from: dayOf('2026-11-01'), to: dayOf('2026-11-30') }];
const settled = (reference: string, amount = '3500.00', date = '2026-11-26'): P => ({ reference, amount, status: 'settled', settled: date });

function run(
  payouts: P[],
  lines: StatementLine[],
  options: {
    receipts?: ReceiptRecord[];
    accounts?: AccountLookup | null;
    window?: number;
    periods?: DayRange[];
    maxListed?: number;
    transit?: { businessDays: number; today: string };
  } = {},
) {
  const m = new BankMatcher(index(payouts), options.receipts ?? [], {
    window: options.window ?? 3,
    ...(options.maxListed ? { maxListed: options.maxListed } : {}),
    ...(options.transit ? { transit: options.transit } : {}),
  });
  for (const l of lines) m.add(l);
  return m.finish(options.accounts ?? null, options.periods ?? NOVEMBER);
}

const codes = (s: ReturnType<typeof run>) => s.findings.map((f) => `${f.code}${f.reason ? `:${f.reason}` : ''}`);

describe('BankMatcher — by reference', () => {
  it('matches a debit to its settled payout by reference: no findings', () => {
    const s = run(
      [settled('PB1-000001'), settled('PB1-000002', '4000.00')],
      [
        line({ amount: '3500.00', date: '2026-11-26', references: ['PB1-000001'] }),
        line({ amount: '4000.00', date: '2026-11-27', references: ['PB1-000002'] }),
      ],
    );
    expect(s.findings).toEqual([]);
    expect(s.counts).toMatchObject({ matchedPayouts: 2, matchedByReference: 2, lines: 2, debits: 2 });
    expect(fenToMoney(s.sums.matchedPayoutFen)).toBe('7500.00');
  });

  it('in the ledger but not at the bank: only for ledger items dated inside the period', () => {
    const s = run([settled('PB1-000001'), settled('PB1-000002', '3500.00', '2026-10-31'), settled('PB1-000003', '3500.00', '2026-11-30')], []);
    expect(s.findings.map((f) => [f.code, f.payoutReference, f.ledgerDate])).toEqual([
      ['in_ledger_not_at_bank', 'PB1-000001', '2026-11-26'],
      ['in_ledger_not_at_bank', 'PB1-000003', '2026-11-30'],
    ]);
    expect(fenToMoney(s.findingFen.in_ledger_not_at_bank)).toBe('7000.00');
  });

  it('at the bank but not in the ledger: an unknown reference and no account to fall back on', () => {
    const s = run(
      [settled('PB1-000001')],
      [
        line({ amount: '3500.00', date: '2026-11-26', references: ['PB1-000001'] }),
        line({ amount: '1200.00', date: '2026-11-26', references: ['PB9-999999'], counterpartyAccount: '6222020200001234567' }),
      ],
    );
    expect(codes(s)).toEqual(['at_bank_not_in_ledger:no_ledger_item']);
    expect(s.findings[0]?.counterpartyMasked).toBe('***************4567');
    expect(JSON.stringify(s.findings)).not.toContain('6222020200001234567');
  });

  it('amount differs: matched by reference for another amount (also for a five-decimal camt amount)', () => {
    const s = run(
      [settled('PB1-000001'), settled('PB1-000002')],
      [
        line({ amount: '3400.00', date: '2026-11-26', references: ['PB1-000001'] }),
        line({ amount: '3500.001', date: '2026-11-26', references: ['PB1-000002'] }),
      ],
    );
    expect(codes(s)).toEqual(['amount_differs', 'amount_differs']);
    expect(s.findings[0]).toMatchObject({ payoutReference: 'PB1-000001', amount: '3400.00', ledgerFen: 350000 });
    // Neither is then reported missing: the bank did show a line for it.
    expect(s.findingCounts.in_ledger_not_at_bank).toBe(0);
  });

  it('duplicate: the same line twice, and a second bank line for one payout', () => {
    const first = line({ amount: '3500.00', date: '2026-11-26', references: ['PB1-000001'], bankReference: 'BK-A' });
    const s = run(
      [settled('PB1-000001'), settled('PB1-000002')],
      [
        first,
        { ...first, file: 1 },
        line({ amount: '3500.00', date: '2026-11-26', references: ['PB1-000002'], bankReference: 'BK-B' }),
        line({ amount: '3500.00', date: '2026-11-27', references: ['PB1-000002'], bankReference: 'BK-C' }),
      ],
    );
    // Sorted by file, then line: the second line for PB1-000002 (file 0) before the copy in file 1.
    expect(codes(s)).toEqual(['duplicate:second_line_for_payout', 'duplicate:same_line_twice']);
    expect(s.findings[1]).toMatchObject({ firstFile: 0, firstLine: first.line, file: 1 });
    expect(s.counts.matchedPayouts).toBe(2);
  });

  it('return: a returned payout matched to its debit and its return line', () => {
    const s = run(
      [{ reference: 'PB1-000001', amount: '3500.00', status: 'returned', settled: '2026-11-26', outcome: '2026-11-28' }],
      [
        line({ amount: '3500.00', date: '2026-11-26', references: ['PB1-000001'] }),
        line({ kind: 'return', amount: '3500.00', date: '2026-11-28', references: ['PB1-000001'], returnReason: 'AC04: 账户已销户' }),
      ],
    );
    expect(codes(s)).toEqual(['return']);
    expect(s.findings[0]).toMatchObject({ payoutReference: 'PB1-000001', payoutStatus: 'returned', returnReason: 'AC04: 账户已销户', date: '2026-11-28' });
    expect(s.counts.matchedPayouts).toBe(1);
  });

  it('a credit naming a payout is its return even when the bank did not flag it', () => {
    const s = run(
      [{ reference: 'PB1-000001', amount: '3500.00', status: 'returned', settled: '2026-11-26', outcome: '2026-11-28' }],
      [
        line({ amount: '3500.00', date: '2026-11-26', references: ['PB1-000001'] }),
        line({ kind: 'credit', amount: '3500.00', date: '2026-11-28', references: ['PB1-000001'] }),
      ],
    );
    expect(codes(s)).toEqual(['return']);
  });

  it('a returned payout whose return line is missing: the return is in the ledger, not at the bank', () => {
    const s = run(
      [{ reference: 'PB1-000001', amount: '3500.00', status: 'returned', settled: '2026-11-26', outcome: '2026-11-28' }],
      [line({ amount: '3500.00', date: '2026-11-26', references: ['PB1-000001'] })],
    );
    expect(s.findings.map((f) => [f.code, f.movement])).toEqual([['in_ledger_not_at_bank', 'return']]);
  });

  it('a failed payout: debit and return at the bank is a return; a debit alone is a break', () => {
    const failed = (reference: string): P => ({ reference, amount: '3500.00', status: 'failed', outcome: '2026-11-27' });
    const s = run(
      [failed('PB1-000001'), failed('PB1-000002')],
      [
        line({ amount: '3500.00', date: '2026-11-26', references: ['PB1-000001'] }),
        line({ kind: 'return', amount: '3500.00', date: '2026-11-27', references: ['PB1-000001'] }),
        line({ amount: '3500.00', date: '2026-11-26', references: ['PB1-000002'] }),
      ],
    );
    expect(codes(s)).toEqual(['at_bank_not_in_ledger:payout_failed_in_ledger', 'return']);
  });

  it('a payout still in transit in the ledger but debited at the bank; one not debited yet is only counted', () => {
    const s = run(
      [
        { reference: 'PB1-000001', amount: '3500.00', status: 'sent' },
        { reference: 'PB1-000002', amount: '4000.00', status: 'sent' },
      ],
      [line({ amount: '3500.00', date: '2026-11-26', references: ['PB1-000001'] })],
    );
    expect(codes(s)).toEqual(['at_bank_not_in_ledger:payout_in_transit']);
    expect(s.counts.inTransit).toBe(1);
    expect(fenToMoney(s.sums.inTransitFen)).toBe('4000.00');
  });

  it('a return line for a payout the ledger still has as settled: return not recorded', () => {
    const s = run(
      [settled('PB1-000001')],
      [
        line({ amount: '3500.00', date: '2026-11-26', references: ['PB1-000001'] }),
        line({ kind: 'return', amount: '3500.00', date: '2026-11-28', references: ['PB1-000001'] }),
      ],
    );
    expect(codes(s)).toEqual(['at_bank_not_in_ledger:return_not_recorded']);
  });

  it('a batch booking naming several payouts matches when it pays exactly their sum', () => {
    const ok = run(
      [settled('PB1-000001'), settled('PB1-000002', '4000.00')],
      [line({ amount: '7500.00', date: '2026-11-26', references: ['PB1-000001', 'PB1-000002'] })],
    );
    expect(ok.findings).toEqual([]);
    expect(ok.counts.matchedPayouts).toBe(2);
    const bad = run(
      [settled('PB1-000001'), settled('PB1-000002', '4000.00')],
      [line({ amount: '7400.00', date: '2026-11-26', references: ['PB1-000002', 'PB1-000001'] })],
    );
    expect(bad.findings.map((f) => [f.code, f.payoutReference, f.ledgerFen])).toEqual([['amount_differs', 'PB1-000001,PB1-000002', 750000]]);
  });

  it('other debits (charges, the return of a payment received) are never taken for payouts', () => {
    const s = run(
      [settled('PB1-000001')],
      [line({ amount: '3500.00', date: '2026-11-26', references: ['PB1-000001'] }), line({ kind: 'other_debit', amount: '12.00', date: '2026-11-26' })],
    );
    expect(codes(s)).toEqual(['at_bank_not_in_ledger:other_debit']);
  });
});

describe('BankMatcher — without a reference (amount + account + date window)', () => {
  const ACCOUNT = '6222020200001234567';
  const accounts = (map: Record<string, number[]>): AccountLookup => ({
    hashOf: (a) => (a === ACCOUNT ? 'h1' : a === '6222020200007654321' ? 'h2' : undefined),
    payoutsWith: (h) => map[h],
  });

  it('matches within the window, on both edges, and not one day beyond', () => {
    const payouts = [settled('PB1-000001', '3500.00', '2026-11-20')];
    for (const [date, matched] of [
      ['2026-11-17', true],
      ['2026-11-23', true],
      ['2026-11-16', false],
      ['2026-11-24', false],
    ] as const) {
      const s = run(payouts, [line({ amount: '3500.00', date, counterpartyAccount: ACCOUNT })], { accounts: accounts({ h1: [0] }) });
      expect(s.counts.matchedByAmount, date).toBe(matched ? 1 : 0);
      if (!matched) expect(codes(s)).toEqual(['in_ledger_not_at_bank', 'at_bank_not_in_ledger:no_ledger_item']);
    }
    // A window of 0 days: the same day only.
    expect(
      run(payouts, [line({ amount: '3500.00', date: '2026-11-21', counterpartyAccount: ACCOUNT })], { accounts: accounts({ h1: [0] }), window: 0 }).counts
        .matchedByAmount,
    ).toBe(0);
  });

  it('needs the same amount and the same account', () => {
    const payouts = [settled('PB1-000001', '3500.00', '2026-11-20')];
    const wrongAmount = run(payouts, [line({ amount: '3500.01', date: '2026-11-20', counterpartyAccount: ACCOUNT })], { accounts: accounts({ h1: [0] }) });
    expect(wrongAmount.counts.matchedByAmount).toBe(0);
    const otherAccount = run(payouts, [line({ amount: '3500.00', date: '2026-11-20', counterpartyAccount: '6222020200007654321' })], {
      accounts: accounts({ h1: [0] }),
    });
    expect(otherAccount.counts.matchedByAmount).toBe(0);
    const noVault = run(payouts, [line({ amount: '3500.00', date: '2026-11-20', counterpartyAccount: ACCOUNT })], { accounts: null });
    expect(noVault.counts.matchedByAmount).toBe(0);
  });

  it('a reference is matched before any line without one, wherever it comes in the files', () => {
    const payouts = [settled('PB1-000001', '3500.00', '2026-11-20'), settled('PB1-000002', '3500.00', '2026-11-21')];
    const s = run(
      payouts,
      [
        line({ amount: '3500.00', date: '2026-11-20', counterpartyAccount: ACCOUNT }),
        line({ amount: '3500.00', date: '2026-11-20', references: ['PB1-000001'] }),
      ],
      { accounts: accounts({ h1: [0, 1] }) },
    );
    expect(s.findings).toEqual([]);
    expect(s.counts).toMatchObject({ matchedByReference: 1, matchedByAmount: 1 });
  });

  it('picks the closest date, then the smaller reference', () => {
    const payouts = [
      settled('PB1-000003', '3500.00', '2026-11-22'),
      settled('PB1-000002', '3500.00', '2026-11-18'),
      settled('PB1-000001', '3500.00', '2026-11-21'),
    ];
    const s = run(payouts, [line({ amount: '3500.00', date: '2026-11-20', counterpartyAccount: ACCOUNT })], { accounts: accounts({ h1: [0, 1, 2] }) });
    // PB1-000001 (1 day) is closest.
    expect(s.findings.map((f) => f.payoutReference)).toEqual(['PB1-000002', 'PB1-000003']);
    const tie = run(
      [settled('PB1-000009', '3500.00', '2026-11-19'), settled('PB1-000004', '3500.00', '2026-11-21')],
      [line({ amount: '3500.00', date: '2026-11-20', counterpartyAccount: ACCOUNT })],
      { accounts: accounts({ h1: [0, 1] }) },
    );
    expect(tie.findings.map((f) => f.payoutReference)).toEqual(['PB1-000009']);
  });

  it('receipts: by bank reference, else amount and date within the window; reversed ones count as not received', () => {
    const receipts: ReceiptRecord[] = [
      { id: 'r1', bankReference: 'QS-2026-0001', fen: 5_000_000, day: dayOf('2026-11-02'), reversed: false },
      { id: 'r2', bankReference: 'QS-2026-0002', fen: 2_000_000, day: dayOf('2026-11-10'), reversed: false },
      { id: 'r3', bankReference: 'QS-2026-0003', fen: 1_000_000, day: dayOf('2026-11-12'), reversed: true },
      { id: 'r4', bankReference: 'QS-2026-0004', fen: 3_000_000, day: dayOf('2026-11-15'), reversed: false },
      { id: 'r5', bankReference: 'QS-2026-0005', fen: 3_000_000, day: dayOf('2026-10-15'), reversed: false },
    ];
    const s = run(
      [],
      [
        line({ kind: 'credit', amount: '50000.00', date: '2026-11-02', bankReference: 'X1', receiptReferences: ['QS-2026-0001'] }),
        line({ kind: 'credit', amount: '20000.00', date: '2026-11-13' }),
        line({ kind: 'credit', amount: '10000.00', date: '2026-11-12', bankReference: 'QS-2026-0003' }),
        line({ kind: 'credit', amount: '777.00', date: '2026-11-12' }),
      ],
      { receipts },
    );
    expect(s.counts).toMatchObject({ matchedReceipts: 2, matchedByReference: 1, matchedByAmount: 1 });
    expect(s.findings.map((f) => [f.code, f.reason ?? f.movement, f.receiptReference ?? null])).toEqual([
      ['in_ledger_not_at_bank', 'receipt', 'QS-2026-0004'],
      ['at_bank_not_in_ledger', 'receipt_reversed', 'QS-2026-0003'],
      ['at_bank_not_in_ledger', 'no_ledger_item', null],
    ]);
  });
});

describe('BankMatcher — payouts in transit, aged in bank business days', () => {
  const sent = (reference: string, requested: string, amount = '1500.00'): P => ({ reference, amount, status: 'sent', sent: requested, requested });
  const EARLY: DayRange[] = [{ from: dayOf('2026-11-01'), to: dayOf('2026-11-25') }];

  it('within its business days a payout on no line is in transit, as before', () => {
    // Requested Thursday 2026-11-26, 3 business days: due Tuesday 2026-12-01.
    const s = run([sent('PB1-000001', '2026-11-26')], [], { periods: EARLY, transit: { businessDays: 3, today: '2026-12-01' } });
    expect(s.findings).toEqual([]);
    expect(s.counts.inTransit).toBe(1);
    expect(fenToMoney(s.sums.inTransitFen)).toBe('1500.00');
  });

  it('past its due day as of today it is a break of its own: not_booked_by_bank, with the dates and how late', () => {
    const s = run([sent('PB1-000001', '2026-11-26'), sent('PB1-000002', '2026-12-01', '2000.00')], [], {
      periods: EARLY,
      transit: { businessDays: 3, today: '2026-12-03' },
    });
    expect(s.findings).toEqual([
      {
        code: 'not_booked_by_bank',
        payoutReference: 'PB1-000001',
        payoutStatus: 'sent',
        ledgerFen: 150000,
        requestedOn: '2026-11-26',
        dueOn: '2026-12-01',
        businessDaysOverdue: 2,
        ledgerDate: '2026-12-01',
      },
    ]);
    expect(s.counts.inTransit).toBe(1);
    expect(fenToMoney(s.findingFen.not_booked_by_bank)).toBe('1500.00');
  });

  it('or absent from a statement that covers days after its due day, whatever today is', () => {
    const covering: DayRange[] = [{ from: dayOf('2026-11-26'), to: dayOf('2026-12-04') }];
    const s = run([sent('PB1-000001', '2026-11-26')], [], { periods: covering, transit: { businessDays: 3, today: '2026-11-27' } });
    expect(s.findings.map((f) => [f.code, f.businessDaysOverdue])).toEqual([['not_booked_by_bank', 3]]);
    // A longer window for the programme: still in transit.
    expect(run([sent('PB1-000001', '2026-11-26')], [], { periods: covering, transit: { businessDays: 10, today: '2026-11-27' } }).findings).toEqual([]);
  });

  it('a payout the statement shows is no longer aged (its debit is the at-bank break of a payout in transit)', () => {
    const s = run([sent('PB1-000001', '2026-11-26')], [line({ amount: '1500.00', date: '2026-11-27', references: ['PB1-000001'] })], {
      transit: { businessDays: 3, today: '2026-12-10' },
    });
    expect(codes(s)).toEqual(['at_bank_not_in_ledger:payout_in_transit']);
  });

  it('the span aged is kept, for the report to name years without a holiday calendar', () => {
    const s = run([sent('PB1-000001', '2026-12-28')], [], { periods: EARLY, transit: { businessDays: 3, today: '2027-01-08' } });
    expect(s.transitSpan).toEqual({ from: '2026-12-28', to: '2027-01-08' });
  });
});

describe('BankMatcher — returns carry their reason', () => {
  it("a return the ledger has not recorded keeps the bank's reason", () => {
    const s = run(
      [settled('PB1-000001')],
      [
        line({ amount: '3500.00', date: '2026-11-26', references: ['PB1-000001'] }),
        line({ kind: 'return', amount: '3500.00', date: '2026-11-27', references: ['PB1-000001'], returnReason: 'AC04: 账户已销户' }),
      ],
    );
    expect(s.findings.map((f) => [f.code, f.reason, f.returnReason])).toEqual([['at_bank_not_in_ledger', 'return_not_recorded', 'AC04: 账户已销户']]);
  });
});

describe('BankMatcher — determinism and limits', () => {
  it('gives the same findings, in the same order, run after run', () => {
    const payouts = Array.from({ length: 50 }, (_, i) => settled(`PB1-${String(i).padStart(6, '0')}`, `${3000 + i}.00`));
    const lines = payouts
      .filter((_, i) => i % 3 !== 0)
      .map((p, i) => line({ amount: i % 7 === 0 ? '1.00' : p.amount, date: '2026-11-26', references: [p.reference], line: 1000 - i }));
    const a = run(payouts, lines);
    const b = run(payouts, lines);
    expect(a).toEqual(b);
    // Sorted by file and line within each code, ledger items by date and reference.
    const lineFindings = a.findings.filter((f) => f.line !== undefined).map((f) => f.line as number);
    expect(lineFindings).toEqual([...lineFindings].sort((x, y) => x - y));
    const refs = a.findings.filter((f) => f.code === 'in_ledger_not_at_bank').map((f) => f.payoutReference);
    expect(refs).toEqual([...refs].sort());
  });

  it('lists at most maxListed findings per code but counts them all', () => {
    const payouts = Array.from({ length: 30 }, (_, i) => settled(`PB1-${String(i).padStart(6, '0')}`));
    const s = run(payouts, [], { maxListed: 10 });
    expect(s.findings).toHaveLength(10);
    expect(s.findingCounts.in_ledger_not_at_bank).toBe(30);
    expect(fenToMoney(s.findingFen.in_ledger_not_at_bank)).toBe('105000.00');
  });
});

describe('fen numbers are exact', () => {
  it('toFen agrees with exact decimal arithmetic for every amount up to 13 integer digits', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 15n - 1n }), fc.integer({ min: 0, max: 3 }), (fen, extraZeros) => {
        const text = `${fen / 100n}.${String(fen % 100n).padStart(2, '0')}${'0'.repeat(extraZeros)}`;
        const value = toFen(text);
        expect(value).not.toBeNull();
        expect(Number.isSafeInteger(value)).toBe(true);
        expect(BigInt(value as number)).toBe(fen);
        expect(fenToMoney(value as number)).toBe(new Decimal(text).toFixed(2));
      }),
    );
  });

  it('refuses what is not a whole number of fen, or too large to be exact', () => {
    expect(toFen('8.850')).toBe(885);
    expect(toFen('8.855')).toBeNull();
    expect(toFen('3500')).toBe(350000);
    expect(toFen('0003500.5')).toBe(350050);
    expect(toFen('10000000000000.00')).toBeNull();
    expect(toFen('-1.00')).toBeNull();
    expect(toFen('1e3')).toBeNull();
  });
});

describe('ReferenceIndex', () => {
  it('finds every reference it holds, structured or not, and nothing else; gives each back as written', () => {
    const refs = [
      'PB20261101-00001-000001',
      'PB20261101-00001-000002',
      'PB20261101-00002-000001',
      'PB-1',
      'PB-000001',
      'ABCDEFGH',
      'X-12',
      'QS2025T1-0007-000003',
      'A--000001',
      'PB-01',
      'Z-0',
    ];
    const ix = new ReferenceIndex(2);
    // Added from inside a longer text, as the database's rows arrive.
    const text = refs.join(',');
    let at = 0;
    refs.forEach((r, i) => {
      ix.add(i, text, at, at + r.length);
      at += r.length + 1;
    });
    refs.forEach((r, i) => {
      expect(ix.get(` ${r}`.slice(1)), r).toBe(i);
      expect(ix.referenceOf(i)).toBe(r);
    });
    for (const miss of [
      'PB20261101-00001-000003',
      'PB20261101-00001-00001',
      'PB20261101-00003-000001',
      'PB-001',
      'pb-000001',
      'ABCDEFG',
      '',
      '-000001',
      'PB20261101-00001-0000001',
      'Z-00',
      'A-000001',
    ]) {
      expect(ix.get(miss), miss).toBeUndefined();
    }
  });
});
