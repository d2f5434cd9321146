// Payout rules (DESIGN.md §3): which due instalments a batch takes, how a batch is named, and what
// a line of the bank's answer does to the payout it names. Pure: the services do the I/O.
import { isIsoDate } from './calendar-date.ts';
import { type Money, formatMoney } from './money.ts';

export type PayoutStatus = 'pending' | 'sent' | 'settled' | 'failed' | 'returned' | 'cancelled';

// ---------------------------------------------------------------------------------------------
// Batch codes

/**
 * `PB<yyyymmdd>-<number>`: the day the batch was made (Beijing) and a number that never repeats.
 * Upper case, digits and one hyphen, so the payout references built on it (`<code>-<6 digits>`,
 * 22-26 characters) survive banks that upper-case or strip punctuation, and stay within ISO 20022's
 * 35 characters.
 */
export function batchCodeOf(createdOn: string, number: bigint | number): string {
  if (!isIsoDate(createdOn)) throw new RangeError(`not a date: ${createdOn}`);
  const day = createdOn.replaceAll('-', '');
  const n = BigInt(number);
  if (n < 1n || n > 999_999_999n) throw new RangeError(`batch number ${n} out of range`);
  return `PB${day}-${n.toString().padStart(5, '0')}`;
}

// ---------------------------------------------------------------------------------------------
// Which due instalments a batch takes

/** What the batch query knows about an instalment due by the cut-off whose grant is approved. */
export interface DueInstalment {
  instalmentStatus: 'scheduled' | 'held';
  /** Why it is held, as recorded when it was (e.g. "enrolment suspended: …"). */
  statusReason: string | null;
  eligibilityStatus: string;
  enrolmentStatus: string;
}

export type BatchDecision = { take: true } | { take: false; reason: string };

/**
 * A batch takes an instalment only when the student is, today, still eligible and enrolled: the
 * grant being approved is not enough, since a suspension or a revocation may be recorded after the
 * grant. Everything else is listed with the batch as held, with the reason, so finance can see why
 * a student was not paid.
 */
export function decideBatchMembership(due: DueInstalment): BatchDecision {
  if (due.instalmentStatus === 'held') return { take: false, reason: due.statusReason ?? 'instalment held' };
  if (due.eligibilityStatus !== 'approved') return { take: false, reason: `eligibility ${due.eligibilityStatus}` };
  if (due.enrolmentStatus !== 'enrolled') return { take: false, reason: `enrolment ${due.enrolmentStatus}` };
  return { take: true };
}

/** What the batch query knows about an instalment finance named explicitly. */
export interface NamedInstalment extends Omit<DueInstalment, 'instalmentStatus'> {
  instalmentStatus: string;
  grantStatus: string;
  dueOn: string;
  /** The reference of the pending, sent or settled payout that holds it, if any. */
  livePayoutReference: string | null;
}

/**
 * Why an instalment finance named cannot go into a batch now, or null when it can. The same
 * conditions as for the instalments a cut-off gathers, each said in words for the error list.
 */
export function namedInstalmentProblem(named: NamedInstalment, cutoffOn: string): string | null {
  if (named.livePayoutReference) return `already in payout ${named.livePayoutReference}`;
  if (named.instalmentStatus === 'sent') return 'already sent';
  if (named.instalmentStatus === 'paid') return 'already paid';
  if (named.instalmentStatus === 'cancelled') return 'cancelled';
  if (named.grantStatus !== 'approved') return `its grant is ${named.grantStatus}`;
  if (named.dueOn > cutoffOn) return `not due by the cut-off (due ${named.dueOn})`;
  const decision = decideBatchMembership({ ...named, instalmentStatus: named.instalmentStatus as DueInstalment['instalmentStatus'] });
  return decision.take ? null : decision.reason;
}

// ---------------------------------------------------------------------------------------------
// The bank's answer

/** What a line of a bank answer says about a payment (see src/bank/results). */
export type BankResultKind = 'debit' | 'failed' | 'return';

