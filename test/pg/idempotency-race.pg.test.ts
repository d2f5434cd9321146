// Idempotency-Key races through the HTTP app, in-process, on a real PostgreSQL server: the key is
// claimed inside the use case's own transaction (src/http/idempotency.ts), so however many clients
// send the same key at the same moment, the money moves at most once.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { type App, createApp } from '../../src/http/app.ts';
import { createLogger } from '../../src/http/logger.ts';
import { verifyLedger } from '../../src/ledger/verify.ts';
import type { PrismaClient } from '#prisma';
import type { ProgrammeView } from '../../src/services/programmes.ts';
import { makeOrganisation, makeProgramme } from '../support/fixtures.ts';
import { testVault } from '../support/vault.ts';
import { race } from './support/concurrency.ts';
import { usePgTestDatabase } from '../support/pg-test-database.ts';

const CLIENTS = 8;

/**
 * The app's database, counting the interactive transactions it opens and how many end without
 * committing: a racer that lost the claim opens one and rolls it back. Without such losers the
 * test would pass without having raced anything.
 */
function countingTransactions(prisma: PrismaClient) {
  const counts = { started: 0, rolledBack: 0 };
  const client = new Proxy(prisma, {
    get(target, property) {
      if (property === '$transaction') {
        return (...args: Parameters<PrismaClient['$transaction']>) => {
          counts.started++;
          return (target.$transaction as (...a: unknown[]) => Promise<unknown>)(...args).catch((error: unknown) => {
            counts.rolledBack++;
            throw error;
          });
        };
      }
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { client, counts };
}

interface Answer {
  status: number;
  replayed: string | null;
  contentType: string | null;
  body: Record<string, unknown>;
}

describe.skipIf(!process.env.TEST_DATABASE_URL)('Idempotency-Key raced by concurrent clients (PostgreSQL)', () => {
  const t = usePgTestDatabase(20);
  let app: App;
  let programme: ProgrammeView;
  let transactions: ReturnType<typeof countingTransactions>['counts'];

  beforeAll(async () => {
    const counting = countingTransactions(t.db.prisma);
    transactions = counting.counts;
    app = createApp({ db: counting.client, vault: await testVault(), logger: createLogger('silent') });
    programme = await makeProgramme(t.world);
  });

  async function post(key: string, body: Record<string, unknown>): Promise<Answer> {
    const res = await app.request(`/api/v1/programmes/${programme.id}/funding-receipts`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${t.world.users.finance.token}`,
        'Content-Type': 'application/json',
        'Idempotency-Key': key,
      },
      body: JSON.stringify(body),
    });
    return {
      status: res.status,
      replayed: res.headers.get('Idempotency-Replayed'),
      contentType: res.headers.get('Content-Type'),
      body: (await res.json()) as Record<string, unknown>,
    };
  }

  const receiptBody = (bankReference: string, amount = '2500.00') => ({
    remitterId: t.world.foundation.id,
    amount,
    receivedOn: '2025-09-01',
    bankReference,
  });

  async function postedFor(bankReferences: string[]) {
    const receipts = await t.db.prisma.fundingReceipt.findMany({ where: { programmeId: programme.id, bankReference: { in: bankReferences } } });
    const transactions = await t.db.prisma.ledgerTransaction.count({ where: { sourceType: 'funding_receipt', sourceId: { in: receipts.map((r) => r.id) } } });
    return { receipts, transactions };
  }

  it('8 clients sending the same key and body: all get 201 with the same receipt, posted once, one not replayed', async () => {
    const key = `same-${randomUUID()}`;
    const body = receiptBody('IDEM-SAME-1');
    transactions.started = transactions.rolledBack = 0;

    const answers = (await race(CLIENTS, () => post(key, body))).map((r) => {
      if (r.status === 'rejected') throw r.reason;
      return r.value;
    });

    expect(answers.map((a) => a.status)).toEqual(Array(CLIENTS).fill(201));
    const ids = new Set(answers.map((a) => a.body.id));
    expect(ids.size).toBe(1);
    expect(answers.filter((a) => a.replayed === 'false')).toHaveLength(1);
    expect(answers.filter((a) => a.replayed === 'true')).toHaveLength(CLIENTS - 1);
    // It really raced: some replays came from requests that reached the claim while the first was
    // still open (they waited on it, then rolled back), not only from the read before the claim.
    expect(transactions.started - transactions.rolledBack).toBe(1);
    console.info(`[idempotency-race] same key + body: ${transactions.started} transactions opened, ${transactions.rolledBack} lost the claim`);
    expect(transactions.rolledBack).toBeGreaterThanOrEqual(1);
    // A replay is the original answer, byte for byte in content.
    for (const a of answers) expect(a.body).toEqual(answers[0]!.body);

    const { receipts, transactions: ledgerTransactions } = await postedFor(['IDEM-SAME-1']);
    expect(receipts).toHaveLength(1);
    expect(receipts[0]!.id).toBe([...ids][0]);
    expect(ledgerTransactions).toBe(1);
    expect(await t.db.prisma.auditEvent.count({ where: { action: 'funding_receipt.record', recordId: receipts[0]!.id } })).toBe(1);
    expect((await verifyLedger(t.db.prisma)).ok).toBe(true);
  });

  it('the same key raced with different bodies: one request posts, the others replay (same body) or get 409 idempotency_key_reused', async () => {
    const key = `mixed-${randomUUID()}`;
    // Even clients send one body; each odd client sends a body of its own.
    const bodies = Array.from({ length: CLIENTS }, (_, i) =>
      i % 2 === 0 ? receiptBody('IDEM-MIX-A', '1000.00') : receiptBody(`IDEM-MIX-B${i}`, `${1000 + i}.00`),
    );
    const references = [...new Set(bodies.map((b) => b.bankReference))];
    transactions.started = transactions.rolledBack = 0;

    const answers = (await race(CLIENTS, (i) => post(key, bodies[i]!))).map((r) => {
      if (r.status === 'rejected') throw r.reason;
      return r.value;
    });

    const created = answers.map((a, i) => ({ ...a, i })).filter((a) => a.status === 201);
    const refused = answers.filter((a) => a.status !== 201);
    const original = created.filter((a) => a.replayed === 'false');
    expect(original).toHaveLength(1);
    const winner = bodies[original[0]!.i]!;
    // Every 201 is the winner's receipt, sent by a client with the winner's body.
    for (const a of created) {
      expect(bodies[a.i]).toEqual(winner);
      expect(a.body.id).toBe(original[0]!.body.id);
    }
    expect(created).toHaveLength(bodies.filter((b) => b.bankReference === winner.bankReference).length);
    // Everyone else sent another body under the same key.
    expect(refused).toHaveLength(CLIENTS - created.length);
    for (const a of refused) {
      expect(a.status).toBe(409);
      expect(a.contentType).toContain('application/problem+json');
      expect(a.body).toMatchObject({ status: 409, code: 'idempotency_key_reused' });
    }

    const { receipts, transactions: ledgerTransactions } = await postedFor(references);
    expect(receipts.map((r) => r.bankReference)).toEqual([winner.bankReference]);
    expect(receipts[0]!.amount.toFixed(2)).toBe(winner.amount);
    expect(ledgerTransactions).toBe(1);
    expect((await verifyLedger(t.db.prisma)).ok).toBe(true);
  });

  it('a key refused by a rule (remitter is not the funder) stays refused: 422 for every racer, then 422 replayed', async () => {
    const stranger = await makeOrganisation(t.db.prisma, 'foundation');
    const key = `refused-${randomUUID()}`;
    const body = { ...receiptBody('IDEM-REFUSED-1'), remitterId: stranger.id };
    const ledgerBefore = await t.db.prisma.ledgerTransaction.count();

    const answers = (await race(CLIENTS, () => post(key, body))).map((r) => {
      if (r.status === 'rejected') throw r.reason;
      return r.value;
    });
    for (const a of answers) {
      expect(a.status).toBe(422);
      expect(a.contentType).toContain('application/problem+json');
      expect(a.body).toMatchObject({ status: 422, code: 'remitter_not_funder' });
    }
    // One answer recorded the refusal; the others replayed it.
    expect(answers.filter((a) => a.replayed === 'false')).toHaveLength(1);
    expect(answers.filter((a) => a.replayed === 'true')).toHaveLength(CLIENTS - 1);

    const again = await post(key, body);
    expect(again).toMatchObject({ status: 422, replayed: 'true', body: { status: 422, code: 'remitter_not_funder' } });
    // A replayed refusal is the recorded one, and says it is a replay (a new attempt needs a new key).
    const { instance: _a, ...first } = answers.find((a) => a.replayed === 'false')!.body;
    const { instance: _b, replayed: flag, replayNote, ...replayed } = again.body;
    expect(replayed).toEqual(first);
    expect(flag).toBe(true);
    expect(replayNote).toEqual(expect.stringContaining('new key'));
    for (const a of answers) expect({ header: a.replayed, body: a.body.replayed ?? false }).toEqual({ header: a.replayed, body: a.replayed === 'true' });

    const stored = await t.db.prisma.idempotencyRecord.findUnique({ where: { userId_key: { userId: t.world.users.finance.actor.userId, key } } });
    expect(stored).toMatchObject({ state: 'failed', statusCode: 422 });
    expect((await postedFor(['IDEM-REFUSED-1'])).receipts).toHaveLength(0);
    expect(await t.db.prisma.ledgerTransaction.count()).toBe(ledgerBefore);
  });
});
