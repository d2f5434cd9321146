import { describe, expect, it } from 'vitest';
import { postTransaction } from '../../src/ledger/journal.ts';
import { postings } from '../../src/domain/ledger-postings.ts';
import { money } from '../../src/domain/money.ts';
import { makeOrganisation, makeProgramme, makeUser } from '../support/fixtures.ts';
import { newKey } from '../support/http.ts';
import { useTestApp } from '../support/test-app.ts';

const t = useTestApp();

const receiptsPath = (programmeId: string) => `/api/v1/programmes/${programmeId}/funding-receipts`;

function receiptBody(overrides: Record<string, unknown> = {}) {
  return { remitterId: t.world.foundation.id, amount: '300000.00', receivedOn: '2025-09-01', bankReference: `REF-${newKey()}`, ...overrides };
}

async function counts() {
  return {
    receipts: await t.db.prisma.fundingReceipt.count(),
    transactions: await t.db.prisma.ledgerTransaction.count(),
    audits: await t.db.prisma.auditEvent.count(),
  };
}

describe('POST /programmes/{id}/funding-receipts — happy path', () => {
  it('records the receipt, posts Dr bank / Cr fund and raises the balances', async () => {
    const programme = await makeProgramme(t.world);
    const res = await t.as.finance.post(receiptsPath(programme.id), receiptBody({ amount: '300000.5' }), { idempotencyKey: newKey() });
    expect(res.status).toBe(201);
    expect(res.headers.get('Idempotency-Replayed')).toBe('false');
    expect(res.json).toMatchObject({ programmeId: programme.id, amount: '300000.50', currency: 'CNY', status: 'recorded', reversal: null });
    const tx = await t.as.auditor.get(`/api/v1/programmes/${programme.id}/ledger/transactions/${res.json.ledgerTransaction.id}`);
    expect(tx.status).toBe(200);
    expect(tx.json.kind).toBe('funding_received');
    expect(tx.json.entries).toEqual([
      { line: 1, account: 'bank', direction: 'debit', amount: '300000.50', currency: 'CNY', balanceAfter: '300000.50' },
      { line: 2, account: 'fund', direction: 'credit', amount: '300000.50', currency: 'CNY', balanceAfter: '300000.50' },
    ]);
    const after = await t.as.foundationViewer.get(`/api/v1/programmes/${programme.id}`);
    expect(after.json.balances).toEqual({ bank: '300000.50', fund: '300000.50', payable: '0.00', inTransit: '0.00' });
    const audit = await t.db.prisma.auditEvent.findFirst({ where: { recordId: res.json.id, action: 'funding_receipt.record' } });
    expect(audit?.actorId).toBe(t.world.users.finance.actor.userId);
  });

  it('replays the same key and body with the original status and body, posting once', async () => {
    const programme = await makeProgramme(t.world);
    const key = newKey();
    const body = receiptBody();
    const first = await t.as.finance.post(receiptsPath(programme.id), body, { idempotencyKey: key });
    const before = await counts();
    // Key order must not matter: the fingerprint is over the canonical body.
    const reordered = Object.fromEntries(Object.entries(body).reverse());
    const second = await t.as.finance.post(receiptsPath(programme.id), reordered, { idempotencyKey: key });
    expect(second.status).toBe(201);
    expect(second.headers.get('Idempotency-Replayed')).toBe('true');
    expect(second.json).toEqual(first.json);
    expect(await counts()).toEqual(before);
  });

  it('refuses the same key with a different body (409) and writes nothing', async () => {
    const programme = await makeProgramme(t.world);
    const key = newKey();
    await t.as.finance.post(receiptsPath(programme.id), receiptBody(), { idempotencyKey: key });
    const before = await counts();
    const res = await t.as.finance.post(receiptsPath(programme.id), receiptBody({ amount: '1.00' }), { idempotencyKey: key });
    expect(res.status).toBe(409);
    expect(res.headers.get('Content-Type')).toContain('application/problem+json');
    expect(res.json.code).toBe('idempotency_key_reused');
    expect(await counts()).toEqual(before);
  });

  it('keeps refusing a key whose request failed on a rule, even once the rule would pass', async () => {
    const programme = await makeProgramme(t.world);
    const key = newKey();
    const body = receiptBody({ receivedOn: '2099-01-01' });
    const first = await t.as.finance.post(receiptsPath(programme.id), body, { idempotencyKey: key });
    expect(first.status).toBe(422);
    expect(first.json.code).toBe('date_in_future');
    const again = await t.as.finance.post(receiptsPath(programme.id), body, { idempotencyKey: key });
    expect(again.status).toBe(422);
    expect(again.headers.get('Idempotency-Replayed')).toBe('true');
    expect(again.json.code).toBe('date_in_future');
    // The replayed refusal says it is one, and that a new attempt needs a new key; the first did not.
    expect(first.json.replayed).toBeUndefined();
    expect(again.json.replayed).toBe(true);
    expect(again.json.replayNote).toContain('new key');
    expect(again.json.replayNote).toContain('新的幂等键');
  });

  it('takes receipts from the academic year before the first to the end of the last, and refuses dates outside (422 naming the field); nothing written', async () => {
    const programme = await makeProgramme(t.world);
    const at = async (receivedOn: string) =>
      t.as.finance.post(receiptsPath(programme.id), receiptBody({ receivedOn, amount: '1.00' }), { idempotencyKey: newKey() });
    expect((await at('2023-09-01')).status).toBe(201);
    const before = await counts();
    for (const day of ['1900-01-01', '2023-08-31']) {
      const res = await at(day);
      expect({ day, status: res.status }).toEqual({ day, status: 422 });
      expect(res.json).toMatchObject({ code: 'receipt_outside_programme', field: 'receivedOn', from: '2023-09-01' });
      expect(res.json.detail).toContain('2023-09-01');
    }
    expect(await counts()).toEqual(before);
  });

  it('an amount that would take the bank balance past what the ledger holds is a 422, not a 500; nothing written', async () => {
    const programme = await makeProgramme(t.world);
    const largest = await t.as.finance.post(receiptsPath(programme.id), receiptBody({ amount: '999999999999.99' }), { idempotencyKey: newKey() });
    expect(largest.status).toBe(201);
    const before = await counts();
    const over = await t.as.finance.post(receiptsPath(programme.id), receiptBody({ amount: '1.00' }), { idempotencyKey: newKey() });
    expect(over.status).toBe(422);
    expect(over.json).toMatchObject({ code: 'amount_out_of_range', field: 'amount' });
    expect(await counts()).toEqual(before);
  });

  it('scopes keys to their user: another user may use the same key', async () => {
    const programme = await makeProgramme(t.world);
    const second = await makeUser(t.db.prisma, t.world.department, 'finance');
    const key = newKey();
    const a = await t.as.finance.post(receiptsPath(programme.id), receiptBody(), { idempotencyKey: key });
    const b = await t.as(second).post(receiptsPath(programme.id), receiptBody(), { idempotencyKey: key });
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(a.json.id).not.toBe(b.json.id);
  });

  it('lists receipts newest first with a cursor, and filters by date', async () => {
    const programme = await makeProgramme(t.world);
    for (const day of ['2025-01-05', '2025-02-05', '2025-03-05']) {
      await t.as.finance.post(receiptsPath(programme.id), receiptBody({ receivedOn: day, amount: '10.00' }), { idempotencyKey: newKey() });
    }
    const page1 = await t.as.foundationViewer.get(`${receiptsPath(programme.id)}?limit=2`);
    expect(page1.status).toBe(200);
    expect(page1.json.items.map((r: { receivedOn: string }) => r.receivedOn)).toEqual(['2025-03-05', '2025-02-05']);
    const page2 = await t.as.foundationViewer.get(`${receiptsPath(programme.id)}?limit=2&cursor=${page1.json.nextCursor}`);
    expect(page2.json.items.map((r: { receivedOn: string }) => r.receivedOn)).toEqual(['2025-01-05']);
    expect(page2.json.nextCursor).toBeNull();
    const filtered = await t.as.auditor.get(`${receiptsPath(programme.id)}?from=2025-02-01&to=2025-02-28`);
    expect(filtered.json.items).toHaveLength(1);
    const bad = await t.as.auditor.get(`${receiptsPath(programme.id)}?cursor=nonsense`);
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
    const programme = await makeProgramme(t.world);
    const before = await counts();
    const res = await t.as.finance.post(receiptsPath(programme.id), receiptBody(overrides), { idempotencyKey: newKey() });
    expect(res.status).toBe(400);
    expect(res.headers.get('Content-Type')).toContain('application/problem+json');
    expect(res.json).toMatchObject({ status: 400, code: 'invalid_request' });
    expect(res.json.errors.map((e: { path: string }) => e.path)).toContain(field);
    expect(await counts()).toEqual(before);
  });

  it('a missing field', async () => {
    const programme = await makeProgramme(t.world);
    const { amount: _omit, ...body } = receiptBody();
    const res = await t.as.finance.post(receiptsPath(programme.id), body, { idempotencyKey: newKey() });
    expect(res.status).toBe(400);
    expect(res.json.errors.map((e: { path: string }) => e.path)).toContain('amount');
  });

  it('malformed JSON', async () => {
    const programme = await makeProgramme(t.world);
    const res = await t.as.finance.post(receiptsPath(programme.id), undefined, { idempotencyKey: newKey(), rawBody: '{"amount": "1.00",' });
    expect(res.status).toBe(400);
    expect(res.json.code).toBe('malformed_json');
  });

  it('a missing Idempotency-Key', async () => {
    const programme = await makeProgramme(t.world);
    const before = await counts();
    const res = await t.as.finance.post(receiptsPath(programme.id), receiptBody());
    expect(res.status).toBe(400);
    expect(res.json.errors.map((e: { path: string }) => e.path)).toContain('idempotency-key');
    expect(await counts()).toEqual(before);
  });

  it('a programme id that is not a uuid, and one that does not exist', async () => {
    const notUuid = await t.as.finance.post(receiptsPath('nope'), receiptBody(), { idempotencyKey: newKey() });
    expect(notUuid.status).toBe(400);
    expect(notUuid.json.errors[0].path).toBe('programmeId');
    const missing = await t.as.finance.post(receiptsPath(crypto.randomUUID()), receiptBody(), { idempotencyKey: newKey() });
    expect(missing.status).toBe(404);
  });

  it('a remitter that exists but is not the funder (422), and one that does not exist (400)', async () => {
    const programme = await makeProgramme(t.world);
    const other = await makeOrganisation(t.db.prisma, 'foundation');
    const before = await counts();
    const wrong = await t.as.finance.post(receiptsPath(programme.id), receiptBody({ remitterId: other.id }), { idempotencyKey: newKey() });
    expect(wrong.status).toBe(422);
    expect(wrong.json.code).toBe('remitter_not_funder');
    const unknown = await t.as.finance.post(receiptsPath(programme.id), receiptBody({ remitterId: crypto.randomUUID() }), { idempotencyKey: newKey() });
    expect(unknown.status).toBe(400);
    expect(unknown.json.errors[0].path).toBe('remitterId');
    expect(await counts()).toEqual(before);
  });

  it('a bank reference already recorded for the programme (409)', async () => {
    const programme = await makeProgramme(t.world);
    const body = receiptBody();
    await t.as.finance.post(receiptsPath(programme.id), body, { idempotencyKey: newKey() });
    const before = await counts();
    const dup = await t.as.finance.post(receiptsPath(programme.id), body, { idempotencyKey: newKey() });
    expect(dup.status).toBe(409);
    expect(dup.json.code).toBe('duplicate_bank_reference');
    expect(await counts()).toEqual(before);
  });
});

