// The append-only journal: posts one balanced transaction at the head of the hash chain.
// Runs inside the caller's database transaction, so the money movement commits or rolls back
// with the business record and its audit event.
//
// The append lock is taken inside ledger_post and held to commit: write everything else a use
// case needs before posting.
import { type AccountRef, accountCode } from '../domain/ledger-accounts.ts';
import type { Tx } from '../db/transaction.ts';
import { type PostInput, type PostRow, type PostedTransaction, preparePost, rethrowPostError } from './post-call.ts';
import { sealPosted } from './seal.ts';
import { now, reportOperation, secondsSince } from '../telemetry/operations.ts';

export { InsufficientBalanceError, type PostInput, type PostedEntry, type PostedTransaction } from './post-call.ts';

interface AccountRow {
  id: string;
  code: string;
}

async function resolveAccounts(tx: Tx, programmeId: string, refs: AccountRef[]): Promise<Map<string, string>> {
  const codes = refs.map(accountCode);
  const found = await tx.$queryRaw<AccountRow[]>`
    SELECT "id"::text AS id, "code" FROM "ledger_account"
    WHERE "programme_id" = ${programmeId}::uuid AND "code" = ANY(${codes}::text[])`;
  const ids = new Map(found.map((row) => [row.code, row.id]));
  for (const ref of refs) {
    const code = accountCode(ref);
    if (ids.has(code)) continue;
    if (ref.kind !== 'payable') throw new Error(`programme ${programmeId} has no ${code} account`);
    // A grant's payable account is opened by its first posting. Two first postings may race:
    // the loser's insert waits for the winner and does nothing, and the re-read finds the row.
    await tx.$executeRaw`
      INSERT INTO "ledger_account" ("id", "programme_id", "kind", "code", "grant_id")
      VALUES (${crypto.randomUUID()}::uuid, ${programmeId}::uuid, 'payable', ${code}, ${ref.grantId}::uuid)
      ON CONFLICT ("programme_id", "code") DO NOTHING`;
    const [row] = await tx.$queryRaw<AccountRow[]>`
      SELECT "id"::text AS id, "code" FROM "ledger_account" WHERE "programme_id" = ${programmeId}::uuid AND "code" = ${code}`;
    if (!row) throw new Error(`could not open account ${code}`);
    ids.set(code, row.id);
  }
  return ids;
}

/** Serialises appends until this database transaction ends (re-entrant). */
export async function takeAppendLock(tx: Tx): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(ledger_append_lock_key())`;
}

export async function postTransaction(tx: Tx, input: PostInput): Promise<PostedTransaction> {
  const accountIds = await resolveAccounts(
    tx,
    input.programmeId,
    input.postings.map((p) => p.account),
  );
  const prepared = preparePost(
    input,
    input.postings.map((p) => accountIds.get(accountCode(p.account)) as string),
  );
  // Timed: the statement waits for the append lock first, so under contention its time is that wait.
  const started = now();
  const rows = await tx.$queryRaw<PostRow[]>`SELECT seq, prev_hash, hash, line, balance_after::text AS balance_after FROM ${prepared.call}`.catch(
    rethrowPostError,
  );
  reportOperation({ kind: 'ledger_append', path: 'single', transactions: 1, seconds: secondsSince(started) });
  const posted = await prepared.finish(rows);
  await sealPosted(tx, [posted]);
  return posted;
}
