// The bank check's matcher: pure, no I/O. Statement lines in, findings and counts out.
//
// Order of work, and why:
// 1. add(line), for every line of every statement, in file order: lines that name a payout (camt
//    EndToEndId, a reference token in a CSV remark) or a receipt (its bank reference) are matched
//    at once. The reference is the payout's own id travelling through the bank and back, so it
//    wins over anything else. Lines without a usable reference wait.
// 2. finish(): only then the waiting lines are tried on amount + counterparty account + booking
//    date within the window (receipts: amount + date, a receipt records no account), against what
//    no reference claimed — so that a line without a reference can never take the payout another
//    line names. Candidates are ordered by distance in days, then by reference: deterministic.
// 3. Then the ledger side: every payout settled or returned, and every receipt, whose date lies in
//    the statements' period and that no line matched, is "in the ledger but not at the bank".
//    Ledger items outside the period are not expected on these statements.
//
// Memory: per payout, a few typed-array slots (which line matched its debit and its return); per
// waiting line, the line itself. Matched lines are counted and dropped. Findings are kept up to
// `maxListed` per code (counts are always complete).
import { transitAgeing, type TransitAgeing } from '../../domain/payout-transit.ts';
import { FenSum, FNV_START, fnvAdd, inRanges, isoOfDay, maskAccount, NO_DAY, type DayRange } from './units.ts';
import {
  FINDING_CODES,
  PAYOUT_STATUSES,
  type AtBankReason,
  type Finding,
  type FindingCode,
  type PayoutIndex,
  type PayoutStatus,
  type ReceiptRecord,
  type StatementLine,
} from './types.ts';

export interface MatcherOptions {
  /** Days either side of the ledger's date within which a line without a reference may match. */
  window: number;
  /** Findings listed per code; the counts are always complete. */
  maxListed?: number;
  /**
   * Ageing of payouts in transit: the programme's business days in transit and the check's today
   * (in China). A payout sent, on no line, past its due day as of today or of the last day a
   * statement covers (whichever is later) is `not_booked_by_bank`. Without it, every such payout
   * is counted in transit.
   */
  transit?: { businessDays: number; today: string };
}

/** What the caller provides for step 2 (it needs the personal-data vault and the database). */
export interface AccountLookup {
  /** The lookup hash of a counterparty account as written on a line, or undefined when unknown. */
  hashOf(account: string): string | undefined;
  /** Indexes (into the PayoutIndex) of the payouts paid to the account with this hash. */
  payoutsWith(hash: string): readonly number[] | undefined;
}

export interface MatchCounts {
  /** Lines matched: a payout's debit (settled or returned payouts), a receipt's credit. */
  matchedPayouts: number;
  matchedReceipts: number;
  /** Of those, by reference and by amount + account (+ date). */
  matchedByReference: number;
  matchedByAmount: number;
  /** Lines read (booked, non-zero), debits and credits. */
  lines: number;
  debits: number;
  credits: number;
  /** Payouts sent that no line shows yet (in transit): expected later, not an exception. */
  inTransit: number;
}

export interface MatchSums {
  debitFen: bigint;
  creditFen: bigint;
  matchedPayoutFen: bigint;
  matchedReceiptFen: bigint;
  inTransitFen: bigint;
}

export interface MatchSummary {
  counts: MatchCounts;
  sums: MatchSums;
  /** Every finding up to maxListed per code, sorted (code, file, line, date, reference). */
  findings: Finding[];
  /** Complete counts per code (also of findings not listed). */
  findingCounts: Record<FindingCode, number>;
  /** Amount per code, in fen, where the findings carry one (line amount, or ledger amount). */
  findingFen: Record<FindingCode, bigint>;
  /** The days payouts in transit were aged over (earliest requested execution date, the day judged), when any was. */
  transitSpan: { from: string; to: string } | null;
}

const NONE = -1;
const STATUS_CODE = new Map<PayoutStatus, number>(PAYOUT_STATUSES.map((s, i) => [s, i]));
const st = (s: PayoutStatus): number => STATUS_CODE.get(s) as number;
const SETTLED = st('settled');
const RETURNED = st('returned');
const FAILED = st('failed');
const SENT = st('sent');

