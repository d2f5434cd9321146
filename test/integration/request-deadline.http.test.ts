// The server-side deadline (REQUEST_DEADLINE_MS): a request that cannot be answered in time is
// answered at once with 503 `deadline_exceeded`, Retry-After and problem+json; a money-moving
// request refused by it writes nothing, not even after its client was answered, and its
// Idempotency-Key stays free for the retry; within the deadline requests are served as before.
// The embedded database runs one transaction at a time: a transaction held open here makes every
// request wait, as a long queue does under load.
import { beforeAll, describe, expect, it } from 'vitest';
import { InFlightLimit } from '../../src/http/in-flight-limit.ts';
import { holdEmbeddedDatabase } from '../support/database.ts';
import { makeProgramme } from '../support/fixtures.ts';
import { newKey } from '../support/http.ts';
import { useTestApp } from '../support/test-app.ts';

const DEADLINE_MS = 1000;
const limit = new InFlightLimit(100);
const t = useTestApp({ inFlight: limit, requestDeadlineMs: DEADLINE_MS });

/** Holds the embedded database's one transaction until `release` is called. */
const holdDatabase = () => holdEmbeddedDatabase(t.db.prisma);

async function untilNothingInFlight() {
  for (let i = 0; i < 200 && limit.inFlight > 0; i++) await new Promise((r) => setTimeout(r, 25));
  expect(limit.inFlight).toBe(0);
}

const receiptBody = (reference: string) => ({ remitterId: t.world.foundation.id, amount: '100.00', receivedOn: '2025-09-01', bankReference: reference });

describe('the request deadline', () => {
  // The first request builds the app's routes: not what the deadline is tested on.
  beforeAll(async () => {
    await t.as.finance.get('/api/v1/me');
  });

  it('leaves requests answered in time as they were: a read and a money-moving write', async () => {
    const programme = await makeProgramme(t.world);
    expect((await t.as.finance.get(`/api/v1/programmes/${programme.id}`)).status).toBe(200);
    const written = await t.as.finance.post(`/api/v1/programmes/${programme.id}/funding-receipts`, receiptBody('DEADLINE-OK'), { idempotencyKey: newKey() });
    expect(written.status).toBe(201);
  });

  it('answers a read that cannot be answered in time with 503 at its deadline, Retry-After and problem+json', async () => {
    const programme = await makeProgramme(t.world);
    const db = await holdDatabase();
    try {
      const started = performance.now();
      const late = await t.as.finance.get(`/api/v1/programmes/${programme.id}`);
      const waited = performance.now() - started;
      expect(late.status).toBe(503);
      expect(waited).toBeGreaterThanOrEqual(DEADLINE_MS - 5);
      expect(waited).toBeLessThan(DEADLINE_MS + 2000);
      expect(late.headers.get('Retry-After')).toBe('1');
      expect(late.headers.get('Content-Type')).toContain('application/problem+json');
      expect(late.json).toMatchObject({ status: 503, code: 'deadline_exceeded', type: expect.stringContaining('deadline_exceeded') });
      expect(late.json.detail).toContain('时限');
      // The given-up read still counts among the requests in flight until its work has ended.
      expect(limit.inFlight).toBe(1);
    } finally {
      await db.release();
    }
    await untilNothingInFlight();
  });

  it('refuses a money-moving write still waiting for its transaction at the deadline: nothing is written, then or later, and the same key then succeeds', async () => {
    const programme = await makeProgramme(t.world);
    const before = { receipts: await t.db.prisma.fundingReceipt.count(), ledger: await t.db.prisma.ledgerTransaction.count() };
    const key = newKey();
    const db = await holdDatabase();
    let refused;
    try {
      refused = await t.as.finance.post(`/api/v1/programmes/${programme.id}/funding-receipts`, receiptBody('DEADLINE-1'), { idempotencyKey: key });
    } finally {
      await db.release();
    }
    expect(refused.status).toBe(503);
    expect(refused.headers.get('Retry-After')).toBe('1');
    expect(refused.json).toMatchObject({ status: 503, code: 'deadline_exceeded' });
    // The request's work has now gone on to its end: it rolled back instead of committing.
    await untilNothingInFlight();
    expect(await t.db.prisma.fundingReceipt.count()).toBe(before.receipts);
    expect(await t.db.prisma.ledgerTransaction.count()).toBe(before.ledger);
    expect(await t.db.prisma.idempotencyRecord.count({ where: { key } })).toBe(0);

    const retried = await t.as.finance.post(`/api/v1/programmes/${programme.id}/funding-receipts`, receiptBody('DEADLINE-1'), { idempotencyKey: key });
    expect(retried.status).toBe(201);
    expect(retried.headers.get('Idempotency-Replayed')).toBe('false');
    expect(await t.db.prisma.fundingReceipt.count()).toBe(before.receipts + 1);
  });
});
