// The yardstick bench:ledger measures the service against, in the same run: the plainest correct
// hash-chained append, written in raw SQL from Node with `pg`, one database transaction per append,
// on its own throwaway database with no triggers and no business rows. Per append, as the
// journal does it: BEGIN; take the advisory append lock; read the chain's head; SHA-256 of the
// canonical transaction (the project's own canonical form and hash function); insert the
// transaction and its two entries; move one account's balance; COMMIT.
//
// What the service does on top (receipt row, audit row and its chain, scope and funder checks,
// entry triggers, balanced-at-commit checks) is what the ratio service / reference pays for.
import { createHash, randomUUID } from 'node:crypto';
import pg from 'pg';
import { GENESIS_HASH, canonicalTransaction } from '../../src/domain/chain-hash.ts';
import { createThrowawayDatabase } from './throwaway-database.ts';

export interface ReferenceResult {
  where: string;
  txPerSec: number;
  p50Ms: number;
  p95Ms: number;
  /** Lock granted → COMMIT answered, mean over the timed appends. */
  lockHoldMeanMs: number;
  /** Statements sent while holding the lock (head read … COMMIT). */
  roundTripsUnderLock: number;
  /** The chain read back at the end: gapless, each linked to the hash before, balances = Σ entries. */
  verified: boolean;
}

const LOCK_KEY = 7301142025;
const ACCOUNTS = 3;

const SCHEMA = `
  CREATE TABLE ref_account (id uuid PRIMARY KEY, code text NOT NULL, balance numeric(14,2) NOT NULL DEFAULT 0 CHECK (balance >= 0));
  CREATE TABLE ref_transaction (
    seq bigint PRIMARY KEY, id uuid NOT NULL UNIQUE, programme_id uuid NOT NULL, kind text NOT NULL, event_date date NOT NULL,
    recorded_at timestamptz(3) NOT NULL, description text NOT NULL, source_type text NOT NULL, source_id uuid NOT NULL,
    actor_id uuid NOT NULL, prev_hash char(64) NOT NULL, hash char(64) NOT NULL);
  CREATE TABLE ref_entry (
    seq bigint NOT NULL, line int NOT NULL, account_id uuid NOT NULL, direction text NOT NULL, amount numeric(14,2) NOT NULL,
    currency char(3) NOT NULL, PRIMARY KEY (seq, line));`;

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? Number.NaN;

