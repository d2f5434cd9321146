// Recomputes the whole ledger from transaction 1: gapless sequence, hash chain, balanced
// transactions, each entry's running balance, non-negative accounts, reversal links; then checks
// that every open commitment still rests on facts that hold (commitments.ts).
// Reads in pages so memory stays bounded by the number of accounts, not of transactions.
import { GENESIS_HASH, hashTransaction } from '../domain/chain-hash.ts';
import { type AccountKind, mustStayNonNegative } from '../domain/ledger-accounts.ts';
import { balanceEffect } from '../domain/ledger-postings.ts';
import { type Money, ZERO, formatMoney, money } from '../domain/money.ts';
import { toIsoDate } from '../domain/dates.ts';
import type { Tx } from '../db/transaction.ts';
import { type CommitmentProblem, verifyCommitments } from './commitments.ts';

export interface VerificationProblem {
  seq: string;
  problem: string;
}

export interface VerificationResult {
  ok: boolean;
  transactionsChecked: number;
  entriesChecked: number;
  head: { seq: string; hash: string };
  /** The first problem in sequence order; later ones may follow from it. */
  firstProblem: VerificationProblem | null;
  problems: VerificationProblem[];
  /**
   * Open commitments resting on facts that no longer hold (src/ledger/commitments.ts): an approved
   * grant on a revoked eligibility or an ended enrolment, an instalment scheduled while suspended.
   */
  commitmentProblems: CommitmentProblem[];
}

const PAGE = 2000;
const MAX_PROBLEMS = 100;

interface TxRow {
  id: string;
  seq: bigint;
  programme_id: string;
  kind: string;
  event_date: Date;
  recorded_at: Date;
  description: string;
  source_type: string;
  source_id: string;
  actor_id: string;
  reverses_id: string | null;
  prev_hash: string;
  hash: string;
}

interface EntryRow {
  transaction_id: string;
  seq: bigint;
  line: number;
  account_id: string;
  code: string;
  kind: AccountKind;
  account_programme_id: string;
  direction: 'debit' | 'credit';
  amount: string;
  currency: string;
  balance_after: string;
}