export class BankMatcher {
  private readonly debitFile: Int32Array;
  private readonly debitLine: Int32Array;
  private readonly debitKey: Uint32Array;
  private readonly returnFile: Int32Array;
  private readonly returnLine: Int32Array;
  private readonly returnKey: Uint32Array;
  /** Failed payouts whose debit is at the bank: a return line must follow, or it is a break. */
  private readonly failedDebits = new Map<number, StatementLine>();

  private readonly receiptsByReference = new Map<string, number>();
  private readonly receiptLine: { file: number; line: number }[] = [];

  private readonly waiting: StatementLine[] = [];
  private readonly listed = new Map<FindingCode, Finding[]>();
  private readonly findingCounts = Object.fromEntries(FINDING_CODES.map((c) => [c, 0])) as Record<FindingCode, number>;
  private readonly findingFen = Object.fromEntries(FINDING_CODES.map((c) => [c, 0n])) as Record<FindingCode, bigint>;
  private readonly maxListed: number;
  private finished = false;
  /** Earliest requested execution date aged, and the day judged (for the report's calendar note). */
  private transitSpan: { from: string; to: string } | null = null;

  readonly counts: MatchCounts = {
    matchedPayouts: 0,
    matchedReceipts: 0,
    matchedByReference: 0,
    matchedByAmount: 0,
    lines: 0,
    debits: 0,
    credits: 0,
    inTransit: 0,
  };
  private readonly sum = { debit: new FenSum(), credit: new FenSum(), matchedPayout: new FenSum(), matchedReceipt: new FenSum(), inTransit: new FenSum() };

  constructor(
    private readonly payouts: PayoutIndex,
    private readonly receipts: readonly ReceiptRecord[],
    private readonly options: MatcherOptions,
  ) {
    const n = payouts.size;
    this.debitFile = new Int32Array(n).fill(NONE);
    this.debitLine = new Int32Array(n);
    this.debitKey = new Uint32Array(n);
    this.returnFile = new Int32Array(n).fill(NONE);
    this.returnLine = new Int32Array(n);
    this.returnKey = new Uint32Array(n);
    this.maxListed = options.maxListed ?? 10_000;
    receipts.forEach((r, i) => {
      this.receiptLine.push({ file: NONE, line: 0 });
      // Bank references are unique per programme (a database constraint); the first one wins anyway.
      if (!this.receiptsByReference.has(r.bankReference)) this.receiptsByReference.set(r.bankReference, i);
    });
    for (const c of FINDING_CODES) this.listed.set(c, []);
  }

  /** Step 1: one statement line, in file order. */
  add(line: StatementLine): void {
    if (this.finished) throw new Error('BankMatcher.add after finish');
    this.counts.lines++;
    // A line that is not a whole number of fen counts in the lines, not in the sums (it is a finding anyway).
    const fen = line.fen ?? 0;
    if (line.side === 'DBIT') {
      this.counts.debits++;
      this.sum.debit.add(fen);
    } else {
      this.counts.credits++;
      this.sum.credit.add(fen);
    }
    switch (line.kind) {
      case 'payment': {
        // The common case first: one reference, naming a payout.
        if (line.references.length === 1) {
          const i = this.payouts.references.get(line.references[0] as string);
          if (i !== undefined) {
            this.applyDebit(i, line, 'reference');
            return;
          }
        }
        const named = this.payoutsNamed(line);
        if (named.length === 0) this.waiting.push(line);
        else if (named.length === 1) this.applyDebit(named[0] as number, line, 'reference');
        else this.applyBatchDebit(named, line);
        return;
      }
      case 'return': {
        const named = this.payoutsNamed(line);
        if (named.length === 0) this.waiting.push(line);
        else for (const i of named) this.applyReturn(i, line, named.length === 1);
        return;
      }
      case 'credit': {
        // A credit naming one of our payouts is that payout coming back, whatever the bank flagged.
        const named = this.payoutsNamed(line);
        if (named.length > 0) {
          for (const i of named) this.applyReturn(i, line, named.length === 1);
          return;
        }
        const r = this.receiptNamed(line);
        if (r === undefined) this.waiting.push(line);
        else this.applyReceipt(r, line, 'reference');
        return;
      }
      case 'other_debit':
        this.atBank(line, 'other_debit');
        return;
    }
  }

