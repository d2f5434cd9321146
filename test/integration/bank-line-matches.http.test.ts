// The hand match of a bank line through the API: POST /bank-line-matches (maker),
// POST …/{id}/confirmation or …/rejection (checker), GET /programmes/{id}/bank-line-matches.
import { beforeAll, describe, expect, it } from 'vitest';
import { importExceptions, makeSentPayouts } from '../support/bank-line-matches.ts';
import { makeAuditorEngagedOn, makeOrganisation, makeProgramme, makeUser, type TestUser } from '../support/fixtures.ts';
import { newKey } from '../support/http.ts';
import { useTestApp } from '../support/test-app.ts';

const t = useTestApp();
let checker: TestUser;
let outsider: TestUser;

beforeAll(async () => {
  checker = await makeUser(t.db.prisma, t.world.department, 'finance');
  outsider = await makeUser(t.db.prisma, await makeOrganisation(t.db.prisma, 'civil_affairs'), 'finance');
});

const reason = '银行流水未带参考号，经与开户行核对为该笔发放';

async function scene() {
  const hm = await makeSentPayouts(t.db.prisma, t.world);
  const imported = await importExceptions(t.world, hm);
  return { ...hm, imported };
}

describe('POST /api/v1/bank-line-matches and its confirmation', () => {
  it('proposes (201, replayed alike with the same key), lists it, and a checker confirms: the payout settles', async () => {
    const s = await scene();
    const body = { importId: s.imported.id, position: 1, payoutReference: s.payouts[0]!.reference, reason };
    const key = newKey();
    const proposed = await t.as.finance.post('/api/v1/bank-line-matches', body, { idempotencyKey: key });
    expect(proposed.status).toBe(201);
    expect(proposed.json).toMatchObject({ status: 'proposed', payout: { id: s.payouts[0]!.id, amount: s.payouts[0]!.amount } });
    const replayed = await t.as.finance.post('/api/v1/bank-line-matches', body, { idempotencyKey: key });
    expect([replayed.status, replayed.json.id]).toEqual([201, proposed.json.id]);

    const listed = await t.as.approver.get(`/api/v1/programmes/${s.programme.id}/bank-line-matches`);
    expect(listed.status).toBe(200);
    expect(listed.json.items.map((m: { id: string }) => m.id)).toEqual([proposed.json.id]);

    const same = await t.as.finance.post(`/api/v1/bank-line-matches/${proposed.json.id}/confirmation`, undefined, { idempotencyKey: newKey() });
    expect([same.status, same.json.code]).toEqual([422, 'maker_checker']);
    const confirmed = await t.as(checker).post(`/api/v1/bank-line-matches/${proposed.json.id}/confirmation`, undefined, { idempotencyKey: newKey() });
    expect(confirmed.status).toBe(200);
    expect(confirmed.json).toMatchObject({ status: 'confirmed', payout: { status: 'settled' }, line: { outcome: 'matched_by_hand' } });
    const again = await t.as.approver.post(`/api/v1/bank-line-matches/${proposed.json.id}/confirmation`, undefined, { idempotencyKey: newKey() });
    expect([again.status, again.json.code]).toEqual([409, 'hand_match_already_decided']);
    const payouts = await t.as.finance.get(`/api/v1/payouts?programmeId=${s.programme.id}&status=settled`);
    expect(payouts.json.items.map((p: { id: string }) => p.id)).toEqual([s.payouts[0]!.id]);
  });

  it('rejects with a reason (200), and the line can be proposed again', async () => {
    const s = await scene();
    const body = { importId: s.imported.id, position: 3, payoutId: s.payouts[0]!.id, reason };
    const first = await t.as.finance.post('/api/v1/bank-line-matches', body, { idempotencyKey: newKey() });
    const rejected = await t.as.approver.post(
      `/api/v1/bank-line-matches/${first.json.id}/rejection`,
      { reason: '参考号属于其他项目的款项' },
      { idempotencyKey: newKey() },
    );
    expect([rejected.status, rejected.json.status]).toEqual([200, 'rejected']);
    expect((await t.as.finance.post('/api/v1/bank-line-matches', body, { idempotencyKey: newKey() })).status).toBe(201);
  });

  it('bad input names the field (400), a rule names its code (422), a second match of the line is a 409', async () => {
    const s = await scene();
    const bad = await t.as.finance.post(
      '/api/v1/bank-line-matches',
      { importId: s.imported.id, position: 1, payoutId: s.payouts[0]!.id, reason: '核对' },
      { idempotencyKey: newKey() },
    );
    expect(bad.status).toBe(400);
    expect(bad.json.errors.map((e: { path: string }) => e.path)).toEqual(['reason']);
    const noKey = await t.as.finance.post('/api/v1/bank-line-matches', { importId: s.imported.id, position: 1, payoutId: s.payouts[0]!.id, reason });
    expect(noKey.status).toBe(400);
    const amount = await t.as.finance.post(
      '/api/v1/bank-line-matches',
      { importId: s.imported.id, position: 1, payoutId: s.payouts[1]!.id, reason },
      { idempotencyKey: newKey() },
    );
    expect([amount.status, amount.json.code]).toEqual([422, 'hand_match_amount_differs']);
    expect(amount.json.detail).toContain('(The line is for');
    await t.as.finance.post(
      '/api/v1/bank-line-matches',
      { importId: s.imported.id, position: 1, payoutId: s.payouts[0]!.id, reason },
      { idempotencyKey: newKey() },
    );
    const twice = await t
      .as(checker)
      .post('/api/v1/bank-line-matches', { importId: s.imported.id, position: 1, payoutId: s.payouts[0]!.id, reason }, { idempotencyKey: newKey() });
    expect([twice.status, twice.json.code]).toEqual([409, 'bank_line_already_matched']);
  });

  it('wrong role (403) and other organisation (404), for proposing, confirming and listing', async () => {
    const s = await scene();
    const body = { importId: s.imported.id, position: 1, payoutId: s.payouts[0]!.id, reason };
    expect((await t.as.caseworker.post('/api/v1/bank-line-matches', body, { idempotencyKey: newKey() })).status).toBe(403);
    expect((await t.as.approver.post('/api/v1/bank-line-matches', body, { idempotencyKey: newKey() })).status).toBe(403);
    expect((await t.as(outsider).post('/api/v1/bank-line-matches', body, { idempotencyKey: newKey() })).status).toBe(404);
    const proposed = await t.as.finance.post('/api/v1/bank-line-matches', body, { idempotencyKey: newKey() });
    expect((await t.as.auditor.post(`/api/v1/bank-line-matches/${proposed.json.id}/confirmation`, undefined, { idempotencyKey: newKey() })).status).toBe(403);
    expect((await t.as(outsider).post(`/api/v1/bank-line-matches/${proposed.json.id}/confirmation`, undefined, { idempotencyKey: newKey() })).status).toBe(404);
    expect((await t.as(outsider).get(`/api/v1/programmes/${s.programme.id}/bank-line-matches`)).status).toBe(404);
    const elsewhere = await makeAuditorEngagedOn(t.db.prisma, t.world, [(await makeProgramme(t.world)).id]);
    expect((await t.as(elsewhere).get(`/api/v1/programmes/${s.programme.id}/bank-line-matches`)).status).toBe(404);
    expect((await t.as.auditor.get(`/api/v1/programmes/${s.programme.id}/bank-line-matches`)).status).toBe(200);
  });
});
