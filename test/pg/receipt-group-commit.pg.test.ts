// Concurrent receipts share one statement (group commit); each must still succeed or fail on its own.
import { describe, expect, it } from 'vitest';
import { verifyLedger } from '../../src/ledger/verify.ts';
import { recordFundingReceipt } from '../../src/services/funding-receipts.ts';
import { TEST_DATABASE_URL } from '../support/database.ts';
import { makeOrganisation, makeProgramme, makeUser } from '../support/fixtures.ts';
import { usePgTestDatabase } from '../support/pg-test-database.ts';

describe.skipIf(!TEST_DATABASE_URL)('funding receipts written together', () => {
  const t = usePgTestDatabase();

  it('a duplicate, a wrong remitter and an out-of-scope request in the same burst fail alone; the rest are posted once', async () => {
    const programme = await makeProgramme(t.world);
    const otherDepartment = await makeOrganisation(t.db.prisma, 'civil_affairs');
    const outsider = await makeUser(t.db.prisma, otherDepartment, 'finance');
    const input = (bankReference: string, overrides: Record<string, string> = {}) => ({
      programmeId: programme.id,
      remitterId: t.world.foundation.id,
      amount: '100.00',
      receivedOn: '2025-09-01',
      bankReference,
      ...overrides,
    });
    const calls = [
      ...Array.from({ length: 20 }, (_, i) => recordFundingReceipt({ ctx: t.world.users.finance.ctx, input: input(`OK-${i}`) })),
      recordFundingReceipt({ ctx: t.world.users.finance.ctx, input: input('OK-3') }),
      recordFundingReceipt({ ctx: t.world.users.finance.ctx, input: input('WRONG-REMITTER', { remitterId: t.world.department.id }) }),
      recordFundingReceipt({ ctx: outsider.ctx, input: input('OUTSIDER') }),
    ];
    const results = await Promise.allSettled(calls);
    const fulfilled = results.filter((r) => r.status === 'fulfilled');
    const codes = results
      .filter((r): r is PromiseRejectedResult => r.status === 'rejected')
      .map((r) => (r.reason as { code: string }).code)
      .sort();
    expect(fulfilled).toHaveLength(20);
    expect(codes).toEqual(['duplicate_bank_reference', 'not_found', 'remitter_not_funder']);
    expect(await t.db.prisma.fundingReceipt.count({ where: { programmeId: programme.id } })).toBe(20);
    expect(await t.db.prisma.auditEvent.count({ where: { action: 'funding_receipt.record' } })).toBe(20);
    const seqs = fulfilled.map((r) => Number((r as PromiseFulfilledResult<{ ledgerTransaction: { seq: string } }>).value.ledgerTransaction.seq));
    expect(new Set(seqs).size).toBe(20);
    const result = await verifyLedger(t.db.prisma);
    expect(result.ok).toBe(true);
    const balances = await t.db.prisma.$queryRaw<{ balance: string }[]>`
      SELECT e.balance_after::text AS balance FROM ledger_entry e JOIN ledger_account a ON a.id = e.account_id
      WHERE a.programme_id = ${programme.id}::uuid AND a.code = 'fund' ORDER BY e.seq DESC LIMIT 1`;
    expect(balances[0]?.balance).toBe('2000.00');
  });
});
