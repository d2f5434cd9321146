// What /metrics reads on PostgreSQL: the pg pool as the service holds it, and an append waiting for
// the ledger's append lock — seen in pg_locks while it waits, and in the appending statement's time
// once it has appended.
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { FailureLimiter } from '../../src/http/failure-limiter.ts';
import { InFlightLimit } from '../../src/http/in-flight-limit.ts';
import { createPrometheusMetrics } from '../../src/http/metrics-node.ts';
import { gatherReadings } from '../../src/http/routes/metrics.ts';
import { readOperatingReadings } from '../../src/services/operating-readings.ts';
import { makeProgramme } from '../support/fixtures.ts';
import { fundProgramme } from '../support/grants.ts';
import { sampleOf } from '../support/prometheus.ts';
import { usePgTestDatabase } from '../support/pg-test-database.ts';

const POOL_MAX = 4;
const HELD_MS = 400;

describe.skipIf(!process.env.TEST_DATABASE_URL)('metrics readings on PostgreSQL', () => {
  const t = usePgTestDatabase(POOL_MAX);
  const metrics = createPrometheusMetrics({ database: 'postgres', processMetrics: false });
  afterAll(() => metrics.close());
  const scrape = async () =>
    metrics.exposition(
      await gatherReadings({
        db: t.db.prisma,
        inFlight: new InFlightLimit(10),
        authFailures: new FailureLimiter({ maxFailures: 1, windowMs: 1, maxKeys: 1 }),
        databasePool: () => t.db.poolUse(),
      }),
    );

  it('shows the pg pool the service holds: open, idle, its bound, and queries waiting for a connection', async () => {
    // More queries at once than the pool has connections: the rest wait for one.
    const busy = Promise.all(Array.from({ length: POOL_MAX + 3 }, () => t.db.prisma.$queryRaw`SELECT pg_sleep(0.3)::text`));
    await new Promise((resolve) => setTimeout(resolve, 100));
    const during = t.db.poolUse();
    await busy;
    expect(during).toMatchObject({ kind: 'postgres', total: POOL_MAX, max: POOL_MAX });
    expect(during.kind === 'postgres' && during.waiting).toBeGreaterThanOrEqual(3);

    const text = await scrape();
    expect(sampleOf(text, 'scholarship_db_pool_connections', { state: 'max' })).toBe(POOL_MAX);
    expect(sampleOf(text, 'scholarship_db_pool_connections', { state: 'open' })).toBeGreaterThanOrEqual(1);
    expect(sampleOf(text, 'scholarship_db_pool_waiting')).toBe(0);
  });

  it('counts an append waiting for the append lock while it waits, and its wait in the statement’s time', { timeout: 60_000 }, async () => {
    const programme = await makeProgramme(t.world);
    const before = sampleOf(await scrape(), 'scholarship_ledger_append_statement_seconds_sum', { path: 'receipts' }) ?? 0;
    // Another session holds the append lock, as a long batch send would.
    const holder = new pg.Client({ connectionString: t.db.url });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT pg_advisory_xact_lock(ledger_append_lock_key())');
      const startedAt = Date.now();
      const receipt = fundProgramme(t.world, programme.id, '100.00');
      let waiting = 0;
      while (waiting === 0 && Date.now() - startedAt < 10_000) {
        waiting = (await readOperatingReadings(t.db.prisma)).appendLockWaiters;
      }
      expect(waiting).toBe(1);
      expect(sampleOf(await scrape(), 'scholarship_db_lock_waiters', { lock: 'ledger_append' })).toBe(1);
      // The statement was waiting already: held this much longer, it waits at least this long.
      await new Promise((resolve) => setTimeout(resolve, HELD_MS));
      await holder.query('COMMIT');
      await receipt;
    } finally {
      await holder.end();
    }
    const text = await scrape();
    expect(sampleOf(text, 'scholarship_db_lock_waiters', { lock: 'ledger_append' })).toBe(0);
    expect((sampleOf(text, 'scholarship_ledger_append_statement_seconds_sum', { path: 'receipts' }) ?? 0) - before).toBeGreaterThanOrEqual(HELD_MS / 1000);
    const head = await t.db.prisma.ledgerTransaction.findFirstOrThrow({ orderBy: { seq: 'desc' } });
    expect(sampleOf(text, 'scholarship_chain_head_sequence', { chain: 'ledger' })).toBe(Number(head.seq));
  });
});
