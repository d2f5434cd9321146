// The append-only journal: posts one balanced transaction at the head of the hash chain.
// Runs inside the caller's database transaction, so the money movement commits or rolls back
// with the business record and its audit event.
//
// The critical section is short on purpose: take the append lock, read the head and the touched
// balances, insert the transaction and its entries. Everything else a use case writes should
// happen before `postTransaction`, because the lock is held until commit.
import { randomUUID } from 'node:crypto';
import { type AccountRef, accountCode } from '../domain/ledger-accounts.ts';
import { type LedgerTransactionKind, type Posting, checkPostings, findShortfall } from '../domain/ledger-postings.ts';
import { GENESIS_HASH, hashTransaction } from '../domain/chain-hash.ts';
import { CURRENCY, type Money, formatMoney, money } from '../domain/money.ts';
import { RuleViolationError } from '../domain/errors.ts';
import type { Tx } from '../services/context.ts';

export interface PostInput {
  programmeId: string;
  kind: LedgerTransactionKind;
  /** The day the event happened (value date), YYYY-MM-DD. */
  eventDate: string;
  description: string;
  /** The business record this transaction belongs to, e.g. `funding_receipt` + its id. */
  sourceType: string;
  sourceId: string;
  actorId: string;
  postings: Posting[];
  reversesId?: string | null;
  /** Fixed id, for callers that must reference the transaction before it is posted. */
  id?: string;
}

export interface PostedEntry {
  line: number;
  account: string;
  direction: 'debit' | 'credit';
  amount: Money;
  balanceAfter: Money;
}

export interface PostedTransaction {
  id: string;
  seq: bigint;
  hash: string;
  prevHash: string;
  recordedAt: Date;
  entries: PostedEntry[];
}

/** Raised when a posting would take `fund`, a `payable` or `in_transit` below zero. */
export class InsufficientBalanceError extends RuleViolationError {
  constructor(account: string, available: Money, needed: Money) {
    const kind = account.split(':')[0] ?? account;
    super('insufficient_balance', `The ${kind} account holds ${formatMoney(available)} CNY; ${formatMoney(needed)} CNY is needed.`, {
      account: kind,
      available: formatMoney(available),
      needed: formatMoney(needed),
    });
  }
}

interface AccountRow {
  id: string;
  code: string;
}

async function resolveAccounts(tx: Tx, programmeId: string, refs: AccountRef[]): Promise<Map<string, string>> {
  const codes = refs.map(accountCode);
  const found = await tx.$queryRaw<AccountRow[]>`
    SELECT "id"::text AS id, "code" FROM "ledger_account"
    WHERE "programme_id" = ${programmeId}::uuid AND "code" = ANY(${codes}::text[])`;
  const ids = new Map(found.map((r) => [r.code, r.id]));
  for (const ref of refs) {
    const code = accountCode(ref);
    if (ids.has(code)) continue;
    if (ref.kind !== 'payable') throw new Error(`programme ${programmeId} has no ${code} account`);
    // A grant's payable account is opened by its first posting.
    const id = randomUUID();
    await tx.$executeRaw`
      INSERT INTO "ledger_account" ("id", "programme_id", "kind", "code", "grant_id")
      VALUES (${id}::uuid, ${programmeId}::uuid, 'payable', ${code}, ${ref.grantId}::uuid)`;
    ids.set(code, id);
  }
  return ids;
}

interface HeadAndBalanceRow {
  account_id: string;
  balance: string | null;
  head_seq: bigint | null;
  head_hash: string | null;
}

