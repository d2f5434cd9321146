// Writes funding receipts: the receipt, its audit row and its ledger posting (Dr bank / Cr fund)
// for any number of receipts in ONE statement. Concurrent requests are grouped (group-commit.ts);
// a request inside an idempotency claim is written alone in the claim's transaction.
//
// Per receipt, the statement is all or nothing: the receipt row is inserted only for a programme
// in the actor's scope whose funder is the remitter and whose bank reference is new, and the
// audit row and the posting are written only for an inserted receipt. A receipt that writes
// nothing is explained afterwards (not found, wrong remitter, duplicate).
import type { PrismaClient } from '#prisma';
import { Prisma } from '#prisma';
import { postings } from '../domain/ledger-postings.ts';
import { type Money, formatMoney } from '../domain/money.ts';
import { type DescribedPost, type PostRow, type PostedTransaction, describePost, finishPost, rethrowPostError } from '../ledger/post-call.ts';
import { sealPosted } from '../ledger/seal.ts';
import { ledgerSealKey } from '../ledger/seal-key.ts';
import { now, reportOperation, secondsSince } from '../telemetry/operations.ts';
import type { Actor, Tx } from './context.ts';
import { GroupCommit, type Outcome } from './group-commit.ts';
import { programmeScopeSqlPerRow } from './scope.ts';
import { ACADEMIC_YEAR_START_MONTH } from '../domain/academic-year.ts';

export interface ReceiptWrite {
  id: string;
  programmeId: string;
  remitterId: string;
  amount: Money;
  receivedOn: string;
  bankReference: string;
  note: string | null;
  createdAt: Date;
  actor: Actor;
  requestId: string | null;
}

export interface WrittenReceipt {
  transaction: PostedTransaction;
  funderName: string;
}

/** Why a receipt wrote nothing; the caller turns it into the right error. */
export class ReceiptNotWritten extends Error {
  constructor(readonly write: ReceiptWrite) {
    super('funding receipt not written');
  }
}

function describe(write: ReceiptWrite): DescribedPost {
  return describePost({
    programmeId: write.programmeId,
    kind: 'funding_received',
    eventDate: write.receivedOn,
    description: `Funding received, bank reference ${write.bankReference}`,
    sourceType: 'funding_receipt',
    sourceId: write.id,
    actorId: write.actor.userId,
    postings: postings.fundingReceived(write.amount),
  });
}

type Row = PostRow & { receipt_id: string; funder_name: string };

