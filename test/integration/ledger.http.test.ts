import { describe, expect, it } from 'vitest';
import { recordFundingReceipt } from '../../src/services/funding-receipts.ts';
import { makeOrganisation, makeProgramme, makeUser } from '../support/fixtures.ts';
import { useTestApp } from '../support/test-app.ts';

const t = useTestApp();

async function receive(programmeId: string, amount: string, receivedOn = '2025-09-01') {
  return recordFundingReceipt({
    ctx: t.world.users.finance.ctx,
    input: { programmeId, remitterId: t.world.foundation.id, amount, receivedOn, bankReference: crypto.randomUUID() },
  });
}

describe('GET /programmes/{id}/ledger/transactions', () => {
  it('lists a programme’s transactions in sequence order with entries, paginated and filtered', async () => {
    const programme = await makeProgramme(t.world);
    const other = await makeProgramme(t.world);
    await receive(programme.id, '100.00', '2025-09-01');
    await receive(other.id, '1.00');
    await receive(programme.id, '200.00', '2025-10-01');
    await receive(programme.id, '300.00', '2025-11-01');
    const path = `/api/v1/programmes/${programme.id}/ledger/transactions`;
    const first = await t.as.foundationViewer.get(`${path}?limit=2`);
    expect(first.status).toBe(200);
    expect(first.json.items.map((t: { entries: { amount: string }[] }) => t.entries[0]?.amount)).toEqual(['100.00', '200.00']);
    const seqs = first.json.items.map((t: { seq: string }) => Number(t.seq));
    expect(seqs[1]).toBeGreaterThan(seqs[0]);
    const second = await t.as.foundationViewer.get(`${path}?limit=2&cursor=${first.json.nextCursor}`);
    expect(second.json.items.map((t: { entries: { balanceAfter: string }[] }) => t.entries[0]?.balanceAfter)).toEqual(['600.00']);
    expect(second.json.nextCursor).toBeNull();
    const october = await t.as.auditor.get(`${path}?from=2025-10-01&to=2025-10-31&kind=funding_received`);
    expect(october.json.items).toHaveLength(1);
    const wrongKind = await t.as.auditor.get(`${path}?kind=gift`);
    expect(wrongKind.status).toBe(400);
    expect(wrongKind.json.errors[0].path).toBe('kind');
  });

  it('is closed to caseworkers and approvers (403), and to other organisations (404)', async () => {
    const programme = await makeProgramme(t.world);
    const tx = await receive(programme.id, '10.00');
    const path = `/api/v1/programmes/${programme.id}/ledger/transactions`;
    expect((await t.as.caseworker.get(path)).status).toBe(403);
    expect((await t.as.approver.get(path)).status).toBe(403);
    const otherViewer = await makeUser(t.db.prisma, await makeOrganisation(t.db.prisma, 'foundation'), 'foundation_viewer');
    expect((await t.as(otherViewer).get(path)).status).toBe(404);
    expect((await t.as(otherViewer).get(`${path}/${tx.ledgerTransaction.id}`)).status).toBe(404);
    const other = await makeProgramme(t.world);
    const crossed = await t.as.auditor.get(`/api/v1/programmes/${other.id}/ledger/transactions/${tx.ledgerTransaction.id}`);
    expect(crossed.status).toBe(404);
  });
});

describe('GET /ledger/verification', () => {
  it('lets auditors and admins recompute the chain; others are refused', async () => {
    const programme = await makeProgramme(t.world);
    await receive(programme.id, '10.00');
    const res = await t.as.auditor.get('/api/v1/ledger/verification');
    expect(res.status).toBe(200);
    const count = await t.db.prisma.ledgerTransaction.count();
    expect(res.json).toMatchObject({ ok: true, transactionsChecked: count, entriesChecked: count * 2, firstProblem: null, problems: [] });
    const head = await t.db.prisma.ledgerTransaction.findFirstOrThrow({ orderBy: { seq: 'desc' } });
    expect(res.json.head).toEqual({ seq: head.seq.toString(), hash: head.hash });
    expect((await t.as.admin.get('/api/v1/ledger/verification')).status).toBe(200);
    for (const user of [t.world.users.finance, t.world.users.caseworker, t.world.users.foundationViewer]) {
      expect((await t.as(user).get('/api/v1/ledger/verification')).status).toBe(403);
    }
  });
});