/** The payout as the matcher sees it; `status` is updated as earlier lines of the same file apply. */
export interface PayoutState {
  id: string;
  status: PayoutStatus;
  amount: Money;
  /** The bank reference of the line that settled it, to recognise the same line in a later file. */
  settledBankReference: string | null;
  outcomeBankReference: string | null;
}

export interface ResultLine {
  reference: string | null;
  amount: Money;
  kind: BankResultKind;
  bankReference: string | null;
}

/** What to do with one line. The three `apply_*` post to the ledger; the others change nothing. */
export type LineOutcome =
  /** Dr in_transit / Cr bank. */
  | 'settled'
  /** Dr in_transit / Cr payable: refused, or returned before it settled. */
  | 'failed'
  /** Dr bank / Cr payable: the bank credited back a payout that had settled. */
  | 'returned'
  /** The same fact as an earlier file said (e.g. the day's camt.054, then the month's camt.053). */
  | 'already_recorded'
  /** No payout has this reference, or the line carries none. */
  | 'unmatched'
  | 'amount_mismatch'
  /** A second, different settlement or return of the same payout: never applied twice. */
  | 'duplicate'
  /** The payout was never sent (pending or cancelled): the bank cannot have paid it. */
  | 'not_sent';

export const APPLYING_OUTCOMES: readonly LineOutcome[] = ['settled', 'failed', 'returned'];

export interface LineJudgement {
  outcome: LineOutcome;
  /** Why it was not applied, in words for the import report. */
  explanation?: string;
}

/**
 * Judges one line against the payout its reference names (undefined: none), and moves `payout.status`
 * on when the line applies, so that a file carrying a debit and, later, its return reads right.
 * Never guesses: a line applies only to the payout it names, for exactly its amount.
 */
export function judgeResultLine(line: ResultLine, payout: PayoutState | undefined): LineJudgement {
  if (!payout) {
    return { outcome: 'unmatched', explanation: line.reference ? 'no payout has this reference' : 'the line carries no payout reference' };
  }
  if (!line.amount.equals(payout.amount)) {
    return { outcome: 'amount_mismatch', explanation: `the bank says ${formatMoney(line.amount)}, the payout is ${formatMoney(payout.amount)}` };
  }
  if (payout.status === 'pending' || payout.status === 'cancelled') {
    return { outcome: 'not_sent', explanation: `the payout is ${payout.status}, it was never sent` };
  }
  const sameLine = (known: string | null) => known !== null && line.bankReference !== null && known === line.bankReference;
  switch (line.kind) {
    case 'debit':
      if (payout.status === 'sent') return settle(payout, line);
      if (sameLine(payout.settledBankReference)) return { outcome: 'already_recorded' };
      if (payout.status === 'settled' && payout.settledBankReference === null && line.bankReference === null) return { outcome: 'already_recorded' };
      return { outcome: 'duplicate', explanation: `the payout is already ${payout.status}; a second debit is never applied` };
    case 'failed':
      if (payout.status === 'sent') return fail(payout, line);
      if (payout.status === 'failed') return { outcome: 'already_recorded' };
      return { outcome: 'duplicate', explanation: `the payout is ${payout.status}; the bank cannot refuse it now` };
    case 'return':
      if (payout.status === 'sent') return fail(payout, line);
      if (payout.status === 'settled') {
        payout.status = 'returned';
        payout.outcomeBankReference = line.bankReference;
        return { outcome: 'returned' };
      }
      if (sameLine(payout.outcomeBankReference) || (payout.outcomeBankReference === null && line.bankReference === null)) {
        return { outcome: 'already_recorded' };
      }
      return { outcome: 'duplicate', explanation: `the payout is already ${payout.status}; a second return is never applied` };
  }
}

function settle(payout: PayoutState, line: ResultLine): LineJudgement {
  payout.status = 'settled';
  payout.settledBankReference = line.bankReference;
  return { outcome: 'settled' };
}

function fail(payout: PayoutState, line: ResultLine): LineJudgement {
  payout.status = 'failed';
  payout.outcomeBankReference = line.bankReference;
  return { outcome: 'failed' };
}