  /** Distinct normalised-as-written counterparty accounts of the lines waiting for step 2. */
  waitingAccounts(): string[] {
    const accounts = new Set<string>();
    for (const line of this.waiting) {
      if (line.kind !== 'credit' && line.counterpartyAccount) accounts.add(line.counterpartyAccount);
    }
    return [...accounts].sort();
  }

  /**
   * Steps 2 and 3. `accounts` null: no vault, so no line can be matched on its account (only
   * receipts, on amount and date). `periods`: the statements' periods, inclusive day ranges.
   */
  finish(accounts: AccountLookup | null, periods: readonly DayRange[]): MatchSummary {
    if (this.finished) throw new Error('BankMatcher.finish called twice');
    this.finished = true;
    for (const line of this.waiting) this.matchWithoutReference(line, accounts);
    this.waiting.length = 0;

    for (const [i, line] of this.failedDebits) {
      if (this.returnFile[i] === NONE)
        this.atBank(line, 'payout_failed_in_ledger', { payoutReference: this.payouts.references.referenceOf(i), payoutStatus: 'failed' });
    }
    this.ledgerSide(periods);

    const findings: Finding[] = [];
    for (const code of FINDING_CODES) findings.push(...(this.listed.get(code) as Finding[]).sort(compareFindings));
    const sums: MatchSums = {
      debitFen: this.sum.debit.value,
      creditFen: this.sum.credit.value,
      matchedPayoutFen: this.sum.matchedPayout.value,
      matchedReceiptFen: this.sum.matchedReceipt.value,
      inTransitFen: this.sum.inTransit.value,
    };
    return { counts: this.counts, sums, findings, findingCounts: this.findingCounts, findingFen: this.findingFen, transitSpan: this.transitSpan };
  }

  /** Adds findings made outside the matcher (closing balances, files), counted and capped alike. */
  note(finding: Finding, fen = 0n): void {
    this.record(finding, fen);
  }

  // --- step 1 ------------------------------------------------------------------------------

  private payoutsNamed(line: StatementLine): number[] {
    const refs = line.references;
    if (refs.length === 0) return [];
    if (refs.length === 1) {
      const i = this.payouts.references.get(refs[0] as string);
      return i === undefined ? [] : [i];
    }
    const found: number[] = [];
    for (const ref of refs) {
      const i = this.payouts.references.get(ref);
      if (i !== undefined && !found.includes(i)) found.push(i);
    }
    return found;
  }

  private receiptNamed(line: StatementLine): number | undefined {
    if (this.receipts.length === 0) return undefined;
    if (line.bankReference !== null) {
      const r = this.receiptsByReference.get(line.bankReference);
      if (r !== undefined) return r;
    }
    for (const list of [line.receiptReferences ?? [], line.references]) {
      for (const ref of list) {
        const r = this.receiptsByReference.get(ref);
        if (r !== undefined) return r;
      }
    }
    return undefined;
  }

  /** A debit line for payout i. */
  private applyDebit(i: number, line: StatementLine, by: 'reference' | 'amount_account_date', amountAlreadyChecked = false): void {
    const p = this.payouts;
    const key = lineKey(line);
    if (this.debitFile[i] !== NONE) {
      const sameLine = this.debitKey[i] === key;
      this.duplicate(line, sameLine ? 'same_line_twice' : 'second_line_for_payout', this.debitFile[i] as number, this.debitLine[i] as number, {
        payoutReference: p.references.referenceOf(i),
      });
      return;
    }
    this.debitFile[i] = line.file;
    this.debitLine[i] = line.line;
    this.debitKey[i] = key;
    const status = p.status[i] as number;
    if (!amountAlreadyChecked && line.fen !== p.fen[i]) {
      this.record(
        {
          ...lineFields(line),
          code: 'amount_differs',
          payoutReference: p.references.referenceOf(i),
          ledgerFen: p.fen[i] as number,
          payoutStatus: statusOf(status),
          matchedBy: by,
        },
        lineFen(line),
      );
      return;
    }
    if (status === SETTLED || status === RETURNED) {
      this.counts.matchedPayouts++;
      this.sum.matchedPayout.add(p.fen[i] as number);
      if (by === 'reference') this.counts.matchedByReference++;
      else this.counts.matchedByAmount++;
      return;
    }
    if (status === FAILED) {
      // Debited and (hopefully) returned: judged once every line has been seen.
      this.failedDebits.set(i, line);
      return;
    }
    this.atBank(line, status === SENT ? 'payout_in_transit' : 'payout_not_sent', {
      payoutReference: p.references.referenceOf(i),
      payoutStatus: statusOf(status),
      matchedBy: by,
    });
  }