export async function runReferenceAppends(serverUrl: string, writers: number, warmup: number, n: number): Promise<ReferenceResult> {
  const db = await createThrowawayDatabase(serverUrl, 'ledger_reference');
  const clients = Array.from({ length: writers }, () => new pg.Client({ connectionString: db.url }));
  try {
    await Promise.all(clients.map((c) => c.connect()));
    const first = clients[0] as pg.Client;
    await first.query(SCHEMA);
    const programmeId = randomUUID();
    const actorId = randomUUID();
    const accounts = Array.from({ length: ACCOUNTS }, () => ({ bank: randomUUID(), fund: randomUUID() }));
    for (const a of accounts) {
      await first.query(`INSERT INTO ref_account (id, code) VALUES ($1, 'bank'), ($2, 'fund')`, [a.bank, a.fund]);
    }
    const version = (await first.query<{ server_version: string }>('SHOW server_version')).rows[0]?.server_version;

    const holds: number[] = [];
    const latencies: number[] = [];
    const append = async (client: pg.Client, i: number, timed: boolean) => {
      const account = accounts[i % ACCOUNTS] as { bank: string; fund: string };
      const amount = `${1 + ((i * 7919) % 99_999)}.${String((i * 37) % 100).padStart(2, '0')}`;
      const id = randomUUID();
      const content = {
        id,
        programmeId,
        kind: 'funding_received',
        eventDate: '2025-09-01',
        recordedAt: new Date().toISOString(),
        description: `Funding received, bank reference REF-${i}`,
        sourceType: 'funding_receipt',
        sourceId: randomUUID(),
        actorId,
        reversesId: null,
        entries: [
          { line: 1, account: 'bank', direction: 'debit' as const, amount, currency: 'CNY' },
          { line: 2, account: 'fund', direction: 'credit' as const, amount, currency: 'CNY' },
        ],
      };
      const started = performance.now();
      await client.query('BEGIN');
      try {
        await client.query('SELECT pg_advisory_xact_lock($1)', [LOCK_KEY]);
        const locked = performance.now();
        const head = (await client.query<{ seq: string; hash: string }>('SELECT seq, hash FROM ref_transaction ORDER BY seq DESC LIMIT 1')).rows[0];
        const seq = BigInt(head?.seq ?? 0) + 1n;
        const prevHash = head?.hash ?? GENESIS_HASH;
        // The canonical form the journal hashes; node:crypto's digest is synchronous (no thread-pool hop under the lock).
        const hash = createHash('sha256')
          .update(canonicalTransaction({ ...content, seq, prevHash }))
          .digest('hex');
        await client.query(
          `INSERT INTO ref_transaction (seq, id, programme_id, kind, event_date, recorded_at, description, source_type, source_id, actor_id, prev_hash, hash)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
          [
            seq,
            id,
            programmeId,
            content.kind,
            content.eventDate,
            content.recordedAt,
            content.description,
            content.sourceType,
            content.sourceId,
            actorId,
            prevHash,
            hash,
          ],
        );
        await client.query(
          `INSERT INTO ref_entry (seq, line, account_id, direction, amount, currency) VALUES ($1, 1, $2, 'debit', $4, 'CNY'), ($1, 2, $3, 'credit', $4, 'CNY')`,
          [seq, account.bank, account.fund, amount],
        );
        // The fund account's balance (the one a refusal would guard); the bank's is the same figure.
        await client.query('UPDATE ref_account SET balance = balance + $1 WHERE id = $2', [amount, account.fund]);
        await client.query('COMMIT');
        const done = performance.now();
        if (timed) {
          holds.push(done - locked);
          latencies.push(done - started);
        }
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
    };

    let next = 0;
    const drive = async (until: number, timed: boolean) => {
      await Promise.all(
        clients.map(async (client) => {
          while (next < until) await append(client, next++, timed);
        }),
      );
    };
    await drive(warmup, false);
    const started = performance.now();
    await drive(warmup + n, true);
    const elapsedMs = performance.now() - started;

    const verified = await verifyReference(first, warmup + n);
    latencies.sort((a, b) => a - b);
    return {
      where: `PostgreSQL ${version}, database ${db.name}`,
      txPerSec: n / (elapsedMs / 1000),
      p50Ms: percentile(latencies, 0.5),
      p95Ms: percentile(latencies, 0.95),
      lockHoldMeanMs: holds.reduce((a, b) => a + b, 0) / holds.length,
      roundTripsUnderLock: 5,
      verified,
    };
  } finally {
    await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
    await db.drop();
  }
}

/** The reference's chain is what it claims: seq 1..count, each prev_hash the hash before, balances = Σ credits. */
async function verifyReference(client: pg.Client, count: number): Promise<boolean> {
  const [chain] = (
    await client.query<{ n: string; max: string; broken: string }>(`
      SELECT count(*) AS n, max(seq) AS max, count(*) FILTER (WHERE prev_hash <> before) AS broken
      FROM (SELECT seq, prev_hash, coalesce(lag(hash) OVER (ORDER BY seq), repeat('0', 64)) AS before FROM ref_transaction) chain`)
  ).rows;
  const [balances] = (
    await client.query<{ off: string }>(`
      SELECT count(*) AS off FROM ref_account a
      WHERE a.code = 'fund' AND a.balance <> (SELECT coalesce(sum(e.amount), 0) FROM ref_entry e WHERE e.account_id = a.id)`)
  ).rows;
  return Number(chain?.n) === count && Number(chain?.max) === count && Number(chain?.broken) === 0 && Number(balances?.off) === 0;
}
