// Posts many two-line transactions (one debit, one credit) in ONE call of the database function
// ledger_post_pairs (migration *_ledger_post_pairs): a payout batch of 10,000 sends, settles or
// fails 10,000 payouts, each its own ledger transaction with its own hash, without 10,000 round
// trips. The function takes the append lock and reads the head once, checks balances once per
// account, then appends each transaction under the same row triggers as any other append; it
// commits or rolls back with the caller's database transaction.
import { type AccountRef, accountCode } from '../domain/ledger-accounts.ts';
import type { LedgerTransactionKind } from '../domain/ledger-postings.ts';
import { type Money, formatMoney } from '../domain/money.ts';
import type { Tx } from '../db/transaction.ts';
import { type DescribedPost, type PostedTransaction, describePost, finishPost, rethrowPostError } from './post-call.ts';
import { sealPosted } from './seal.ts';
import { now, reportOperation, secondsSince } from '../telemetry/operations.ts';

export interface PairPost {
  programmeId: string;
  kind: LedgerTransactionKind;
  eventDate: string;
  description: string;
  sourceType: string;
  sourceId: string;
  actorId: string;
  debit: AccountRef;
  credit: AccountRef;
  amount: Money;
  /** Fixed id, for records written before the post that point at it. */
  id?: string;
}

/** Statements stay a manageable size: arrays of this many elements per parameter. */
const CHUNK = 5_000;

/** Account ids by `programmeId|code`; opens missing payable:<grant> accounts (others must exist). */
async function resolveAccountIds(tx: Tx, posts: PairPost[]): Promise<Map<string, string>> {
  const wanted = new Map<string, { programmeId: string; ref: AccountRef }>();
  for (const p of posts) {
    for (const ref of [p.debit, p.credit]) wanted.set(`${p.programmeId}|${accountCode(ref)}`, { programmeId: p.programmeId, ref });
  }
  const programmes = [...wanted.values()].map((w) => w.programmeId);
  const codes = [...wanted.values()].map((w) => accountCode(w.ref));
  const read = () => tx.$queryRaw<{ programme_id: string; code: string; id: string }[]>`
    SELECT a."programme_id"::text AS programme_id, a."code", a."id"::text AS id
    FROM unnest(${programmes}::uuid[], ${codes}::text[]) AS w(programme_id, code)
    JOIN "ledger_account" a ON a."programme_id" = w.programme_id AND a."code" = w.code`;
  let rows = await read();
  if (rows.length < wanted.size) {
    const found = new Set(rows.map((r) => `${r.programme_id}|${r.code}`));
    const missing = [...wanted.entries()].filter(([key]) => !found.has(key)).map(([, w]) => w);
    const notPayable = missing.find((m) => m.ref.kind !== 'payable');
    if (notPayable) throw new Error(`programme ${notPayable.programmeId} has no ${accountCode(notPayable.ref)} account`);
    // Concurrent first postings to the same grant: the loser's insert does nothing, the re-read finds the row.
    await tx.$executeRaw`
      INSERT INTO "ledger_account" ("id", "programme_id", "kind", "code", "grant_id")
      SELECT id, programme_id, 'payable', code, grant_id
      FROM unnest(${missing.map(() => crypto.randomUUID())}::uuid[], ${missing.map((m) => m.programmeId)}::uuid[],
                  ${missing.map((m) => accountCode(m.ref))}::text[],
                  ${missing.map((m) => (m.ref.kind === 'payable' ? m.ref.grantId : null))}::uuid[]) AS m(id, programme_id, code, grant_id)
      ON CONFLICT ("programme_id", "code") DO NOTHING`;
    rows = await read();
  }
  return new Map(rows.map((r) => [`${r.programme_id}|${r.code}`, r.id]));
}

interface PairRow {
  n: number;
  seq: bigint;
  prev_hash: string;
  hash: string;
  debit_balance: string;
  credit_balance: string;
}

async function postChunk(tx: Tx, posts: PairPost[], accountIds: Map<string, string>): Promise<PostedTransaction[]> {
  const described: DescribedPost[] = posts.map((p) =>
    describePost({
      id: p.id,
      programmeId: p.programmeId,
      kind: p.kind,
      eventDate: p.eventDate,
      description: p.description,
      sourceType: p.sourceType,
      sourceId: p.sourceId,
      actorId: p.actorId,
      postings: [
        { account: p.debit, direction: 'debit', amount: p.amount },
        { account: p.credit, direction: 'credit', amount: p.amount },
      ],
    }),
  );
  const accountOf = (p: PairPost, ref: AccountRef) => accountIds.get(`${p.programmeId}|${accountCode(ref)}`) as string;
  const col = <T>(pick: (p: PairPost, d: DescribedPost) => T) => posts.map((p, i) => pick(p, described[i] as DescribedPost));
  // Arrays of enums travel as text[] (see post-call.ts: the embedded driver learns array types on connect).
  // Timed like a single post: the function waits for the append lock before it appends.
  const started = now();
  const rows = await tx.$queryRaw<PairRow[]>`
      SELECT r.n, r.seq, r.prev_hash, r.hash, r.debit_balance::text AS debit_balance, r.credit_balance::text AS credit_balance
      FROM ledger_post_pairs(
        ${col((_, d) => d.id)}::uuid[], ${col((p) => p.programmeId)}::uuid[], ${col((p) => p.kind)}::text[]::"LedgerTransactionKind"[],
        ${col((p) => p.eventDate)}::date[], ${col((_, d) => d.content.recordedAt)}::timestamptz[],
        ${col((p) => p.description)}::text[], ${col((p) => p.sourceType)}::text[], ${col((p) => p.sourceId)}::uuid[],
        ${col((p) => p.actorId)}::uuid[],
        ${col((_, d) => d.segments[0])}::text[], ${col((_, d) => d.segments[1])}::text[], ${col((_, d) => d.segments[2])}::text[],
        ${col((p) => accountOf(p, p.debit))}::uuid[], ${col((p) => accountOf(p, p.credit))}::uuid[],
        ${col((p) => formatMoney(p.amount))}::numeric[]) AS r
      ORDER BY r.n`.catch(rethrowPostError);
  reportOperation({ kind: 'ledger_append', path: 'pairs', transactions: rows.length, seconds: secondsSince(started) });
  if (rows.length !== posts.length) throw new Error(`ledger_post_pairs returned ${rows.length} rows for ${posts.length} transactions`);
  // The database hashed each transaction; the service checks every hash (concurrently: they are independent).
  const posted = await Promise.all(
    described.map((d, i) => {
      const r = rows[i] as PairRow;
      const common = { seq: r.seq, prev_hash: r.prev_hash, hash: r.hash };
      return finishPost(d, [
        { ...common, line: 1, balance_after: r.debit_balance },
        { ...common, line: 2, balance_after: r.credit_balance },
      ]);
    }),
  );
  // Sealed only once every hash agreed: one INSERT for the chunk.
  await sealPosted(tx, posted);
  return posted;
}

/** Posts every transaction, in order; throws (and the caller's transaction rolls back) if any is refused. */
export async function postPairs(tx: Tx, posts: PairPost[]): Promise<PostedTransaction[]> {
  if (posts.length === 0) return [];
  const accountIds = await resolveAccountIds(tx, posts);
  const posted: PostedTransaction[] = [];
  for (let start = 0; start < posts.length; start += CHUNK) {
    posted.push(...(await postChunk(tx, posts.slice(start, start + CHUNK), accountIds)));
  }
  return posted;
}