describe('funding receipts — roles and scope', () => {
  it('only finance of the administering department may record; others get 403, or 404 outside their scope', async () => {
    const programme = await makeProgramme(t.world);
    const otherDepartment = await makeOrganisation(t.db.prisma, 'civil_affairs');
    const otherFinance = await makeUser(t.db.prisma, otherDepartment, 'finance');
    const otherFoundation = await makeOrganisation(t.db.prisma, 'foundation');
    const otherViewer = await makeUser(t.db.prisma, otherFoundation, 'foundation_viewer');
    const before = await counts();
    const expectations: [string, string, number][] = [
      ['caseworker', t.world.users.caseworker.token, 403],
      ['approver', t.world.users.approver.token, 403],
      ['foundation viewer of the funder', t.world.users.foundationViewer.token, 403],
      ['auditor', t.world.users.auditor.token, 403],
      ['admin', t.world.users.admin.token, 403],
      ['finance of another department', otherFinance.token, 404],
      ['viewer of another foundation', otherViewer.token, 404],
    ];
    for (const [who, token, status] of expectations) {
      const res = await t.as(token).post(receiptsPath(programme.id), receiptBody(), { idempotencyKey: newKey() });
      expect({ who, status: res.status }).toEqual({ who, status });
    }
    expect(await counts()).toEqual(before);
    const list = await t.as(otherViewer).get(receiptsPath(programme.id));
    expect(list.status).toBe(404);
    const caseworkerList = await t.as.caseworker.get(receiptsPath(programme.id));
    expect(caseworkerList.status).toBe(403);
  });

  it('a receipt of another programme answers 404 through this programme', async () => {
    const a = await makeProgramme(t.world);
    const b = await makeProgramme(t.world);
    const res = await t.as.finance.post(receiptsPath(a.id), receiptBody(), { idempotencyKey: newKey() });
    const cross = await t.as.auditor.get(`${receiptsPath(b.id)}/${res.json.id}`);
    expect(cross.status).toBe(404);
    const direct = await t.as.auditor.get(`${receiptsPath(a.id)}/${res.json.id}`);
    expect(direct.status).toBe(200);
  });
});

