// A programme's money as a foundation asks about it — received, committed, sent, paid, returned,
// cancelled — each figure the sum of one kind of ledger transaction, so that every figure on a
// page is the sum of rows a person can open. Reversed transactions (a funding receipt entered by
// mistake) count for nothing: their reversal takes them back out. Pure.
import type { LedgerTransactionKind } from './ledger-postings.ts';
import { type Money, ZERO, money } from './money.ts';

/** One kind of transaction of a programme: how many, their amount, and how much of it was reversed. */
export interface KindTotal {
  kind: LedgerTransactionKind;
  transactions: number;
  amount: Money;
  reversed: Money;
}

export interface MoneyFlows {
  /** Funding the foundation transferred, net of reversed receipts (Dr bank / Cr fund). */
  received: Money;
  /** Grants approved (Dr fund / Cr payable). */
  committed: Money;
  /** Payouts handed to the bank (Dr payable / Cr in transit). */
  sent: Money;
  /** Payouts the bank booked to the student (Dr in transit / Cr bank). */
  settled: Money;
  /** Payouts the bank refused before booking them (Dr in transit / Cr payable). */
  failed: Money;
  /** Payouts that came back after they were booked (Dr bank / Cr payable). */
  returned: Money;
  /** Settled less returned: what stayed with the students. */
  paid: Money;
  /** Instalments never to be paid, their amount back in the fund (Dr payable / Cr fund). */
  cancelled: Money;
}

export function moneyFlowsOf(totals: readonly KindTotal[]): MoneyFlows {
  const net = (kind: LedgerTransactionKind): Money => totals.filter((t) => t.kind === kind).reduce((sum, t) => sum.plus(t.amount).minus(t.reversed), ZERO);
  const settled = net('payout_settled');
  const returned = net('payout_returned');
  return {
    received: net('funding_received'),
    committed: net('grant_approved'),
    sent: net('payout_sent'),
    settled,
    failed: net('payout_failed'),
    returned,
    paid: settled.minus(returned),
    cancelled: net('remainder_cancelled'),
  };
}

/** A row of the database's per-kind sums, as text, into a KindTotal. */
export function kindTotal(kind: LedgerTransactionKind, transactions: number, amount: string, reversed: string): KindTotal {
  return { kind, transactions, amount: money(amount), reversed: money(reversed) };
}
