import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import { recordFundingReceipt } from '../../src/services/funding-receipts.ts';
import { verifyLedger } from '../../src/ledger/verify.ts';
import { openTestDatabase } from '../support/database.ts';
import { makeProgramme, makeWorld, type World } from '../support/fixtures.ts';

let db: Database;
let world: World;
beforeAll(async () => {
  db = await openTestDatabase();
  world = await makeWorld(db.prisma);
});
afterAll(async () => db?.close());

describe('smoke', () => {
  it('records a receipt and verifies', async () => {
    const programme = await makeProgramme(world);
    const r = await recordFundingReceipt({
      ctx: world.users.finance.ctx,
      input: { programmeId: programme.id, remitterId: world.foundation.id, amount: '300000.00', receivedOn: '2025-09-01', bankReference: 'B1' },
    });
    expect(r.amount).toBe('300000.00');
    expect(r.ledgerTransaction.seq).toBe('1');
    const v = await verifyLedger(db.prisma);
    expect(v).toMatchObject({ ok: true, transactionsChecked: 1 });
  });
});
