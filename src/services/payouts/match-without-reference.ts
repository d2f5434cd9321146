// The lines of a bank answer that carry no usable payout reference, matched to sent payouts by the
// rules of src/domain/bank-line-matching.ts. The payee is compared without ever holding an account
// in clear beside the payouts: the line's counterparty account is hashed with the vault's lookup
// key and compared with payout.payee_account_hash; only when the line names no account is the
// payout's sealed name opened (once per payout) and compared with the line's name. Nothing here
// logs, stores or returns an account or a name: candidates carry the masked account only.
//
// A debit that no sent payout fits may be a settlement already recorded from the other kind of file
// (the 代发 result settled the payout; the month's statement, without EndToEndIds, shows the same
// booking): when exactly one settled payout fits its amount and payee, was settled within
// BOOKING_IDENTITY_WINDOW_DAYS of the line's booking date from the other kind of file, and has not
// yet been seen on this kind, the line is already_recorded (src/domain/payouts.ts), not unmatched.
import { formatMoney } from '../../domain/money.ts';
import { type MatchCandidate, matchWithoutReference, normalisePayeeName } from '../../domain/bank-line-matching.ts';
import { daysBetween } from '../../domain/bank-line-matching.ts';
import { type AnswerSource, BOOKING_IDENTITY_WINDOW_DAYS, type LineOutcome, type PayoutState } from '../../domain/payouts.ts';
import type { BankResultLine } from '../../bank/results/index.ts';
import type { PiiVault } from '../../privacy/pii-vault.ts';
import type { Tx } from '../context.ts';
import { normaliseAccountNumber } from '../student-pii.ts';
import type { PayoutRow } from './apply-bank-lines.ts';
import { seenReferences } from './seen-references.ts';

/** A payout a line may be about, as stored with the line and shown to finance. */
export interface CandidatePayout {
  payoutId: string;
  reference: string;
  amount: string;
  accountMasked: string;
  batchId: string;
  batchCode: string;
}

/** Candidates kept per line: enough to pick from; a longer list says the line needs a reference. */
export const MAX_CANDIDATES = 20;

interface SentPayout extends PayoutRow {
  batch_id: string;
  batch_code: string;
  sent_on: string | null;
  requested_execution_on: string;
  payee_account_hash: string;
  payee_name_sealed: string;
  payee_account_masked: string;
}

export interface MatchedLine {
  outcome: Extract<LineOutcome, 'matched_without_reference' | 'ambiguous_match' | 'unmatched' | 'already_recorded'>;
  payoutId: string | null;
  /** How the line applies when matched: settled (a debit) or failed (a refusal or a return before settling). */
  appliesAs: 'settled' | 'failed' | null;
  explanation: string | null;
  candidates: CandidatePayout[];
}

/** The sent payouts of the programme of these amounts, locked as the import applies to them. */
function lockSentPayouts(tx: Tx, programmeId: string, amounts: string[]) {
  return tx.$queryRaw<SentPayout[]>`
    SELECT p."id"::text AS id, p."reference", p."status"::text AS status, p."amount"::text AS amount, p."grant_id"::text AS grant_id,
           p."instalment_id"::text AS instalment_id, p."bank_reference", p."outcome_bank_reference", p."settled_transaction_id"::text AS settled_transaction_id,
           g."status"::text AS grant_status, b."id"::text AS batch_id, b."code" AS batch_code, b."sent_on"::text AS sent_on,
           b."requested_execution_on"::text AS requested_execution_on, p."payee_account_hash", p."payee_name_sealed", p."payee_account_masked"
    FROM "payout" p JOIN "grant" g ON g."id" = p."grant_id" JOIN "payout_batch" b ON b."id" = p."batch_id"
    WHERE p."programme_id" = ${programmeId}::uuid AND p."status" = 'sent' AND p."amount" = ANY(${amounts}::numeric[])
    ORDER BY b."code", p."sequence"
    FOR UPDATE OF p`;
}