  /** A debit naming several payouts (a batch booking): it must pay exactly their sum. */
  private applyBatchDebit(named: number[], line: StatementLine): void {
    const p = this.payouts;
    let sum = 0;
    for (const i of named) sum += p.fen[i] as number;
    if (line.fen === sum) {
      for (const i of named) this.applyDebit(i, line, 'reference', true);
      return;
    }
    for (const i of named) {
      if (this.debitFile[i] === NONE) {
        this.debitFile[i] = line.file;
        this.debitLine[i] = line.line;
        this.debitKey[i] = lineKey(line);
      }
    }
    const refs = named.map((i) => p.references.referenceOf(i)).sort();
    this.record({ ...lineFields(line), code: 'amount_differs', payoutReference: refs.join(','), ledgerFen: sum, matchedBy: 'reference' }, lineFen(line));
  }

  /** A line bringing payout i's money back. `single`: the line is about this payout alone (amount compared). */
  private applyReturn(i: number, line: StatementLine, single: boolean): void {
    const p = this.payouts;
    const key = lineKey(line);
    if (this.returnFile[i] !== NONE) {
      const sameLine = this.returnKey[i] === key;
      this.duplicate(line, sameLine ? 'same_line_twice' : 'second_line_for_payout', this.returnFile[i] as number, this.returnLine[i] as number, {
        payoutReference: p.references.referenceOf(i),
      });
      return;
    }
    this.returnFile[i] = line.file;
    this.returnLine[i] = line.line;
    this.returnKey[i] = key;
    const status = p.status[i] as number;
    if (single && line.fen !== p.fen[i]) {
      this.record(
        {
          ...lineFields(line),
          code: 'amount_differs',
          payoutReference: p.references.referenceOf(i),
          ledgerFen: p.fen[i] as number,
          payoutStatus: statusOf(status),
          movement: 'return',
        },
        lineFen(line),
      );
      return;
    }
    if (status === RETURNED || status === FAILED) {
      const finding: Finding = {
        ...lineFields(line),
        code: 'return',
        payoutReference: p.references.referenceOf(i),
        payoutStatus: statusOf(status),
        ledgerFen: p.fen[i] as number,
      };
      if (line.returnReason !== undefined) finding.returnReason = line.returnReason;
      this.record(finding, BigInt(p.fen[i] as number));
      return;
    }
    this.atBank(line, status === SETTLED || status === SENT ? 'return_not_recorded' : 'payout_not_sent', {
      payoutReference: p.references.referenceOf(i),
      payoutStatus: statusOf(status),
      ...(line.returnReason !== undefined ? { returnReason: line.returnReason } : {}),
    });
  }

  private applyReceipt(r: number, line: StatementLine, by: 'reference' | 'amount_date'): void {
    const receipt = this.receipts[r] as ReceiptRecord;
    const seen = this.receiptLine[r] as { file: number; line: number };
    if (seen.file !== NONE) {
      this.duplicate(line, 'second_line_for_receipt', seen.file, seen.line, { receiptId: receipt.id, receiptReference: receipt.bankReference });
      return;
    }
    seen.file = line.file;
    seen.line = line.line;
    if (receipt.reversed) {
      this.atBank(line, 'receipt_reversed', { receiptId: receipt.id, receiptReference: receipt.bankReference });
      return;
    }
    if (line.fen !== receipt.fen) {
      this.record(
        {
          ...lineFields(line),
          code: 'amount_differs',
          receiptId: receipt.id,
          receiptReference: receipt.bankReference,
          ledgerFen: receipt.fen,
          movement: 'receipt',
        },
        lineFen(line),
      );
      return;
    }
    this.counts.matchedReceipts++;
    this.sum.matchedReceipt.add(receipt.fen);
    if (by === 'reference') this.counts.matchedByReference++;
    else this.counts.matchedByAmount++;
  }

  // --- step 2 ------------------------------------------------------------------------------

