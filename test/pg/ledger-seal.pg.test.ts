// A sealed service on PostgreSQL: every append path seals what it posts in the same transaction —
// funding receipts written by concurrent requests through the group commit, single posts (grant
// approvals), a payout batch sent through ledger_post_pairs — and the seals verify with the key,
// fail with another key, and a deleted seal row is named by its sequence.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyLedger } from '../../src/ledger/verify.ts';
import { configureLedgerSeal, deriveSealKey, type SealKey } from '../../src/ledger/seal-key.ts';
import { verifySeals } from '../../src/ledger/verify-seals.ts';
import { recordFundingReceipt } from '../../src/services/funding-receipts.ts';
import { createPayoutBatch } from '../../src/services/payouts/batches.ts';
import { TODAY, exportAndSendBatch, makeApprovedGrants, makePayoutProgramme } from '../support/payouts.ts';
import { usePgTestDatabase } from '../support/pg-test-database.ts';
import { asSuperuser } from '../support/superuser-tamper.ts';

const WRITERS = 16;

describe.skipIf(!process.env.TEST_DATABASE_URL)('ledger seals on PostgreSQL', () => {
  const t = usePgTestDatabase(WRITERS + 4);
  let key: SealKey;
  beforeAll(async () => {
    key = await deriveSealKey(new Uint8Array(32).fill(5));
    configureLedgerSeal(key);
  });
  afterAll(() => configureLedgerSeal(null));

  it('concurrent receipts, single posts and a payout batch are all sealed, and the seals verify', { timeout: 120_000 }, async () => {
    const programme = await makePayoutProgramme(t.world);
    await makeApprovedGrants(t.db.prisma, t.world, programme.id, ['4000.00', '4500.00', '5000.00']);
    // Concurrent requests outside any transaction: grouped into shared statements (group commit).
    await Promise.all(
      Array.from({ length: WRITERS }, (_, i) =>
        recordFundingReceipt({
          ctx: t.world.users.finance.ctx,
          input: {
            programmeId: programme.id,
            remitterId: t.world.foundation.id,
            amount: `${100 + i}.00`,
            receivedOn: '2025-09-01',
            bankReference: `REF-${randomUUID()}`,
          },
        }),
      ),
    );
    const batch = await createPayoutBatch({ ctx: t.world.users.finance.ctx, input: { programmeId: programme.id, cutoffOn: TODAY() } });
    await exportAndSendBatch(t.world.users.finance.ctx, batch.id);
    const sent = await t.db.prisma.ledgerTransaction.count({ where: { kind: 'payout_sent' } });
    expect(sent).toBe(3);

    expect((await verifyLedger(t.db.prisma)).ok).toBe(true);
    const seals = await verifySeals(t.db.prisma, key);
    expect(seals).toMatchObject({ ok: true, sealedFrom: '1', problems: [] });
    expect(seals.sealsChecked).toBe(seals.transactionsChecked);
    expect(seals.transactionsChecked).toBe(await t.db.prisma.ledgerTransaction.count());
  });

  it('another key: no seal verifies', async () => {
    const other = await deriveSealKey(new Uint8Array(32).fill(6));
    const seals = await verifySeals(t.db.prisma, other);
    expect(seals.ok).toBe(false);
    expect(seals.problems[0]).toEqual({ seq: '1', problem: 'its seal does not verify with the sealing key' });
  });

  it('a seal row deleted by a superuser is named by its sequence; an ordinary delete is refused', async () => {
    await expect(t.db.prisma.$executeRawUnsafe(`DELETE FROM ledger_seal WHERE seq = 3`)).rejects.toThrow(/append-only/);
    await asSuperuser(t.db.prisma, (tx) => tx.$executeRawUnsafe(`DELETE FROM ledger_seal WHERE seq = 3`).then(() => {}));
    const seals = await verifySeals(t.db.prisma, key);
    expect(seals.ok).toBe(false);
    expect(seals.problems).toEqual([{ seq: '3', problem: 'has no seal: appended without the sealing key, or its seal was deleted' }]);
  });
});
