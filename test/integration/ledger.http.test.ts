import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import { recordFundingReceipt } from '../../src/services/funding-receipts.ts';
import { openTestDatabase } from '../support/database.ts';
import { makeOrganisation, makeProgramme, makeUser, makeWorld, type World } from '../support/fixtures.ts';
import { testVault } from '../support/vault.ts';
import { call, makeApp } from '../support/http.ts';

let db: Database;
let world: World;
let app: ReturnType<typeof makeApp>['app'];

beforeAll(async () => {
  db = await openTestDatabase();
  world = await makeWorld(db.prisma);
  ({ app } = makeApp(db.prisma, await testVault()));
});
afterAll(async () => db?.close());

async function receive(programmeId: string, amount: string, receivedOn = '2025-09-01') {
  return recordFundingReceipt({ ctx: world.users.finance.ctx, input: { programmeId, remitterId: world.foundation.id, amount, receivedOn, bankReference: crypto.randomUUID() } });
}

describe('GET /programmes/{id}/ledger/transactions', () => {
  it('lists a programme’s transactions in sequence order with entries, paginated and filtered', async () => {
    const programme = await makeProgramme(world);
    const other = await makeProgramme(world);
    await receive(programme.id, '100.00', '2025-09-01');
    await receive(other.id, '1.00');
    await receive(programme.id, '200.00', '2025-10-01');
    await receive(programme.id, '300.00', '2025-11-01');
    const path = `/api/v1/programmes/${programme.id}/ledger/transactions`;
    const first = await call(app, 'GET', `${path}?limit=2`, { token: world.users.foundationViewer.token });
    expect(first.status).toBe(200);
    expect(first.json.items.map((t: { entries: { amount: string }[] }) => t.entries[0]?.amount)).toEqual(['100.00', '200.00']);
    const seqs = first.json.items.map((t: { seq: string }) => Number(t.seq));
    expect(seqs[1]).toBeGreaterThan(seqs[0]);
    const second = await call(app, 'GET', `${path}?limit=2&cursor=${first.json.nextCursor}`, { token: world.users.foundationViewer.token });
    expect(second.json.items.map((t: { entries: { balanceAfter: string }[] }) => t.entries[0]?.balanceAfter)).toEqual(['600.00']);
    expect(second.json.nextCursor).toBeNull();
    const october = await call(app, 'GET', `${path}?from=2025-10-01&to=2025-10-31&kind=funding_received`, { token: world.users.auditor.token });
    expect(october.json.items).toHaveLength(1);
    const wrongKind = await call(app, 'GET', `${path}?kind=gift`, { token: world.users.auditor.token });
    expect(wrongKind.status).toBe(400);
    expect(wrongKind.json.errors[0].path).toBe('kind');
  });

  it('is closed to caseworkers and approvers (403), and to other organisations (404)', async () => {
    const programme = await makeProgramme(world);
    const tx = await receive(programme.id, '10.00');
    const path = `/api/v1/programmes/${programme.id}/ledger/transactions`;
    expect((await call(app, 'GET', path, { token: world.users.caseworker.token })).status).toBe(403);
    expect((await call(app, 'GET', path, { token: world.users.approver.token })).status).toBe(403);
    const otherViewer = await makeUser(db.prisma, await makeOrganisation(db.prisma, 'foundation'), 'foundation_viewer');
    expect((await call(app, 'GET', path, { token: otherViewer.token })).status).toBe(404);
    expect((await call(app, 'GET', `${path}/${tx.ledgerTransaction.id}`, { token: otherViewer.token })).status).toBe(404);
    const other = await makeProgramme(world);
    const crossed = await call(app, 'GET', `/api/v1/programmes/${other.id}/ledger/transactions/${tx.ledgerTransaction.id}`, { token: world.users.auditor.token });
    expect(crossed.status).toBe(404);
  });
});

describe('GET /ledger/verification', () => {
  it('lets auditors and admins recompute the chain; others are refused', async () => {
    const programme = await makeProgramme(world);
    await receive(programme.id, '10.00');
    const res = await call(app, 'GET', '/api/v1/ledger/verification', { token: world.users.auditor.token });
    expect(res.status).toBe(200);
    const count = await db.prisma.ledgerTransaction.count();
    expect(res.json).toMatchObject({ ok: true, transactionsChecked: count, entriesChecked: count * 2, firstProblem: null, problems: [] });
    const head = await db.prisma.ledgerTransaction.findFirstOrThrow({ orderBy: { seq: 'desc' } });
    expect(res.json.head).toEqual({ seq: head.seq.toString(), hash: head.hash });
    expect((await call(app, 'GET', '/api/v1/ledger/verification', { token: world.users.admin.token })).status).toBe(200);
    for (const user of [world.users.finance, world.users.caseworker, world.users.foundationViewer]) {
      expect((await call(app, 'GET', '/api/v1/ledger/verification', { token: user.token })).status).toBe(403);
    }
    const health = await call(app, 'GET', '/healthz');
    expect(health.json.ledger).toEqual({ headSeq: head.seq.toString(), headHash: head.hash });
  });
});
