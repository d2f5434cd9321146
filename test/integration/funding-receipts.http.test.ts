import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import { postTransaction } from '../../src/ledger/journal.ts';
import { postings } from '../../src/domain/ledger-postings.ts';
import { money } from '../../src/domain/money.ts';
import { openTestDatabase } from '../support/database.ts';
import { makeOrganisation, makeProgramme, makeUser, makeWorld, type World } from '../support/fixtures.ts';
import { testVault } from '../support/vault.ts';
import { call, makeApp, newKey } from '../support/http.ts';

let db: Database;
let world: World;
let app: ReturnType<typeof makeApp>['app'];
let logs: ReturnType<typeof makeApp>['logs'];

beforeAll(async () => {
  db = await openTestDatabase();
  world = await makeWorld(db.prisma);
  ({ app, logs } = makeApp(db.prisma, await testVault()));
});
afterAll(async () => db?.close());

const receiptsPath = (programmeId: string) => `/api/v1/programmes/${programmeId}/funding-receipts`;

function receiptBody(overrides: Record<string, unknown> = {}) {
  return { remitterId: world.foundation.id, amount: '300000.00', receivedOn: '2025-09-01', bankReference: `REF-${newKey()}`, ...overrides };
}

async function counts() {
  return { receipts: await db.prisma.fundingReceipt.count(), transactions: await db.prisma.ledgerTransaction.count(), audits: await db.prisma.auditEvent.count() };
}

describe('POST /programmes/{id}/funding-receipts — happy path', () => {
  it('records the receipt, posts Dr bank / Cr fund and raises the balances', async () => {
    const programme = await makeProgramme(world);
    const res = await call(app, 'POST', receiptsPath(programme.id), { token: world.users.finance.token, idempotencyKey: newKey(), body: receiptBody({ amount: '300000.5' }) });
    expect(res.status).toBe(201);
    expect(res.headers.get('Idempotency-Replayed')).toBe('false');
    expect(res.json).toMatchObject({ programmeId: programme.id, amount: '300000.50', currency: 'CNY', status: 'recorded', reversal: null });
    const tx = await call(app, 'GET', `/api/v1/programmes/${programme.id}/ledger/transactions/${res.json.ledgerTransaction.id}`, { token: world.users.auditor.token });
    expect(tx.status).toBe(200);
    expect(tx.json.kind).toBe('funding_received');
    expect(tx.json.entries).toEqual([
      { line: 1, account: 'bank', direction: 'debit', amount: '300000.50', currency: 'CNY', balanceAfter: '300000.50' },
      { line: 2, account: 'fund', direction: 'credit', amount: '300000.50', currency: 'CNY', balanceAfter: '300000.50' },
    ]);
    const after = await call(app, 'GET', `/api/v1/programmes/${programme.id}`, { token: world.users.foundationViewer.token });
    expect(after.json.balances).toEqual({ bank: '300000.50', fund: '300000.50', payable: '0.00', inTransit: '0.00' });
    const audit = await db.prisma.auditEvent.findFirst({ where: { recordId: res.json.id, action: 'funding_receipt.record' } });
    expect(audit?.actorId).toBe(world.users.finance.actor.userId);
  });

  it('replays the same key and body with the original status and body, posting once', async () => {
    const programme = await makeProgramme(world);
    const key = newKey();
    const body = receiptBody();
    const first = await call(app, 'POST', receiptsPath(programme.id), { token: world.users.finance.token, idempotencyKey: key, body });
    const before = await counts();
    // Key order must not matter: the fingerprint is over the canonical body.
    const reordered = Object.fromEntries(Object.entries(body).reverse());
    const second = await call(app, 'POST', receiptsPath(programme.id), { token: world.users.finance.token, idempotencyKey: key, body: reordered });
    expect(second.status).toBe(201);
    expect(second.headers.get('Idempotency-Replayed')).toBe('true');
    expect(second.json).toEqual(first.json);
    expect(await counts()).toEqual(before);
  });

  it('refuses the same key with a different body (409) and writes nothing', async () => {
    const programme = await makeProgramme(world);
    const key = newKey();
    await call(app, 'POST', receiptsPath(programme.id), { token: world.users.finance.token, idempotencyKey: key, body: receiptBody() });
    const before = await counts();
    const res = await call(app, 'POST', receiptsPath(programme.id), { token: world.users.finance.token, idempotencyKey: key, body: receiptBody({ amount: '1.00' }) });
    expect(res.status).toBe(409);
    expect(res.headers.get('Content-Type')).toContain('application/problem+json');
    expect(res.json.code).toBe('idempotency_key_reused');
    expect(await counts()).toEqual(before);
  });

  it('keeps refusing a key whose request failed on a rule, even once the rule would pass', async () => {
    const programme = await makeProgramme(world);
    const key = newKey();
    const body = receiptBody({ receivedOn: '2099-01-01' });
    const first = await call(app, 'POST', receiptsPath(programme.id), { token: world.users.finance.token, idempotencyKey: key, body });
    expect(first.status).toBe(422);
    expect(first.json.code).toBe('date_in_future');
    const again = await call(app, 'POST', receiptsPath(programme.id), { token: world.users.finance.token, idempotencyKey: key, body });
    expect(again.status).toBe(422);
    expect(again.headers.get('Idempotency-Replayed')).toBe('true');
    expect(again.json.code).toBe('date_in_future');
  });

  it('scopes keys to their user: another user may use the same key', async () => {
    const programme = await makeProgramme(world);
    const second = await makeUser(db.prisma, world.department, 'finance');
    const key = newKey();
    const a = await call(app, 'POST', receiptsPath(programme.id), { token: world.users.finance.token, idempotencyKey: key, body: receiptBody() });
    const b = await call(app, 'POST', receiptsPath(programme.id), { token: second.token, idempotencyKey: key, body: receiptBody() });
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(a.json.id).not.toBe(b.json.id);
  });

  it('lists receipts newest first with a cursor, and filters by date', async () => {
    const programme = await makeProgramme(world);
    for (const day of ['2025-01-05', '2025-02-05', '2025-03-05']) {
      await call(app, 'POST', receiptsPath(programme.id), { token: world.users.finance.token, idempotencyKey: newKey(), body: receiptBody({ receivedOn: day, amount: '10.00' }) });
    }
    const page1 = await call(app, 'GET', `${receiptsPath(programme.id)}?limit=2`, { token: world.users.foundationViewer.token });
    expect(page1.status).toBe(200);
    expect(page1.json.items.map((r: { receivedOn: string }) => r.receivedOn)).toEqual(['2025-03-05', '2025-02-05']);
    const page2 = await call(app, 'GET', `${receiptsPath(programme.id)}?limit=2&cursor=${page1.json.nextCursor}`, { token: world.users.foundationViewer.token });
    expect(page2.json.items.map((r: { receivedOn: string }) => r.receivedOn)).toEqual(['2025-01-05']);
    expect(page2.json.nextCursor).toBeNull();
    const filtered = await call(app, 'GET', `${receiptsPath(programme.id)}?from=2025-02-01&to=2025-02-28`, { token: world.users.auditor.token });
    expect(filtered.json.items).toHaveLength(1);
    const bad = await call(app, 'GET', `${receiptsPath(programme.id)}?cursor=nonsense`, { token: world.users.auditor.token });
    expect(bad.status).toBe(400);
    expect(bad.json.errors[0].path).toBe('cursor');
  });
});