describe('POST …/funding-receipts/{id}/reversal', () => {
  it('posts the mirror transaction linked to the original, once', async () => {
    const programme = await makeProgramme(t.world);
    const rec = await t.as.finance.post(receiptsPath(programme.id), receiptBody({ amount: '500.00' }), { idempotencyKey: newKey() });
    const path = `${receiptsPath(programme.id)}/${rec.json.id}/reversal`;
    const res = await t.as.finance.post(path, { reason: 'Recorded twice by mistake' }, { idempotencyKey: newKey() });
    expect(res.status).toBe(200);
    expect(res.json.status).toBe('reversed');
    expect(res.json.reversal.reason).toBe('Recorded twice by mistake');
    const tx = await t.as.auditor.get(`/api/v1/programmes/${programme.id}/ledger/transactions/${res.json.reversal.id}`);
    expect(tx.json).toMatchObject({ kind: 'correction', reversesId: rec.json.ledgerTransaction.id });
    expect(tx.json.entries.map((e: { account: string; direction: string }) => `${e.direction}:${e.account}`)).toEqual(['credit:bank', 'debit:fund']);
    const balances = (await t.as.finance.get(`/api/v1/programmes/${programme.id}`)).json.balances;
    expect(balances).toMatchObject({ bank: '0.00', fund: '0.00' });
    const again = await t.as.finance.post(path, { reason: 'Recorded twice by mistake' }, { idempotencyKey: newKey() });
    expect(again.status).toBe(409);
    expect(again.json.code).toBe('already_reversed');
  });

  it('is refused when the money was already committed (fund would go below zero)', async () => {
    const programme = await makeProgramme(t.world);
    const rec = await t.as.finance.post(receiptsPath(programme.id), receiptBody({ amount: '500.00' }), { idempotencyKey: newKey() });
    await t.db.prisma.$transaction((tx) =>
      postTransaction(tx, {
        programmeId: programme.id,
        kind: 'grant_approved',
        eventDate: '2025-09-10',
        description: 'test commitment',
        sourceType: 'test',
        sourceId: crypto.randomUUID(),
        actorId: t.world.users.approver.actor.userId,
        postings: postings.grantApproved(crypto.randomUUID(), money('300.00')),
      }),
    );
    const before = await counts();
    const res = await t.as.finance.post(
      `${receiptsPath(programme.id)}/${rec.json.id}/reversal`,
      { reason: 'Bank recalled the transfer' },
      { idempotencyKey: newKey() },
    );
    expect(res.status).toBe(422);
    expect(res.json).toMatchObject({ code: 'insufficient_balance', account: 'fund', available: '200.00', needed: '500.00' });
    expect(await counts()).toEqual(before);
  });

  it('requires a reason, a real date, and the finance role', async () => {
    const programme = await makeProgramme(t.world);
    const rec = await t.as.finance.post(receiptsPath(programme.id), receiptBody({ amount: '5.00' }), { idempotencyKey: newKey() });
    const path = `${receiptsPath(programme.id)}/${rec.json.id}/reversal`;
    const noReason = await t.as.finance.post(path, {}, { idempotencyKey: newKey() });
    expect(noReason.status).toBe(400);
    expect(noReason.json.errors[0].path).toBe('reason');
    const badDate = await t.as.finance.post(path, { reason: 'wrong amount', eventDate: '2025-13-01' }, { idempotencyKey: newKey() });
    expect(badDate.json.errors[0].path).toBe('eventDate');
    const approver = await t.as.approver.post(path, { reason: 'wrong amount' }, { idempotencyKey: newKey() });
    expect(approver.status).toBe(403);
    const unknown = await t.as.finance.post(
      `${receiptsPath(programme.id)}/${crypto.randomUUID()}/reversal`,
      { reason: 'wrong amount' },
      { idempotencyKey: newKey() },
    );
    expect(unknown.status).toBe(404);
  });
});

describe('logs', () => {
  it('carry no bank references, amounts or tokens', async () => {
    const joined = t.logs.lines.join('\n');
    expect(joined).not.toContain('REF-');
    expect(joined).not.toContain('300000');
    expect(joined).not.toContain(t.world.users.finance.token);
    expect(t.logs.lines.length).toBeGreaterThan(10);
  });
});