export async function takeAppendLock(tx: Tx): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(ledger_append_lock_key())`;
}

export async function postTransaction(tx: Tx, input: PostInput): Promise<PostedTransaction> {
  const problem = checkPostings(input.postings);
  if (problem) throw new Error(`invalid postings: ${JSON.stringify(problem)}`);

  const accountIds = await resolveAccounts(
    tx,
    input.programmeId,
    input.postings.map((p) => p.account),
  );
  const orderedIds = input.postings.map((p) => accountIds.get(accountCode(p.account)) as string);

  // From here to commit, appends are serialised. Read committed: each statement below sees
  // everything committed before the lock was granted.
  await takeAppendLock(tx);
  const rows = await tx.$queryRaw<HeadAndBalanceRow[]>`
    SELECT a.id::text AS account_id, e.balance_after::text AS balance, h.seq AS head_seq, h.hash AS head_hash
    FROM unnest(${orderedIds}::uuid[]) AS a(id)
    LEFT JOIN LATERAL (
      SELECT "balance_after" FROM "ledger_entry" WHERE "account_id" = a.id ORDER BY "seq" DESC LIMIT 1
    ) e ON true
    LEFT JOIN LATERAL (
      SELECT "seq", "hash" FROM "ledger_transaction" ORDER BY "seq" DESC LIMIT 1
    ) h ON true`;

  const balances = new Map<string, Money>();
  for (const [i, posting] of input.postings.entries()) {
    const row = rows.find((r) => r.account_id === orderedIds[i]);
    if (row?.balance != null) balances.set(accountCode(posting.account), money(row.balance));
  }
  const shortfall = findShortfall(input.postings, balances);
  if (shortfall) throw new InsufficientBalanceError(shortfall.account, shortfall.balance, shortfall.needed);

  const head = rows[0];
  const seq = (head?.head_seq ?? 0n) + 1n;
  const prevHash = head?.head_hash ?? GENESIS_HASH;
  const id = input.id ?? randomUUID();
  const recordedAt = new Date();
  const reversesId = input.reversesId ?? null;
  const entries = input.postings.map((p, i) => ({
    line: i + 1,
    account: accountCode(p.account),
    direction: p.direction,
    amount: formatMoney(p.amount),
    currency: CURRENCY,
  }));
  const hash = await hashTransaction({
    seq,
    id,
    programmeId: input.programmeId,
    kind: input.kind,
    eventDate: input.eventDate,
    recordedAt: recordedAt.toISOString(),
    description: input.description,
    sourceType: input.sourceType,
    sourceId: input.sourceId,
    actorId: input.actorId,
    reversesId,
    entries,
    prevHash,
  });

  await tx.$executeRaw`
    INSERT INTO "ledger_transaction"
      ("id", "seq", "programme_id", "kind", "event_date", "recorded_at", "description",
       "source_type", "source_id", "actor_id", "reverses_id", "prev_hash", "hash")
    VALUES (${id}::uuid, ${seq}, ${input.programmeId}::uuid, ${input.kind}::"LedgerTransactionKind",
       ${input.eventDate}::date, ${recordedAt.toISOString()}::timestamptz, ${input.description},
       ${input.sourceType}, ${input.sourceId}::uuid, ${input.actorId}::uuid, ${reversesId}::uuid,
       ${prevHash}, ${hash})`;
  const inserted = await tx.$queryRaw<{ line: number; balance_after: string }[]>`
    INSERT INTO "ledger_entry" ("transaction_id", "line", "seq", "account_id", "direction", "amount", "currency", "balance_after")
    SELECT ${id}::uuid, l.line, ${seq}, l.account_id, l.direction::"EntryDirection", l.amount, ${CURRENCY}, 0
    FROM unnest(${entries.map((e) => e.line)}::int[], ${orderedIds}::uuid[],
                ${entries.map((e) => e.direction)}::text[], ${entries.map((e) => e.amount)}::numeric[])
         AS l(line, account_id, direction, amount)
    RETURNING "line", "balance_after"::text AS balance_after`;
  const balanceByLine = new Map(inserted.map((r) => [Number(r.line), money(r.balance_after)]));

  return {
    id,
    seq,
    hash,
    prevHash,
    recordedAt,
    entries: entries.map((e) => ({
      line: e.line,
      account: e.account,
      direction: e.direction,
      amount: money(e.amount),
      balanceAfter: balanceByLine.get(e.line) as Money,
    })),
  };
}