  private matchWithoutReference(line: StatementLine, accounts: AccountLookup | null): void {
    if (line.kind === 'credit') {
      const r = this.closestReceipt(line);
      if (r === undefined) this.atBank(line, 'no_ledger_item');
      else this.applyReceipt(r, line, 'amount_date');
      return;
    }
    const i = this.closestPayout(line, accounts);
    if (i === undefined) this.atBank(line, 'no_ledger_item');
    else if (line.kind === 'payment') this.applyDebit(i, line, 'amount_account_date');
    else this.applyReturn(i, line, true);
  }

  private closestPayout(line: StatementLine, accounts: AccountLookup | null): number | undefined {
    if (accounts === null || line.counterpartyAccount === null || line.fen === null) return undefined;
    const hash = accounts.hashOf(line.counterpartyAccount);
    const candidates = hash === undefined ? undefined : accounts.payoutsWith(hash);
    if (candidates === undefined) return undefined;
    const p = this.payouts;
    const seen = line.kind === 'payment' ? this.debitFile : this.returnFile;
    let best: number | undefined;
    let bestDistance = Infinity;
    for (const i of candidates) {
      if (seen[i] !== NONE || p.fen[i] !== line.fen) continue;
      const day = line.kind === 'payment' ? firstDay(p.settledDay[i], p.sentDay[i]) : firstDay(p.outcomeDay[i], p.settledDay[i], p.sentDay[i]);
      if (day === NO_DAY) continue;
      const distance = Math.abs(line.day - day);
      if (distance > this.options.window) continue;
      if (distance < bestDistance || (distance === bestDistance && p.references.referenceOf(i) < p.references.referenceOf(best as number))) {
        best = i;
        bestDistance = distance;
      }
    }
    return best;
  }

  /** Unmatched receipts of the line's amount within the window: not reversed first, then closest, then by bank reference. */
  private closestReceipt(line: StatementLine): number | undefined {
    if (line.fen === null) return undefined;
    let best: number | undefined;
    let bestRank: [number, number, string] | undefined;
    this.receipts.forEach((r, i) => {
      if ((this.receiptLine[i] as { file: number }).file !== NONE || r.fen !== line.fen) return;
      const distance = Math.abs(line.day - r.day);
      if (distance > this.options.window) return;
      const rank: [number, number, string] = [r.reversed ? 1 : 0, distance, r.bankReference];
      if (bestRank === undefined || compareRank(rank, bestRank) < 0) {
        best = i;
        bestRank = rank;
      }
    });
    return best;
  }

  // --- step 3 ------------------------------------------------------------------------------

  private ledgerSide(periods: readonly DayRange[]): void {
    const p = this.payouts;
    const ageing = this.ageing(periods);
    for (let i = 0; i < p.size; i++) {
      const status = p.status[i] as number;
      if (status === SETTLED || status === RETURNED) {
        if (this.debitFile[i] === NONE && inRanges(p.settledDay[i] as number, periods)) this.missing(i, 'payout', p.settledDay[i] as number);
        if (status === RETURNED && this.returnFile[i] === NONE && inRanges(p.outcomeDay[i] as number, periods))
          this.missing(i, 'return', p.outcomeDay[i] as number);
      } else if (status === SENT && this.debitFile[i] === NONE) {
        const aged = ageing?.(p.requestedDay[i] as number);
        if (aged?.overdue) {
          this.record(
            {
              code: 'not_booked_by_bank',
              payoutReference: p.references.referenceOf(i),
              payoutStatus: 'sent',
              ledgerFen: p.fen[i] as number,
              requestedOn: isoOfDay(p.requestedDay[i] as number),
              dueOn: aged.dueOn,
              businessDaysOverdue: aged.businessDaysOverdue,
              ledgerDate: aged.dueOn,
            },
            BigInt(p.fen[i] as number),
          );
          continue;
        }
        this.counts.inTransit++;
        this.sum.inTransit.add(p.fen[i] as number);
      }
    }
    this.receipts.forEach((r, i) => {
      if (r.reversed || (this.receiptLine[i] as { file: number }).file !== NONE || !inRanges(r.day, periods)) return;
      this.record(
        { code: 'in_ledger_not_at_bank', movement: 'receipt', receiptId: r.id, receiptReference: r.bankReference, ledgerFen: r.fen, ledgerDate: isoDay(r.day) },
        BigInt(r.fen),
      );
    });
  }

