// The ledger side of the bank check, read from the database: the programme, its payouts as a
// compact index, its funding receipts, its bank balance at a date, and (for lines without a
// reference) which payouts went to which account hash. Reads only; never a write.
//
// Payouts are read in pages of 50,000, each batch in a page one row holding its payouts as one
// string built by the database (string_agg), so a million payouts cost a few dozen round trips and
// no per-row objects.
// References cannot hold a comma (payout_reference_form: A–Z, 0–9, "-"). Amounts come as fen
// integers computed by the database from NUMERIC(14,2) (exact: see units.ts); dates as day numbers.
import type { PrismaClient } from '#prisma';
import { CheckCouldNotRun, type Progress } from '../check-types.ts';
import { ReferenceIndex } from './reference-index.ts';
import type { PayoutIndex, ReceiptRecord } from './types.ts';
import { NO_DAY, normaliseAccount } from './units.ts';

/** Anything with $queryRaw: the client or an open transaction. */
export type Reader = Pick<PrismaClient, '$queryRaw'>;

export interface ProgrammeInfo {
  id: string;
  code: string;
  currency: string;
  payoutAccountNumber: string | null;
  /** Business days a payout may stay in transit before it is overdue. */
  transitBusinessDays: number;
}

interface ProgrammeRow {
  id: string;
  code: string;
  currency: string;
  payout_account_number: string | null;
  transit_business_days: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function programmeById(db: Reader, id: string): Promise<ProgrammeInfo> {
  if (!UUID.test(id)) throw new CheckCouldNotRun(`programme id "${id}" is not a UUID`);
  const rows = await db.$queryRaw<ProgrammeRow[]>`
    SELECT "id"::text AS id, "code", "currency", "payout_account_number", "transit_business_days" FROM "programme" WHERE "id" = ${id}::uuid`;
  const row = rows[0];
  if (row === undefined) throw new CheckCouldNotRun(`no programme with id ${id}`);
  return toInfo(row);
}

/** The programmes whose payout account is `account` (compared without spaces and hyphens). */
export async function programmesWithAccount(db: Reader, account: string): Promise<ProgrammeInfo[]> {
  const rows = await db.$queryRaw<ProgrammeRow[]>`
    SELECT "id"::text AS id, "code", "currency", "payout_account_number", "transit_business_days" FROM "programme"
    WHERE regexp_replace(coalesce("payout_account_number", ''), '[\\s-]', '', 'g') = ${normaliseAccount(account)}
    ORDER BY "code"`;
  return rows.map(toInfo);
}

export async function programmeCount(db: Reader): Promise<{ count: number; only: ProgrammeInfo | undefined }> {
  const rows = await db.$queryRaw<ProgrammeRow[]>`
    SELECT "id"::text AS id, "code", "currency", "payout_account_number", "transit_business_days" FROM "programme" ORDER BY "code" LIMIT 2`;
  return { count: rows.length, only: rows.length === 1 ? toInfo(rows[0] as ProgrammeRow) : undefined };
}

function toInfo(row: ProgrammeRow): ProgrammeInfo {
  return { id: row.id, code: row.code, currency: row.currency, payoutAccountNumber: row.payout_account_number, transitBusinessDays: row.transit_business_days };
}

const PAGE = 50_000;

interface BatchRow {
  id: string;
  sent: number | null;
  requested: number;
  n: number;
}

interface PageRow {
  batch_id: string;
  n: number;
  last_sequence: number;
  rows: string;
}

interface Key {
  batch: string;
  sequence: number;
}

const FIRST_KEY: Key = { batch: '00000000-0000-0000-0000-000000000000', sequence: 0 };
const PAST_LAST_KEY: Key = { batch: 'ffffffff-ffff-ffff-ffff-ffffffffffff', sequence: 2_147_483_647 };

/**
 * Every payout of the programme, whatever its status, as a PayoutIndex, in (batch id, sequence)
 * order. Pages of PAGE payouts follow the (batch_id, sequence) unique index (keyset: no sort, no
 * offset); each page comes back as one row per batch, its payouts joined into one string
 * "reference,fen,status,settled day,outcome day;…" in sequence order. A large programme is read as
 * two halves at once (two connections, two database processes), and each half asks for its next
 * page before taking this one apart, so the database and this process work at the same time.
 */
export async function loadPayoutIndex(db: Reader, programmeId: string, progress?: Progress): Promise<PayoutIndex> {
  const batches = await db.$queryRaw<BatchRow[]>`
    SELECT "id"::text AS id, ("sent_on" - DATE '1970-01-01')::int AS sent,
           ("requested_execution_on" - DATE '1970-01-01')::int AS requested, "payout_count"::int AS n
    FROM "payout_batch" WHERE "programme_id" = ${programmeId}::uuid ORDER BY "id"`;
  const batchDays = new Map(batches.map((b) => [b.id, { sent: b.sent ?? NO_DAY, requested: b.requested }]));
  // Where the second half starts: the batch at which the batches' own counts pass half (only a guide).
  const expected = batches.reduce((sum, b) => sum + b.n, 0);
  let split: Key | undefined;
  if (expected >= 4 * PAGE) {
    let cumulative = 0;
    for (const [k, b] of batches.entries()) {
      if (k > 0 && cumulative >= expected / 2) {
        split = { batch: b.id, sequence: 0 };
        break;
      }
      cumulative += b.n;
    }
  }
  const [counts] = await db.$queryRaw<{ count: number; before: number }[]>`
    SELECT count(*)::int AS count,
           count(*) FILTER (WHERE ("batch_id", "sequence") < (${(split ?? PAST_LAST_KEY).batch}::uuid, ${(split ?? PAST_LAST_KEY).sequence}::int))::int AS before
    FROM "payout" WHERE "programme_id" = ${programmeId}::uuid`;
  const count = counts?.count ?? 0;
  const references = new ReferenceIndex(count);
  const index: PayoutIndex = {
    size: count,
    references,
    fen: new Float64Array(count),
    status: new Uint8Array(count),
    settledDay: new Int32Array(count),
    outcomeDay: new Int32Array(count),
    sentDay: new Int32Array(count),
    requestedDay: new Int32Array(count),
  };
  const page = (from: Key, upTo: Key) => db.$queryRaw<PageRow[]>`
    SELECT p."batch_id"::text AS batch_id, count(*)::int AS n, max(p."sequence")::int AS last_sequence,
           string_agg(p."reference" || ',' || ((p."amount" * 100)::bigint)::text || ',' ||
                      (CASE p."status" WHEN 'pending' THEN '0' WHEN 'sent' THEN '1' WHEN 'settled' THEN '2'
                                       WHEN 'failed' THEN '3' WHEN 'returned' THEN '4' ELSE '5' END) || ',' ||
                      coalesce((p."settled_on" - DATE '1970-01-01')::text, '') || ',' ||
                      coalesce((p."outcome_on" - DATE '1970-01-01')::text, ''), ';') AS rows
    FROM (
      SELECT "batch_id", "sequence", "reference", "amount", "status", "settled_on", "outcome_on" FROM "payout"
      WHERE ("batch_id", "sequence") > (${from.batch}::uuid, ${from.sequence}::int)
        AND ("batch_id", "sequence") < (${upTo.batch}::uuid, ${upTo.sequence}::int)
        AND "programme_id" = ${programmeId}::uuid
      ORDER BY "batch_id", "sequence" LIMIT ${PAGE}
    ) p
    GROUP BY p."batch_id" ORDER BY p."batch_id"`;
  /** Reads the payouts after `from` and before `upTo` into positions start … end − 1. */
  const half = async (from: Key, upTo: Key, start: number, end: number): Promise<void> => {
    let position = start;
    let next: Promise<PageRow[]> | undefined = end > start ? page(from, upTo) : undefined;
    while (next !== undefined) {
      const rows = await next;
      const n = rows.reduce((sum, r) => sum + r.n, 0);
      const last = rows.at(-1);
      next = n === PAGE && last !== undefined ? page({ batch: last.batch_id, sequence: last.last_sequence }, upTo) : undefined;
      // Keep a rejected prefetch from being reported as unhandled while this page is taken apart.
      next?.catch(() => undefined);
      for (const row of rows) {
        position = addRows(index, references, row.rows, batchDays.get(row.batch_id) ?? NO_BATCH_DAYS, position, end);
        progress?.tick(row.n);
      }
    }
    // Payouts added or removed while reading (a batch being created): the index would be inconsistent.
    if (position !== end) throw changedWhileRead();
  };
  progress?.start('bank: ledger payouts', count);
  try {
    const before = split === undefined ? count : (counts?.before ?? 0);
    await Promise.all([
      half(FIRST_KEY, split ?? PAST_LAST_KEY, 0, before),
      ...(split === undefined ? [] : [half({ batch: split.batch, sequence: -1 }, PAST_LAST_KEY, before, count)]),
    ]);
  } finally {
    progress?.stop();
  }
  return index;
}

function changedWhileRead(): CheckCouldNotRun {
  return new CheckCouldNotRun("the programme's payouts changed while they were read: run the check again");
}

/** "ref,fen,status,settled,outcome;…" → the index, in one pass over the character codes (no arrays, no number strings). */
const NO_BATCH_DAYS = { sent: NO_DAY, requested: NO_DAY };

function addRows(
  index: PayoutIndex,
  references: ReferenceIndex,
  text: string,
  batch: { sent: number; requested: number },
  position: number,
  limit: number,
): number {
  const end = text.length;
  let at = 0;
  let i = position;
  while (at < end) {
    if (i >= limit) throw changedWhileRead();
    const comma = text.indexOf(',', at);
    references.add(i, text, at, comma);
    let k = comma + 1;
    // fen: digits up to the comma (at most 14: exact, see units.ts)
    let fen = 0;
    for (let c = text.charCodeAt(k); c !== 44; c = text.charCodeAt(++k)) fen = fen * 10 + (c - 48);
    index.fen[i] = fen;
    index.status[i] = text.charCodeAt(k + 1) - 48;
    k += 3;
    // settled day, then outcome day: digits (an optional minus) or nothing
    for (let field = 0; field < 2; field++) {
      const stop = field === 0 ? 44 : 59;
      let c = text.charCodeAt(k);
      let value = NO_DAY;
      if (c === stop || Number.isNaN(c)) {
        // empty
      } else {
        const negative = c === 45;
        if (negative) c = text.charCodeAt(++k);
        value = 0;
        for (; c !== stop && !Number.isNaN(c); c = text.charCodeAt(++k)) value = value * 10 + (c - 48);
        if (negative) value = -value;
      }
      if (field === 0) index.settledDay[i] = value;
      else index.outcomeDay[i] = value;
      k++;
    }
    index.sentDay[i] = batch.sent;
    index.requestedDay[i] = batch.requested;
    i++;
    at = k;
  }
  return i;
}

interface ReceiptRow {
  id: string;
  bank_reference: string;
  fen: string;
  day: number;
  reversed: boolean;
}

/** The programme's funding receipts, reversed ones flagged (a correction whose reverses_id is the receipt's transaction). */
export async function loadReceipts(db: Reader, programmeId: string): Promise<ReceiptRecord[]> {
  const rows = await db.$queryRaw<ReceiptRow[]>`
    SELECT r."id"::text AS id, r."bank_reference", ((r."amount" * 100)::bigint)::text AS fen,
           (r."received_on" - DATE '1970-01-01')::int AS day,
           EXISTS (SELECT 1 FROM "ledger_transaction" c WHERE c."reverses_id" = r."ledger_transaction_id") AS reversed
    FROM "funding_receipt" r WHERE r."programme_id" = ${programmeId}::uuid`;
  return rows
    .map((r) => ({ id: r.id, bankReference: r.bank_reference, fen: Number(r.fen), day: r.day, reversed: r.reversed }))
    .sort((a, b) => a.day - b.day || (a.bankReference < b.bankReference ? -1 : a.bankReference > b.bankReference ? 1 : 0));
}

/**
 * The ledger's `bank` balance of the programme at the end of `date`: the sum of its bank account's
 * entries (debits in, credits out) of the transactions whose event date is on or before it. A decimal string.
 */
export async function bankBalanceAt(db: Reader, programmeId: string, date: string): Promise<string> {
  const [row] = await db.$queryRaw<{ balance: string }[]>`
    SELECT coalesce(sum(CASE WHEN e."direction" = 'debit' THEN e."amount" ELSE -e."amount" END), 0)::text AS balance
    FROM "ledger_entry" e
    JOIN "ledger_account" a ON a."id" = e."account_id"
    JOIN "ledger_transaction" t ON t."id" = e."transaction_id"
    WHERE a."programme_id" = ${programmeId}::uuid AND a."kind" = 'bank' AND t."event_date" <= ${date}::date`;
  return row?.balance ?? '0';
}

/** Payout references of the programme by payee account hash, for the hashes asked (in chunks). */
export async function payoutsByAccountHash(db: Reader, programmeId: string, hashes: readonly string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  for (let k = 0; k < hashes.length; k += 5_000) {
    const chunk = hashes.slice(k, k + 5_000);
    const rows = await db.$queryRaw<{ hash: string; reference: string }[]>`
      SELECT "payee_account_hash" AS hash, "reference" FROM "payout"
      WHERE "programme_id" = ${programmeId}::uuid AND "payee_account_hash" = ANY(${chunk}::text[])`;
    for (const r of rows) {
      const list = out.get(r.hash);
      if (list === undefined) out.set(r.hash, [r.reference]);
      else list.push(r.reference);
    }
  }
  return out;
}