export async function writeReceipts(db: Tx | PrismaClient, writes: ReceiptWrite[]): Promise<Outcome<WrittenReceipt>[]> {
  const posts = writes.map(describe);
  const column = <T>(pick: (w: ReceiptWrite, p: DescribedPost) => T) => writes.map((w, i) => pick(w, posts[i] as DescribedPost));
  // Timed: ledger_post waits for the append lock before the first receipt is appended.
  const started = now();
  const rows = await db.$queryRaw<Row[]>`
      WITH input AS (
        SELECT * FROM unnest(
          ${column((w) => w.id)}::uuid[], ${column((w) => w.programmeId)}::uuid[], ${column((w) => w.remitterId)}::uuid[],
          ${column((w) => formatMoney(w.amount))}::numeric[], ${column((w) => w.receivedOn)}::date[],
          ${column((w) => w.bankReference)}::text[], ${column((w) => w.note)}::text[], ${column((_, p) => p.id)}::uuid[],
          ${column((w) => w.actor.userId)}::uuid[], ${column((w) => w.actor.organisationId)}::uuid[], ${column((w) => w.actor.role)}::text[],
          ${column((w) => w.requestId)}::text[], ${column((w) => w.createdAt.toISOString())}::timestamptz[],
          ${column((w) => auditJson(w))}::text[], ${column((_, p) => p.content.description)}::text[],
          ${column((_, p) => p.content.recordedAt)}::timestamptz[],
          ${column((_, p) => p.segments[0])}::text[], ${column((_, p) => p.segments[1])}::text[], ${column((_, p) => p.segments[2])}::text[]
        ) WITH ORDINALITY AS i(id, programme_id, remitter_id, amount, received_on, bank_reference, note, tx_id,
                               actor_id, org_id, role, request_id, created_at, audit, description, recorded_at, seg1, seg2, seg3, n)
      ), programme AS (
        SELECT i.n, f."name" AS funder_name, bank."id" AS bank_id, fund."id" AS fund_id
        FROM input i
        JOIN "programme" p ON p."id" = i.programme_id AND p."funder_id" = i.remitter_id
             AND ${programmeScopeSqlPerRow(Prisma.sql`i.role`, Prisma.sql`i.org_id`)}
             -- receiptWindow (src/domain/receipt-window.ts): from the start of the academic year
             -- before the first to the end of the last.
             AND i.received_on >= make_date(p."first_academic_year" - 1, ${ACADEMIC_YEAR_START_MONTH}::int, 1)
             AND i.received_on < make_date(p."last_academic_year" + 1, ${ACADEMIC_YEAR_START_MONTH}::int, 1)
        JOIN "organisation" f ON f."id" = p."funder_id"
        JOIN "ledger_account" bank ON bank."programme_id" = p."id" AND bank."code" = 'bank'
        JOIN "ledger_account" fund ON fund."programme_id" = p."id" AND fund."code" = 'fund'
      ), receipt AS (
        INSERT INTO "funding_receipt" ("id", "programme_id", "remitter_id", "amount", "currency", "received_on", "bank_reference",
                                       "note", "ledger_transaction_id", "recorded_by_id", "created_at")
        SELECT i.id, i.programme_id, i.remitter_id, i.amount, 'CNY', i.received_on, i.bank_reference, i.note, i.tx_id, i.actor_id, i.created_at
        FROM input i JOIN programme pr ON pr.n = i.n
        ORDER BY i.n
        ON CONFLICT ("programme_id", "bank_reference") DO NOTHING
        RETURNING "id"
      ), audit AS (
        INSERT INTO "audit_event" ("actor_id", "organisation_id", "action", "record_type", "record_id", "after", "request_id")
        SELECT i.actor_id, i.org_id, 'funding_receipt.record', 'funding_receipt', r."id"::text, i.audit::jsonb, i.request_id
        FROM receipt r JOIN input i ON i.id = r."id"
      )
      SELECT i.id::text AS receipt_id, pr.funder_name, post.seq, post.prev_hash, post.hash, post.line, post.balance_after::text AS balance_after
      FROM receipt r
      JOIN input i ON i.id = r."id"
      JOIN programme pr ON pr.n = i.n
      CROSS JOIN LATERAL ledger_post(
        i.tx_id, i.programme_id, 'funding_received', i.received_on, i.recorded_at, i.description, 'funding_receipt', i.id,
        i.actor_id, NULL, ARRAY[i.seg1, i.seg2, i.seg3], ARRAY[1, 2], ARRAY[pr.bank_id, pr.fund_id],
        ARRAY['debit', 'credit']::"EntryDirection"[], ARRAY[i.amount, i.amount]) AS post
      ORDER BY i.n, post.line`.catch(rethrowPostError);
  reportOperation({ kind: 'ledger_append', path: 'receipts', transactions: new Set(rows.map((r) => r.receipt_id)).size, seconds: secondsSince(started) });

  const byReceipt = new Map<string, Row[]>();
  for (const row of rows) {
    const list = byReceipt.get(row.receipt_id) ?? [];
    list.push(row);
    byReceipt.set(row.receipt_id, list);
  }
  // The receipts' hashes are checked side by side: one after the other, each Web Crypto digest
  // would be its own wait for a worker thread between this statement and the next batch's.
  const checking = Promise.all(
    writes.map(async (write, i): Promise<Outcome<WrittenReceipt>> => {
      const mine = byReceipt.get(write.id);
      if (!mine) return { ok: false, error: new ReceiptNotWritten(write) };
      try {
        const transaction = await finishPost(posts[i] as DescribedPost, mine);
        return { ok: true, value: { transaction, funderName: (mine[0] as Row).funder_name } };
      } catch (error) {
        return { ok: false, error };
      }
    }),
  );
  const key = ledgerSealKey();
  if (!key) return checking;
  // Sealed, the append lock is held until commit: the seals go out while the hashes are checked,
  // and a hash the service disagrees with fails the whole statement (its transaction rolls back,
  // and the group commit retries each receipt alone), so nothing it disagrees with is sealed.
  const sealable = writes.flatMap((w, i) => {
    const first = byReceipt.get(w.id)?.[0];
    return first ? [{ id: (posts[i] as DescribedPost).id, seq: BigInt(first.seq), hash: first.hash }] : [];
  });
  const [outcomes] = await Promise.all([checking, sealPosted(db, sealable, key)]);
  const failed = outcomes.find((o) => !o.ok && !(o.error instanceof ReceiptNotWritten));
  if (failed && !failed.ok) throw failed.error;
  return outcomes;
}

/**
 * Runs a write outside any caller's transaction. Unsealed, the write is one statement that commits
 * on its own; sealed, the seals must commit with it, so statement and seals share a transaction.
 */
function alone<T>(db: PrismaClient, work: (db: Tx | PrismaClient) => Promise<T>): Promise<T> {
  return ledgerSealKey() ? db.$transaction((tx) => work(tx)) : work(db);
}

/** What the audit row says: identifiers and amounts, no personal data. */
function auditJson(w: ReceiptWrite): string {
  return JSON.stringify({
    programmeId: w.programmeId,
    remitterId: w.remitterId,
    amount: formatMoney(w.amount),
    receivedOn: w.receivedOn,
    bankReference: w.bankReference,
  });
}

async function writeOne(db: Tx | PrismaClient, write: ReceiptWrite): Promise<WrittenReceipt> {
  const [outcome] = await writeReceipts(db, [write]);
  if (!outcome) throw new Error('no outcome');
  if (!outcome.ok) throw outcome.error;
  return outcome.value;
}

const writers = new WeakMap<PrismaClient, GroupCommit<ReceiptWrite, WrittenReceipt>>();

/** Writes one receipt: alone inside `tx` when given, else grouped with concurrent requests. */
export function writeReceipt(db: PrismaClient, tx: Tx | undefined, write: ReceiptWrite): Promise<WrittenReceipt> {
  if (tx) return writeOne(tx, write);
  let writer = writers.get(db);
  if (!writer) {
    writer = new GroupCommit(
      (batch) => alone(db, (d) => writeReceipts(d, batch)),
      (one) => alone(db, (d) => writeOne(d, one)),
    );
    writers.set(db, writer);
  }
  return writer.submit(write);
}