  /**
   * The ageing of a requested execution day (cached: a programme has few batches), judged as of
   * today or the last day a statement covers, whichever is later; undefined without `transit`.
   */
  private ageing(periods: readonly DayRange[]): ((requestedDay: number) => TransitAgeing | undefined) | undefined {
    const transit = this.options.transit;
    if (transit === undefined) return undefined;
    let asOf = transit.today;
    for (const r of periods) if (isoOfDay(r.to) > asOf) asOf = isoOfDay(r.to);
    const cache = new Map<number, TransitAgeing>();
    return (requestedDay) => {
      if (requestedDay === NO_DAY) return undefined;
      let aged = cache.get(requestedDay);
      if (aged === undefined) {
        aged = transitAgeing(isoOfDay(requestedDay), transit.businessDays, asOf);
        cache.set(requestedDay, aged);
        const from = isoOfDay(requestedDay);
        if (this.transitSpan === null) this.transitSpan = { from, to: asOf };
        else if (from < this.transitSpan.from) this.transitSpan.from = from;
      }
      return aged;
    };
  }

  private missing(i: number, movement: 'payout' | 'return', day: number): void {
    const p = this.payouts;
    this.record(
      {
        code: 'in_ledger_not_at_bank',
        movement,
        payoutReference: p.references.referenceOf(i),
        payoutStatus: statusOf(p.status[i] as number),
        ledgerFen: p.fen[i] as number,
        ledgerDate: isoDay(day),
      },
      BigInt(p.fen[i] as number),
    );
  }

  // --- findings ----------------------------------------------------------------------------

  private atBank(line: StatementLine, reason: AtBankReason, more: Partial<Finding> = {}): void {
    const finding: Finding = { ...lineFields(line), code: 'at_bank_not_in_ledger', reason, ...more };
    if (line.counterpartyAccount) finding.counterpartyMasked = maskAccount(line.counterpartyAccount);
    this.record(finding, lineFen(line));
  }

  private duplicate(line: StatementLine, reason: Finding['reason'], firstFile: number, firstLine: number, more: Partial<Finding>): void {
    this.record({ ...lineFields(line), code: 'duplicate', reason, firstFile, firstLine, ...more }, lineFen(line));
  }

  private record(finding: Finding, fen: bigint): void {
    this.findingCounts[finding.code]++;
    this.findingFen[finding.code] += fen;
    const list = this.listed.get(finding.code) as Finding[];
    if (list.length < this.maxListed) list.push(finding);
  }
}

function lineFields(line: StatementLine): Finding {
  return {
    code: 'at_bank_not_in_ledger',
    file: line.file,
    line: line.line,
    date: line.date,
    side: line.side,
    amount: line.amount,
    bankReference: line.bankReference,
  };
}

function lineFen(line: StatementLine): bigint {
  return line.fen === null ? 0n : BigInt(line.fen);
}

/** Tells "the same bank line again" from "another line" for one payout: its bank id, date, amount and side. */
function lineKey(line: StatementLine): number {
  return fnvAdd(fnvAdd(fnvAdd(fnvAdd(FNV_START, line.bankReference ?? ''), line.date), line.amount), line.side) >>> 0;
}

function statusOf(code: number): PayoutStatus {
  return PAYOUT_STATUSES[code] as PayoutStatus;
}

function firstDay(...days: (number | undefined)[]): number {
  for (const d of days) if (d !== undefined && d !== NO_DAY) return d;
  return NO_DAY;
}

function isoDay(day: number): string {
  return new Date(day * 86_400_000).toISOString().slice(0, 10);
}

function compareRank(a: [number, number, string], b: [number, number, string]): number {
  return a[0] - b[0] || a[1] - b[1] || (a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : 0);
}

const cmp = (a: string | number | undefined, b: string | number | undefined): number => {
  if (a === b) return 0;
  if (a === undefined) return -1;
  if (b === undefined) return 1;
  return a < b ? -1 : 1;
};

/** Within a code: statement lines by file and line, ledger items by date and reference. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    cmp(a.file, b.file) ||
    cmp(a.line, b.line) ||
    cmp(a.ledgerDate, b.ledgerDate) ||
    cmp(a.payoutReference ?? a.receiptReference, b.payoutReference ?? b.receiptReference) ||
    cmp(a.movement, b.movement) ||
    cmp(a.statementIndex, b.statementIndex)
  );
}