describe('POST /programmes/{id}/funding-receipts — bad input names the field and writes nothing', () => {
  const cases: [string, Record<string, unknown>, string][] = [
    ['three decimals', { amount: '100.001' }, 'amount'],
    ['zero', { amount: '0' }, 'amount'],
    ['negative', { amount: '-5.00' }, 'amount'],
    ['a JSON number', { amount: 100 }, 'amount'],
    ['not a number', { amount: '1e5' }, 'amount'],
    ['a date that does not exist', { receivedOn: '2025-02-30' }, 'receivedOn'],
    ['a date in another format', { receivedOn: '01/09/2025' }, 'receivedOn'],
    ['an unknown field', { colour: 'red' }, 'colour'],
    ['a remitter that is not a uuid', { remitterId: 'abc' }, 'remitterId'],
    ['an empty bank reference', { bankReference: '  ' }, 'bankReference'],
  ];
  it.each(cases)('%s', async (_name, overrides, field) => {
    const programme = await makeProgramme(world);
    const before = await counts();
    const res = await call(app, 'POST', receiptsPath(programme.id), { token: world.users.finance.token, idempotencyKey: newKey(), body: receiptBody(overrides) });
    expect(res.status).toBe(400);
    expect(res.headers.get('Content-Type')).toContain('application/problem+json');
    expect(res.json).toMatchObject({ status: 400, code: 'invalid_request' });
    expect(res.json.errors.map((e: { path: string }) => e.path)).toContain(field);
    expect(await counts()).toEqual(before);
  });

  it('a missing field', async () => {
    const programme = await makeProgramme(world);
    const { amount: _omit, ...body } = receiptBody();
    const res = await call(app, 'POST', receiptsPath(programme.id), { token: world.users.finance.token, idempotencyKey: newKey(), body });
    expect(res.status).toBe(400);
    expect(res.json.errors.map((e: { path: string }) => e.path)).toContain('amount');
  });

  it('malformed JSON', async () => {
    const programme = await makeProgramme(world);
    const res = await call(app, 'POST', receiptsPath(programme.id), { token: world.users.finance.token, idempotencyKey: newKey(), rawBody: '{"amount": "1.00",' });
    expect(res.status).toBe(400);
    expect(res.json.code).toBe('malformed_json');
  });

  it('a missing Idempotency-Key', async () => {
    const programme = await makeProgramme(world);
    const before = await counts();
    const res = await call(app, 'POST', receiptsPath(programme.id), { token: world.users.finance.token, body: receiptBody() });
    expect(res.status).toBe(400);
    expect(res.json.errors.map((e: { path: string }) => e.path)).toContain('idempotency-key');
    expect(await counts()).toEqual(before);
  });

  it('a programme id that is not a uuid, and one that does not exist', async () => {
    const notUuid = await call(app, 'POST', receiptsPath('nope'), { token: world.users.finance.token, idempotencyKey: newKey(), body: receiptBody() });
    expect(notUuid.status).toBe(400);
    expect(notUuid.json.errors[0].path).toBe('programmeId');
    const missing = await call(app, 'POST', receiptsPath(crypto.randomUUID()), { token: world.users.finance.token, idempotencyKey: newKey(), body: receiptBody() });
    expect(missing.status).toBe(404);
  });

  it('a remitter that exists but is not the funder (422), and one that does not exist (400)', async () => {
    const programme = await makeProgramme(world);
    const other = await makeOrganisation(db.prisma, 'foundation');
    const before = await counts();
    const wrong = await call(app, 'POST', receiptsPath(programme.id), { token: world.users.finance.token, idempotencyKey: newKey(), body: receiptBody({ remitterId: other.id }) });
    expect(wrong.status).toBe(422);
    expect(wrong.json.code).toBe('remitter_not_funder');
    const unknown = await call(app, 'POST', receiptsPath(programme.id), { token: world.users.finance.token, idempotencyKey: newKey(), body: receiptBody({ remitterId: crypto.randomUUID() }) });
    expect(unknown.status).toBe(400);
    expect(unknown.json.errors[0].path).toBe('remitterId');
    expect(await counts()).toEqual(before);
  });

  it('a bank reference already recorded for the programme (409)', async () => {
    const programme = await makeProgramme(world);
    const body = receiptBody();
    await call(app, 'POST', receiptsPath(programme.id), { token: world.users.finance.token, idempotencyKey: newKey(), body });
    const before = await counts();
    const dup = await call(app, 'POST', receiptsPath(programme.id), { token: world.users.finance.token, idempotencyKey: newKey(), body });
    expect(dup.status).toBe(409);
    expect(dup.json.code).toBe('duplicate_bank_reference');
    expect(await counts()).toEqual(before);
  });
});

