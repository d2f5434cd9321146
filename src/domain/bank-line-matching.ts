// Matching a line of the bank's answer that carries no payout reference (DESIGN.md §3; the rules
// are stated in src/bank/results/README.md and the project README). Banks drop the EndToEndId on
// some channels, and an account-history CSV rarely has one: such a line is matched to a payout only
// when exactly one payout fits all of
//
//   1. the amount, exactly;
//   2. the payee: the line's counterparty account equals the payout's (compared by the vault's
//      lookup hash, never in clear), or, when the line names no account, the payee name equals the
//      payout's after NFKC folding and with all whitespace removed;
//   3. the date: the booking date lies from the earlier of the batch's sent date and requested
//      execution date up to `transitBusinessDays` + MATCH_MARGIN_BUSINESS_DAYS bank business days
//      after the later of them (a line without a booking date is not held to a window);
//   4. the payout is sent (in transit) and no earlier line of the file took it.
//
// One payout → matched_without_reference; several → ambiguous_match; none → unmatched. Never more
// guessing than that: a line with a well-formed payout reference that names no payout stays
// unmatched. Pure: the service hashes, unseals and queries.
import { addBankBusinessDays } from './bank-business-days.ts';
import { parseIsoDate } from './calendar-date.ts';

/** Bank business days beyond the programme's transit days that a booking may still come in. */
export const MATCH_MARGIN_BUSINESS_DAYS = 2;

/** Calendar days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  const day = (text: string) => {
    const p = parseIsoDate(text);
    if (!p) throw new RangeError(`not a date: ${text}`);
    return Date.UTC(p.year, p.month - 1, p.day) / 86_400_000;
  };
  return day(to) - day(from);
}

/** A name as it is compared: full-width forms folded (NFKC), whitespace removed, Latin letters upper-cased. */
export function normalisePayeeName(name: string): string {
  return name.normalize('NFKC').replace(/\s+/gu, '').toUpperCase();
}

/** The booking dates a payout's line may carry: [from, to], inclusive. */
export function bookingWindow(sentOn: string | null, requestedExecutionOn: string, transitBusinessDays: number): { from: string; to: string } {
  const dates = [requestedExecutionOn, ...(sentOn ? [sentOn] : [])].sort();
  const from = dates[0] as string;
  const to = addBankBusinessDays(dates[dates.length - 1] as string, transitBusinessDays + MATCH_MARGIN_BUSINESS_DAYS);
  return { from, to };
}

/** What the matcher knows of a sent payout (its payee already compared by the service). */
export interface MatchCandidate {
  id: string;
  sentOn: string | null;
  requestedExecutionOn: string;
  /** The line's account (or, without one, its name) is the payout's payee. */
  payeeFits: boolean;
}

export interface LineToMatch {
  bookingDate: string | null;
  /** The line names an account or a name to compare: without either, nothing identifies the payee. */
  namesPayee: boolean;
}

export type MatchVerdict =
  | { outcome: 'matched_without_reference'; payoutId: string; candidates: string[] }
  | { outcome: 'ambiguous_match'; candidates: string[]; explanation: string }
  | { outcome: 'unmatched'; candidates: string[]; explanation: string };

/**
 * `sameAmount`: the sent payouts of exactly the line's amount that no earlier line took. The
 * candidates returned for an unmatched line are these (so finance can pick one); for an ambiguous
 * one, those that fit every rule.
 */
export function matchWithoutReference(line: LineToMatch, sameAmount: readonly MatchCandidate[], transitBusinessDays: number): MatchVerdict {
  const ids = sameAmount.map((c) => c.id);
  if (!line.namesPayee) {
    return { outcome: 'unmatched', candidates: ids, explanation: 'the line carries no payout reference and names no payee account or name' };
  }
  const fits = sameAmount.filter((c) => {
    if (!c.payeeFits) return false;
    if (line.bookingDate === null) return true;
    const window = bookingWindow(c.sentOn, c.requestedExecutionOn, transitBusinessDays);
    return line.bookingDate >= window.from && line.bookingDate <= window.to;
  });
  if (fits.length === 1) {
    const only = fits[0] as MatchCandidate;
    return { outcome: 'matched_without_reference', payoutId: only.id, candidates: [only.id] };
  }
  if (fits.length > 1) {
    return {
      outcome: 'ambiguous_match',
      candidates: fits.map((c) => c.id),
      explanation: `the line carries no payout reference and ${fits.length} sent payouts fit its amount, payee and date: pick one by hand`,
    };
  }
  return {
    outcome: 'unmatched',
    candidates: ids,
    explanation: 'the line carries no payout reference and no sent payout fits its amount, payee and date',
  };
}