interface SettledPayout extends SentPayout {
  settled_on: string;
}

/** Settled payouts of these amounts settled within the identity window of these booking dates. */
function settledPayouts(tx: Tx, programmeId: string, amounts: string[], from: string, to: string) {
  return tx.$queryRaw<SettledPayout[]>`
    SELECT p."id"::text AS id, p."reference", p."status"::text AS status, p."amount"::text AS amount, p."grant_id"::text AS grant_id,
           p."instalment_id"::text AS instalment_id, p."bank_reference", p."outcome_bank_reference", p."settled_transaction_id"::text AS settled_transaction_id,
           g."status"::text AS grant_status, b."id"::text AS batch_id, b."code" AS batch_code, b."sent_on"::text AS sent_on,
           b."requested_execution_on"::text AS requested_execution_on, p."payee_account_hash", p."payee_name_sealed", p."payee_account_masked",
           p."settled_on"::text AS settled_on
    FROM "payout" p JOIN "grant" g ON g."id" = p."grant_id" JOIN "payout_batch" b ON b."id" = p."batch_id"
    WHERE p."programme_id" = ${programmeId}::uuid AND p."status" = 'settled' AND p."amount" = ANY(${amounts}::numeric[])
      AND p."settled_on" BETWEEN (${from}::date - ${BOOKING_IDENTITY_WINDOW_DAYS}::int) AND (${to}::date + ${BOOKING_IDENTITY_WINDOW_DAYS}::int)
    ORDER BY b."code", p."sequence"`;
}

/**
 * Judges `lines` (in file order) against the programme's sent payouts. `states` are the payouts the
 * referenced lines of the same file were judged against: one they settled or failed is no longer a
 * candidate. Matched payouts are added to `payouts`, for applyOutcomes.
 */