describe('funding receipts — roles and scope', () => {
  it('only finance of the administering department may record; others get 403, or 404 outside their scope', async () => {
    const programme = await makeProgramme(world);
    const otherDepartment = await makeOrganisation(db.prisma, 'civil_affairs');
    const otherFinance = await makeUser(db.prisma, otherDepartment, 'finance');
    const otherFoundation = await makeOrganisation(db.prisma, 'foundation');
    const otherViewer = await makeUser(db.prisma, otherFoundation, 'foundation_viewer');
    const before = await counts();
    const expectations: [string, string, number][] = [
      ['caseworker', world.users.caseworker.token, 403],
      ['approver', world.users.approver.token, 403],
      ['foundation viewer of the funder', world.users.foundationViewer.token, 403],
      ['auditor', world.users.auditor.token, 403],
      ['admin', world.users.admin.token, 403],
      ['finance of another department', otherFinance.token, 404],
      ['viewer of another foundation', otherViewer.token, 404],
    ];
    for (const [who, token, status] of expectations) {
      const res = await call(app, 'POST', receiptsPath(programme.id), { token, idempotencyKey: newKey(), body: receiptBody() });
      expect({ who, status: res.status }).toEqual({ who, status });
    }
    expect(await counts()).toEqual(before);
    const list = await call(app, 'GET', receiptsPath(programme.id), { token: otherViewer.token });
    expect(list.status).toBe(404);
    const caseworkerList = await call(app, 'GET', receiptsPath(programme.id), { token: world.users.caseworker.token });
    expect(caseworkerList.status).toBe(403);
  });

  it('a receipt of another programme answers 404 through this programme', async () => {
    const a = await makeProgramme(world);
    const b = await makeProgramme(world);
    const res = await call(app, 'POST', receiptsPath(a.id), { token: world.users.finance.token, idempotencyKey: newKey(), body: receiptBody() });
    const cross = await call(app, 'GET', `${receiptsPath(b.id)}/${res.json.id}`, { token: world.users.auditor.token });
    expect(cross.status).toBe(404);
    const direct = await call(app, 'GET', `${receiptsPath(a.id)}/${res.json.id}`, { token: world.users.auditor.token });
    expect(direct.status).toBe(200);
  });
});

