// Posts many two-line transactions (one debit, one credit) in ONE statement: a payout batch of
// 10,000 sends, settles or fails 10,000 payouts, each its own ledger transaction with its own hash,
// without 10,000 round trips. Each call of ledger_post inside the statement locks, reads the head,
// checks balances and appends exactly as a single post does; the statement, and so every
// transaction of it, commits or rolls back with the caller's database transaction.
import { randomUUID } from 'node:crypto';
import { type AccountRef, accountCode } from '../domain/ledger-accounts.ts';
import type { LedgerTransactionKind } from '../domain/ledger-postings.ts';
import { type Money, formatMoney } from '../domain/money.ts';
import type { Tx } from '../services/context.ts';
import { type DescribedPost, type PostRow, type PostedTransaction, describePost, finishPost, rethrowPostError } from './post-call.ts';

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
      FROM unnest(${missing.map(() => randomUUID())}::uuid[], ${missing.map((m) => m.programmeId)}::uuid[],
                  ${missing.map((m) => accountCode(m.ref))}::text[],
                  ${missing.map((m) => (m.ref.kind === 'payable' ? m.ref.grantId : null))}::uuid[]) AS m(id, programme_id, code, grant_id)
      ON CONFLICT ("programme_id", "code") DO NOTHING`;
    rows = await read();
  }
  return new Map(rows.map((r) => [`${r.programme_id}|${r.code}`, r.id]));
}

type Row = PostRow & { n: number };

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
  const rows = await tx
    .$queryRaw<Row[]>`
      SELECT i.n::int AS n, post.seq, post.prev_hash, post.hash, post.line, post.balance_after::text AS balance_after
      FROM unnest(
        ${col((_, d) => d.id)}::uuid[], ${col((p) => p.programmeId)}::uuid[], ${col((p) => p.kind)}::text[],
        ${col((p) => p.eventDate)}::date[], ${col((_, d) => d.content.recordedAt)}::timestamptz[],
        ${col((p) => p.description)}::text[], ${col((p) => p.sourceType)}::text[], ${col((p) => p.sourceId)}::uuid[],
        ${col((p) => p.actorId)}::uuid[], ${col((p) => accountOf(p, p.debit))}::uuid[], ${col((p) => accountOf(p, p.credit))}::uuid[],
        ${col((p) => formatMoney(p.amount))}::numeric[],
        ${col((_, d) => d.segments[0])}::text[], ${col((_, d) => d.segments[1])}::text[], ${col((_, d) => d.segments[2])}::text[]
      ) WITH ORDINALITY AS i(id, programme_id, kind, event_date, recorded_at, description, source_type, source_id, actor_id,
                             debit_id, credit_id, amount, seg1, seg2, seg3, n)
      CROSS JOIN LATERAL ledger_post(
        i.id, i.programme_id, i.kind::"LedgerTransactionKind", i.event_date, i.recorded_at, i.description, i.source_type,
        i.source_id, i.actor_id, NULL, ARRAY[i.seg1, i.seg2, i.seg3], ARRAY[1, 2], ARRAY[i.debit_id, i.credit_id],
        ARRAY['debit', 'credit']::"EntryDirection"[], ARRAY[i.amount, i.amount]) AS post
      ORDER BY i.n, post.line`
    .catch(rethrowPostError);
  const byPost: PostRow[][] = posts.map(() => []);
  for (const row of rows) byPost[Number(row.n) - 1]?.push(row);
  const posted: PostedTransaction[] = [];
  for (const [i, d] of described.entries()) posted.push(await finishPost(d, byPost[i] as PostRow[]));
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
