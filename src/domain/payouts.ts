// Payout rules (DESIGN.md §3): which due instalments a batch takes, how a batch is named, and what
// a line of the bank's answer does to the payout it names. Pure: the services do the I/O.
import { isIsoDate } from './calendar-date.ts';
import { daysBetween } from './bank-line-matching.ts';
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

/**
 * What kind of record a file is. A `statement` (camt.053, an account-history CSV) is the account's
 * book: each of its lines is a booking. A `notice` (camt.054, a 代发 result CSV) tells of bookings
 * made elsewhere on the book: the same booking is told again, under other bank references, by the
 * month's statement.
 */
export type AnswerSource = 'statement' | 'notice';

/** The file formats that are the account's book; every other answer is a notice. */
export const STATEMENT_FORMATS: readonly string[] = ['camt.053', 'statement-csv'];

export const answerSourceOf = (format: string): AnswerSource => (STATEMENT_FORMATS.includes(format) ? 'statement' : 'notice');

/**
 * Calendar days a booking date may lie from the date recorded for the payout and still be the same
 * booking told by another kind of file (a 代发 result dated the day of processing, the statement the
 * day of booking; a weekend or a holiday week between them).
 */
export const BOOKING_IDENTITY_WINDOW_DAYS = 10;

/** Bank references of lines already recorded for one payout, by the kind of file they came from ('' for none). */
export type SeenReferences = Record<AnswerSource, string[]>;

/** The payout as the matcher sees it; `status` is updated as earlier lines of the same file apply. */
export interface PayoutState {
  id: string;
  status: PayoutStatus;
  amount: Money;
  /** The bank reference of the line that settled it, to recognise the same line in a later file. */
  settledBankReference: string | null;
  outcomeBankReference: string | null;
  /** The date recorded for its settlement (the booking date of the line that settled it). */
  settledOn?: string | null;
  outcomeOn?: string | null;
  /** Debits and returns already recorded for it, by kind of file (see judgeResultLine). */
  seen?: { debit: SeenReferences; return: SeenReferences };
}

export interface ResultLine {
  reference: string | null;
  amount: Money;
  kind: BankResultKind;
  bankReference: string | null;
  bookingDate?: string | null;
  /** The kind of file the line is in; without it, only the bank reference identifies a line. */
  source?: AnswerSource;
}

/** What to do with one line. The three `apply_*` post to the ledger; the others change nothing. */
export type LineOutcome =
  /** Dr in_transit / Cr bank. */
  | 'settled'
  /** Dr in_transit / Cr payable: refused, or returned before it settled. */
  | 'failed'
  /** Dr bank / Cr payable: the bank credited back a payout that had settled. */
  | 'returned'
  /**
   * A line without a payout reference matched to the one payout its amount, payee and date fit
   * (src/domain/bank-line-matching.ts): applied as settled, or failed, as its kind says.
   */
  | 'matched_without_reference'
  /** The same fact as an earlier file said (e.g. the day's camt.054, then the month's camt.053). */
  | 'already_recorded'
  /** No payout has this reference, or the line carries none and no payout fits it. */
  | 'unmatched'
  /** A line without a payout reference that several payouts fit: finance picks one by hand. */
  | 'ambiguous_match'
  | 'amount_mismatch'
  /** A second, different settlement or return of the same payout: never applied twice. */
  | 'duplicate'
  /** The payout was never sent (pending or cancelled): the bank cannot have paid it. */
  | 'not_sent';

export const APPLYING_OUTCOMES: readonly LineOutcome[] = ['settled', 'failed', 'returned', 'matched_without_reference'];

/** Outcomes that need finance's attention: by default any of them refuses the file. */
export const EXCEPTION_OUTCOMES: readonly LineOutcome[] = ['unmatched', 'ambiguous_match', 'amount_mismatch', 'duplicate', 'not_sent'];

export interface LineJudgement {
  outcome: LineOutcome;
  /** Why it was not applied, in words for the import report. */
  explanation?: string;
}

