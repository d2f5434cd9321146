// Text the database cannot hold — a NUL character, a lone UTF-16 surrogate — is a 400 naming the
// field, in a body or a query, and nothing is written; never a 500.
import { describe, expect, it } from 'vitest';
import { makeProgramme } from '../support/fixtures.ts';
import { newKey } from '../support/http.ts';
import { useTestApp } from '../support/test-app.ts';

const t = useTestApp();

describe('malformed text', () => {
  it('a NUL in a funding receipt’s bank reference or note: 400 naming each, nothing recorded', async () => {
    const programme = await makeProgramme(t.world);
    const res = await t.as.finance.post(
      `/api/v1/programmes/${programme.id}/funding-receipts`,
      { remitterId: t.world.foundation.id, amount: '1000.00', receivedOn: '2025-09-01', bankReference: 'REF\u0000-1', note: 'first \u0000 transfer' },
      { idempotencyKey: newKey() },
    );
    expect(res.status).toBe(400);
    expect(res.json.errors.map((e: { path: string }) => e.path).sort()).toEqual(['bankReference', 'note']);
    expect(res.json.detail).toBe('请求中有字段不符合要求，请按各字段的提示修改 (The request has invalid fields.)');
    expect(await t.db.prisma.fundingReceipt.count({ where: { programmeId: programme.id } })).toBe(0);
  });

  it('a lone surrogate in a body field and a NUL in a query parameter: 400 naming the field', async () => {
    const programme = await makeProgramme(t.world);
    const res = await t.as.finance.post(
      `/api/v1/programmes/${programme.id}/funding-receipts`,
      { remitterId: t.world.foundation.id, amount: '1000.00', receivedOn: '2025-09-01', bankReference: 'REF-\uD83D' },
      { idempotencyKey: newKey() },
    );
    expect(res.status).toBe(400);
    expect(res.json.errors).toEqual([{ path: 'bankReference', message: 'must not contain a NUL character or a broken (lone surrogate) character' }]);
    const query = await t.as.auditor.get(`/api/v1/audit-events?recordType=grant&recordId=${encodeURIComponent('a\u0000b')}`);
    expect(query.status).toBe(400);
    expect(query.json.errors.map((e: { path: string }) => e.path)).toEqual(['recordId']);
  });
});

describe('cursors out of range', () => {
  it('a ledger cursor whose sequence number passes a bigint: 400 naming the cursor', async () => {
    const programme = await makeProgramme(t.world);
    const cursor = Buffer.from(JSON.stringify({ seq: '99999999999999999999' })).toString('base64url');
    const res = await t.as.finance.get(`/api/v1/programmes/${programme.id}/ledger/transactions?cursor=${cursor}`);
    expect(res.status).toBe(400);
    expect(res.json.errors.map((e: { path: string }) => e.path)).toEqual(['cursor']);
  });
});