describe('POST …/funding-receipts/{id}/reversal', () => {
  it('posts the mirror transaction linked to the original, once', async () => {
    const programme = await makeProgramme(world);
    const rec = await call(app, 'POST', receiptsPath(programme.id), { token: world.users.finance.token, idempotencyKey: newKey(), body: receiptBody({ amount: '500.00' }) });
    const path = `${receiptsPath(programme.id)}/${rec.json.id}/reversal`;
    const res = await call(app, 'POST', path, { token: world.users.finance.token, idempotencyKey: newKey(), body: { reason: 'Recorded twice by mistake' } });
    expect(res.status).toBe(200);
    expect(res.json.status).toBe('reversed');
    expect(res.json.reversal.reason).toBe('Recorded twice by mistake');
    const tx = await call(app, 'GET', `/api/v1/programmes/${programme.id}/ledger/transactions/${res.json.reversal.id}`, { token: world.users.auditor.token });
    expect(tx.json).toMatchObject({ kind: 'correction', reversesId: rec.json.ledgerTransaction.id });
    expect(tx.json.entries.map((e: { account: string; direction: string }) => `${e.direction}:${e.account}`)).toEqual(['credit:bank', 'debit:fund']);
    const balances = (await call(app, 'GET', `/api/v1/programmes/${programme.id}`, { token: world.users.finance.token })).json.balances;
    expect(balances).toMatchObject({ bank: '0.00', fund: '0.00' });
    const again = await call(app, 'POST', path, { token: world.users.finance.token, idempotencyKey: newKey(), body: { reason: 'Recorded twice by mistake' } });
    expect(again.status).toBe(409);
    expect(again.json.code).toBe('already_reversed');
  });

  it('is refused when the money was already committed (fund would go below zero)', async () => {
    const programme = await makeProgramme(world);
    const rec = await call(app, 'POST', receiptsPath(programme.id), { token: world.users.finance.token, idempotencyKey: newKey(), body: receiptBody({ amount: '500.00' }) });
    await db.prisma.$transaction((tx) =>
      postTransaction(tx, {
        programmeId: programme.id,
        kind: 'grant_approved',
        eventDate: '2025-09-10',
        description: 'test commitment',
        sourceType: 'test',
        sourceId: crypto.randomUUID(),
        actorId: world.users.approver.actor.userId,
        postings: postings.grantApproved(crypto.randomUUID(), money('300.00')),
      }),
    );
    const before = await counts();
    const res = await call(app, 'POST', `${receiptsPath(programme.id)}/${rec.json.id}/reversal`, { token: world.users.finance.token, idempotencyKey: newKey(), body: { reason: 'Bank recalled the transfer' } });
    expect(res.status).toBe(422);
    expect(res.json).toMatchObject({ code: 'insufficient_balance', account: 'fund', available: '200.00', needed: '500.00' });
    expect(await counts()).toEqual(before);
  });

  it('requires a reason, a real date, and the finance role', async () => {
    const programme = await makeProgramme(world);
    const rec = await call(app, 'POST', receiptsPath(programme.id), { token: world.users.finance.token, idempotencyKey: newKey(), body: receiptBody({ amount: '5.00' }) });
    const path = `${receiptsPath(programme.id)}/${rec.json.id}/reversal`;
    const noReason = await call(app, 'POST', path, { token: world.users.finance.token, idempotencyKey: newKey(), body: {} });
    expect(noReason.status).toBe(400);
    expect(noReason.json.errors[0].path).toBe('reason');
    const badDate = await call(app, 'POST', path, { token: world.users.finance.token, idempotencyKey: newKey(), body: { reason: 'wrong amount', eventDate: '2025-13-01' } });
    expect(badDate.json.errors[0].path).toBe('eventDate');
    const approver = await call(app, 'POST', path, { token: world.users.approver.token, idempotencyKey: newKey(), body: { reason: 'wrong amount' } });
    expect(approver.status).toBe(403);
    const unknown = await call(app, 'POST', `${receiptsPath(programme.id)}/${crypto.randomUUID()}/reversal`, { token: world.users.finance.token, idempotencyKey: newKey(), body: { reason: 'wrong amount' } });
    expect(unknown.status).toBe(404);
  });
});

describe('logs', () => {
  it('carry no bank references, amounts or tokens', async () => {
    const joined = logs.lines.join('\n');
    expect(joined).not.toContain('REF-');
    expect(joined).not.toContain('300000');
    expect(joined).not.toContain(world.users.finance.token);
    expect(logs.lines.length).toBeGreaterThan(10);
  });
});