/**
 * Judges one line against the payout its reference names (undefined: none), and moves `payout.status`
 * on when the line applies, so that a file carrying a debit and, later, its return reads right.
 * Never guesses: a line applies only to the payout it names, for exactly its amount.
 *
 * A booking is identified by what it is, not by the file that told of it. A line saying what is
 * already recorded for the payout is `already_recorded` when it carries the bank reference of the
 * line recorded (or both carry none), or when it comes from the other kind of file (a statement
 * after a notice, or a notice after a statement) with a booking date within
 * BOOKING_IDENTITY_WINDOW_DAYS of the date recorded: the same booking told twice. Only a second
 * line of the same kind of file with another bank reference — two debits for one payout on
 * statements, or in one file — is a `duplicate`: a second booking.
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
      if (sameLine(payout.settledBankReference)) return remember(payout, 'debit', line, { outcome: 'already_recorded' });
      if (payout.status === 'settled' && payout.settledBankReference === null && line.bankReference === null) {
        return remember(payout, 'debit', line, { outcome: 'already_recorded' });
      }
      if (payout.status !== 'failed') {
        const same = sameBooking(payout, 'debit', line, payout.settledOn);
        if (same) return same;
      }
      return { outcome: 'duplicate', explanation: secondBooking(payout, 'debit', line) };
    case 'failed':
      if (payout.status === 'sent') return fail(payout, line);
      if (payout.status === 'failed') return { outcome: 'already_recorded' };
      return { outcome: 'duplicate', explanation: `the payout is ${payout.status}; the bank cannot refuse it now` };
    case 'return': {
      if (payout.status === 'sent') return fail(payout, line);
      if (payout.status === 'settled') {
        payout.status = 'returned';
        payout.outcomeBankReference = line.bankReference;
        payout.outcomeOn = line.bookingDate ?? null;
        return remember(payout, 'return', line, { outcome: 'returned' });
      }
      if (sameLine(payout.outcomeBankReference) || (payout.outcomeBankReference === null && line.bankReference === null)) {
        return remember(payout, 'return', line, { outcome: 'already_recorded' });
      }
      const same = sameBooking(payout, 'return', line, payout.outcomeOn);
      if (same) return same;
      return { outcome: 'duplicate', explanation: secondBooking(payout, 'return', line) };
    }
  }
}

const seenKey = (bankReference: string | null) => bankReference ?? '';

/** Notes the line as recorded for the payout, so that a later line of the same file is judged against it. */
function remember(payout: PayoutState, kind: 'debit' | 'return', line: ResultLine, judgement: LineJudgement): LineJudgement {
  if (payout.seen && line.source) {
    const list = payout.seen[kind][line.source];
    if (!list.includes(seenKey(line.bankReference))) list.push(seenKey(line.bankReference));
  }
  return judgement;
}

/** `already_recorded` when the line is the recorded booking told by the other kind of file (see judgeResultLine). */
function sameBooking(payout: PayoutState, kind: 'debit' | 'return', line: ResultLine, recordedOn: string | null | undefined): LineJudgement | null {
  if (!payout.seen || !line.source) return null;
  const mine = payout.seen[kind][line.source];
  if (mine.includes(seenKey(line.bankReference))) return { outcome: 'already_recorded' };
  if (mine.length > 0) return null;
  const other = payout.seen[kind][line.source === 'statement' ? 'notice' : 'statement'];
  if (other.length === 0) return null;
  if (line.bookingDate && recordedOn && Math.abs(daysBetween(recordedOn, line.bookingDate)) > BOOKING_IDENTITY_WINDOW_DAYS) return null;
  return remember(payout, kind, line, { outcome: 'already_recorded' });
}

function secondBooking(payout: PayoutState, kind: 'debit' | 'return', line: ResultLine): string {
  const what = kind === 'debit' ? 'debit' : 'return';
  if (line.source && payout.seen && payout.seen[kind][line.source].length > 0) {
    return `a second ${what} for the payout on ${line.source === 'statement' ? 'statements' : 'notices'} (another bank reference): never applied twice`;
  }
  return `the payout is already ${payout.status}; a second ${what} is never applied`;
}

function settle(payout: PayoutState, line: ResultLine): LineJudgement {
  payout.status = 'settled';
  payout.settledBankReference = line.bankReference;
  payout.settledOn = line.bookingDate ?? null;
  return remember(payout, 'debit', line, { outcome: 'settled' });
}

function fail(payout: PayoutState, line: ResultLine): LineJudgement {
  payout.status = 'failed';
  payout.outcomeBankReference = line.bankReference;
  payout.outcomeOn = line.bookingDate ?? null;
  return remember(payout, 'return', line, { outcome: 'failed' });
}