export async function matchLinesWithoutReference(
  tx: Tx,
  vault: PiiVault | undefined,
  programmeId: string,
  transitBusinessDays: number,
  source: AnswerSource,
  lines: readonly BankResultLine[],
  states: ReadonlyMap<string, PayoutState>,
  payouts: Map<string, PayoutRow>,
): Promise<MatchedLine[]> {
  if (lines.length === 0) return [];
  const amounts = [...new Set(lines.map((l) => formatMoney(l.amount)))];
  const sent = await lockSentPayouts(tx, programmeId, amounts);
  const taken = new Set<string>();
  for (const [id, state] of states) if (state.status !== 'sent') taken.add(id);
  const byAmount = new Map<string, SentPayout[]>();
  for (const p of sent) {
    const key = formatMoney(p.amount);
    byAmount.set(key, [...(byAmount.get(key) ?? []), p]);
  }
  const accountHashes = new Map<string, string>();
  const names = new Map<string, string>();
  const hashOf = async (account: string) => {
    const normal = normaliseAccountNumber(account);
    let hash = accountHashes.get(normal);
    if (hash === undefined && vault) {
      hash = await vault.lookupHash('bank_account', normal);
      accountHashes.set(normal, hash);
    }
    return hash;
  };
  const settled = await recordedSettlements(tx, programmeId, source, lines, states);
  const nameOf = async (p: SentPayout) => {
    let name = names.get(p.id);
    if (name === undefined && vault) {
      name = normalisePayeeName(await vault.open('name', p.payee_name_sealed));
      names.set(p.id, name);
    }
    return name;
  };

  const out: MatchedLine[] = [];
  for (const line of lines) {
    const sameAmount = (byAmount.get(formatMoney(line.amount)) ?? []).filter((p) => !taken.has(p.id));
    const account = line.counterpartyAccount ?? null;
    const name = line.counterpartyName ?? null;
    const lineHash = account && vault ? await hashOf(account) : undefined;
    const lineName = !account && name ? normalisePayeeName(name) : undefined;
    const candidates: (MatchCandidate & { row: SentPayout })[] = [];
    for (const p of sameAmount) {
      let payeeFits = false;
      if (lineHash !== undefined) payeeFits = p.payee_account_hash === lineHash;
      else if (lineName !== undefined && vault) payeeFits = (await nameOf(p)) === lineName;
      candidates.push({ id: p.id, sentOn: p.sent_on, requestedExecutionOn: p.requested_execution_on, payeeFits, row: p });
    }
    const namesPayee = vault !== undefined && (lineHash !== undefined || lineName !== undefined);
    const verdict = matchWithoutReference({ bookingDate: line.bookingDate, namesPayee }, candidates, transitBusinessDays);
    if (verdict.outcome === 'unmatched' && namesPayee && line.kind === 'debit') {
      const same: SettledPayout[] = [];
      for (const p of settled) {
        if (formatMoney(p.amount) !== formatMoney(line.amount)) continue;
        if (line.bookingDate && Math.abs(daysBetween(p.settled_on, line.bookingDate)) > BOOKING_IDENTITY_WINDOW_DAYS) continue;
        const fits = lineHash !== undefined ? p.payee_account_hash === lineHash : (await nameOf(p)) === lineName;
        if (fits) same.push(p);
      }
      if (same.length === 1) {
        const p = same[0] as SettledPayout;
        settled.splice(settled.indexOf(p), 1);
        out.push({ outcome: 'already_recorded', payoutId: p.id, appliesAs: null, explanation: null, candidates: [candidateOf(p)] });
        continue;
      }
    }
    const rows = new Map(candidates.map((c) => [c.id, c.row]));
    const listed = verdict.candidates.slice(0, MAX_CANDIDATES).map((id) => candidateOf(rows.get(id) as SentPayout));
    if (verdict.outcome === 'matched_without_reference') {
      taken.add(verdict.payoutId);
      payouts.set(verdict.payoutId, rows.get(verdict.payoutId) as SentPayout);
      out.push({
        outcome: verdict.outcome,
        payoutId: verdict.payoutId,
        appliesAs: line.kind === 'debit' ? 'settled' : 'failed',
        explanation: null,
        candidates: listed,
      });
    } else {
      out.push({ outcome: verdict.outcome, payoutId: null, appliesAs: null, explanation: verdict.explanation, candidates: listed });
    }
  }
  return out;
}

/**
 * The settled payouts a debit without a reference may repeat: settled from the other kind of file,
 * not yet seen on this kind, and not named by a referenced line of this file.
 */
async function recordedSettlements(
  tx: Tx,
  programmeId: string,
  source: AnswerSource,
  lines: readonly BankResultLine[],
  states: ReadonlyMap<string, PayoutState>,
): Promise<SettledPayout[]> {
  const debits = lines.filter((l) => l.kind === 'debit' && (l.counterpartyAccount || l.counterpartyName));
  if (debits.length === 0) return [];
  const dates = debits.flatMap((l) => (l.bookingDate ? [l.bookingDate] : [])).sort();
  const from = dates[0] ?? '1900-01-01';
  const to = dates[dates.length - 1] ?? '2999-12-31';
  const rows = (await settledPayouts(tx, programmeId, [...new Set(debits.map((l) => formatMoney(l.amount)))], from, to)).filter((r) => !states.has(r.id));
  const seen = await seenReferences(
    tx,
    rows.map((r) => r.id),
  );
  const other: AnswerSource = source === 'statement' ? 'notice' : 'statement';
  return rows.filter((r) => {
    const s = seen.get(r.id);
    return s !== undefined && s.debit[source].length === 0 && s.debit[other].length > 0;
  });
}

function candidateOf(p: SentPayout): CandidatePayout {
  return {
    payoutId: p.id,
    reference: p.reference,
    amount: formatMoney(p.amount),
    accountMasked: p.payee_account_masked,
    batchId: p.batch_id,
    batchCode: p.batch_code,
  };
}