export async function verifyLedger(db: Tx, onProgress?: (checked: number) => void): Promise<VerificationResult> {
  const problems: VerificationProblem[] = [];
  const report = (seq: bigint | string, problem: string) => {
    if (problems.length < MAX_PROBLEMS) problems.push({ seq: String(seq), problem });
  };
  const balances = new Map<string, Money>();
  const reversed = new Set<string>();
  let expectedSeq = 1n;
  let prevHash = GENESIS_HASH;
  let transactions = 0;
  let entriesChecked = 0;
  let afterSeq = 0n;

  for (;;) {
    const txs = await db.$queryRaw<TxRow[]>`
      SELECT "id"::text AS id, "seq", "programme_id"::text AS programme_id, "kind"::text AS kind, "event_date",
             "recorded_at", "description", "source_type", "source_id"::text AS source_id, "actor_id"::text AS actor_id,
             "reverses_id"::text AS reverses_id, "prev_hash", "hash"
      FROM "ledger_transaction" WHERE "seq" > ${afterSeq} ORDER BY "seq" LIMIT ${PAGE}`;
    if (txs.length === 0) break;
    const last = txs[txs.length - 1] as TxRow;
    const entries = await db.$queryRaw<EntryRow[]>`
      SELECT e."transaction_id"::text AS transaction_id, e."seq", e."line", e."account_id"::text AS account_id, a."code",
             a."kind"::text AS kind, a."programme_id"::text AS account_programme_id, e."direction"::text AS direction,
             e."amount"::text AS amount, e."currency", e."balance_after"::text AS balance_after
      FROM "ledger_entry" e JOIN "ledger_account" a ON a."id" = e."account_id"
      WHERE e."seq" > ${afterSeq} AND e."seq" <= ${last.seq} ORDER BY e."seq", e."line"`;
    const byTx = new Map<string, EntryRow[]>();
    for (const e of entries) {
      const list = byTx.get(e.transaction_id) ?? [];
      list.push(e);
      byTx.set(e.transaction_id, list);
    }

    for (const t of txs) {
      transactions++;
      if (t.seq !== expectedSeq) {
        report(expectedSeq, t.seq > expectedSeq ? `sequence gap: transaction ${expectedSeq} is missing (next is ${t.seq})` : `sequence repeats ${t.seq}`);
        expectedSeq = t.seq;
      }
      if (t.prev_hash !== prevHash) report(t.seq, 'prev_hash does not match the hash of the transaction before it');
      const lines = byTx.get(t.id) ?? [];
      byTx.delete(t.id);
      const recomputed = await hashTransaction({
        seq: t.seq,
        id: t.id,
        programmeId: t.programme_id,
        kind: t.kind,
        eventDate: toIsoDate(t.event_date),
        recordedAt: t.recorded_at.toISOString(),
        description: t.description,
        sourceType: t.source_type,
        sourceId: t.source_id,
        actorId: t.actor_id,
        reversesId: t.reverses_id,
        entries: lines.map((e) => ({ line: e.line, account: e.code, direction: e.direction, amount: e.amount, currency: e.currency })),
        prevHash: t.prev_hash,
      });
      if (recomputed !== t.hash) report(t.seq, 'hash does not match the recomputed hash of its content');

      if (lines.length < 2) report(t.seq, `has ${lines.length} entries; at least two are needed`);
      let debits = ZERO;
      let credits = ZERO;
      for (const e of lines) {
        entriesChecked++;
        const amount = money(e.amount);
        if (!amount.greaterThan(0)) report(t.seq, `line ${e.line}: amount is not positive`);
        if (e.currency !== 'CNY') report(t.seq, `line ${e.line}: currency ${e.currency} is not CNY`);
        if (e.account_programme_id !== t.programme_id) report(t.seq, `line ${e.line}: account of another programme`);
        if (e.direction === 'debit') debits = debits.plus(amount);
        else credits = credits.plus(amount);
        const balance = (balances.get(e.account_id) ?? ZERO).plus(balanceEffect(e.kind, e.direction, amount));
        balances.set(e.account_id, balance);
        if (!balance.equals(money(e.balance_after))) {
          report(t.seq, `line ${e.line}: ${e.code} running balance is ${e.balance_after}, recomputed ${formatMoney(balance)}`);
        }
        if (mustStayNonNegative(e.kind) && balance.isNegative()) report(t.seq, `line ${e.line}: ${e.code} goes below zero`);
      }
      if (!debits.equals(credits)) report(t.seq, `unbalanced: debits ${formatMoney(debits)}, credits ${formatMoney(credits)}`);

      if (t.reverses_id) {
        // Corrections are rare: look their target up rather than keep every id in memory, so the
        // verifier's memory grows with the number of accounts, not of transactions.
        const [target] = await db.$queryRaw<{ kind: string; seq: bigint }[]>`
          SELECT "kind"::text AS kind, "seq" FROM "ledger_transaction" WHERE "id" = ${t.reverses_id}::uuid`;
        if (!target || target.seq >= t.seq) report(t.seq, 'reverses a transaction that does not precede it');
        else if (target.kind === 'correction') report(t.seq, 'reverses a correction');
        if (reversed.has(t.reverses_id)) report(t.seq, 'reverses a transaction that was already reversed');
        reversed.add(t.reverses_id);
        if (t.kind !== 'correction') report(t.seq, 'links a reversal but is not a correction');
      }
      prevHash = t.hash;
      expectedSeq = t.seq + 1n;
    }
    // Entries whose transaction is not in this page: their transaction is gone or renumbered.
    for (const [, orphans] of byTx) for (const e of orphans) report(e.seq, `entry line ${e.line} belongs to no transaction with that sequence`);
    afterSeq = last.seq;
    onProgress?.(transactions);
  }

  const commitmentProblems = await verifyCommitments(db);
  return {
    ok: problems.length === 0 && commitmentProblems.length === 0,
    transactionsChecked: transactions,
    entriesChecked,
    head: { seq: String(expectedSeq - 1n), hash: prevHash },
    firstProblem: problems[0] ?? null,
    problems,
    commitmentProblems,
  };
}
