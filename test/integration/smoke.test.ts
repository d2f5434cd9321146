import { describe, expect, it } from 'vitest';
import { recordFundingReceipt } from '../../src/services/funding-receipts.ts';
import { verifyLedger } from '../../src/ledger/verify.ts';
import { makeProgramme } from '../support/fixtures.ts';
import { useTestApp } from '../support/test-app.ts';

const t = useTestApp();

describe('smoke', () => {
  it('records a receipt and verifies', async () => {
    const programme = await makeProgramme(t.world);
    const r = await recordFundingReceipt({
      ctx: t.world.users.finance.ctx,
      input: { programmeId: programme.id, remitterId: t.world.foundation.id, amount: '300000.00', receivedOn: '2025-09-01', bankReference: 'B1' },
    });
    expect(r.amount).toBe('300000.00');
    expect(r.ledgerTransaction.seq).toBe('1');
    const v = await verifyLedger(t.db.prisma);
    expect(v).toMatchObject({ ok: true, transactionsChecked: 1 });
  });
});
