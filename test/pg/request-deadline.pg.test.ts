// The request deadline on a real PostgreSQL server: a money-moving request whose transaction
// started in time is never answered 503 by the deadline — it waits for the ledger's append lock
// past its deadline, commits, and answers 201 — and one that waits for a connection past its
// deadline is answered 503 at once and writes nothing when the connection comes.
import pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { type App, createApp } from '../../src/http/app.ts';
import { createLogger } from '../../src/http/logger.ts';
import { verifyLedger } from '../../src/ledger/verify.ts';
import type { ProgrammeView } from '../../src/services/programmes.ts';
import { makeProgramme } from '../support/fixtures.ts';
import { usePgTestDatabase } from '../support/pg-test-database.ts';
import { testVault } from '../support/vault.ts';

const DEADLINE_MS = 800;
const POOL = 3;

describe.skipIf(!process.env.TEST_DATABASE_URL)('the request deadline (PostgreSQL)', () => {
  const t = usePgTestDatabase(POOL);
  let app: App;
  let programme: ProgrammeView;

  beforeAll(async () => {
    app = createApp({ db: t.db.prisma, vault: await testVault(), logger: createLogger('silent'), requestDeadlineMs: DEADLINE_MS });
    programme = await makeProgramme(t.world);
    await app.request('/api/v1/me', { headers: { Authorization: `Bearer ${t.world.users.finance.token}` } });
  });

  const postReceipt = (key: string, reference: string) =>
    app.request(`/api/v1/programmes/${programme.id}/funding-receipts`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${t.world.users.finance.token}`, 'Content-Type': 'application/json', 'Idempotency-Key': key },
      body: JSON.stringify({ remitterId: t.world.foundation.id, amount: '100.00', receivedOn: '2025-09-01', bankReference: reference }),
    });

  it('lets a write whose transaction started in time finish past its deadline, and answers what it committed', async () => {
    const holder = new pg.Client({ connectionString: t.db.url });
    await holder.connect();
    try {
      await holder.query('SELECT pg_advisory_lock(ledger_append_lock_key())');
      const answer = postReceipt(crypto.randomUUID(), 'DEADLINE-PG-LOCK');
      await new Promise((r) => setTimeout(r, DEADLINE_MS + 700));
      await holder.query('SELECT pg_advisory_unlock(ledger_append_lock_key())');
      const res = await answer;
      expect(res.status).toBe(201);
      expect(await t.db.prisma.fundingReceipt.count({ where: { bankReference: 'DEADLINE-PG-LOCK' } })).toBe(1);
    } finally {
      await holder.end();
    }
  });

  it('answers 503 at the deadline to a write still waiting for a connection, and it writes nothing when one comes', async () => {
    const before = await t.db.prisma.ledgerTransaction.count();
    // Every connection of the pool held by a transaction that waits.
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    let begun = 0;
    const allBegun = new Promise<void>((ready) => {
      for (let i = 0; i < POOL; i++) {
        void t.db.prisma.$transaction(
          async () => {
            if (++begun === POOL) ready();
            await released;
          },
          { timeout: 30_000 },
        );
      }
    });
    await allBegun;
    const key = crypto.randomUUID();
    const started = performance.now();
    const res = await postReceipt(key, 'DEADLINE-PG-POOL');
    const waited = performance.now() - started;
    release();
    expect(res.status).toBe(503);
    expect(waited).toBeLessThan(DEADLINE_MS + 2000);
    expect(res.headers.get('Retry-After')).toBe('1');
    expect(await res.json()).toMatchObject({ status: 503, code: 'deadline_exceeded' });
    // Time for the refused request to get its connection and roll back.
    await new Promise((r) => setTimeout(r, 1000));
    expect(await t.db.prisma.fundingReceipt.count({ where: { bankReference: 'DEADLINE-PG-POOL' } })).toBe(0);
    expect(await t.db.prisma.idempotencyRecord.count({ where: { key } })).toBe(0);
    expect(await t.db.prisma.ledgerTransaction.count()).toBe(before);
    expect((await postReceipt(key, 'DEADLINE-PG-POOL')).status).toBe(201);
    expect((await verifyLedger(t.db.prisma)).ok).toBe(true);
  });
});
