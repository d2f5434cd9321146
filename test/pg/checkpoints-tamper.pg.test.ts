// The six tamperings of test/integration/checkpoints-tamper.test.ts on a real PostgreSQL server, as
// its superuser would do them: half with ALTER TABLE … DISABLE TRIGGER ALL, half with
// session_replication_role = replica. Each after a signed checkpoint of both heads: the verifiers
// alone pass every one; against the checkpoints five are caught, and the forgery appended after the
// newest checkpoint is not — the ledger's seals catch it, and every re-chaining or renumbering too
// (README, "Signed checkpoints").
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../src/audit/verify.ts';
import { directoryArchive } from '../../src/checkpoints/archive-node.ts';
import type { CheckpointArchive } from '../../src/checkpoints/archive.ts';
import { checkAgainstCheckpoints } from '../../src/checkpoints/check.ts';
import { signerFromSeed } from '../../src/checkpoints/ed25519.ts';
import { takeCheckpoints } from '../../src/checkpoints/take.ts';
import type { Tx } from '../../src/db/transaction.ts';
import type { CheckpointChain } from '../../src/domain/checkpoint.ts';
import { verifyLedger } from '../../src/ledger/verify.ts';
import { configureLedgerSeal, deriveSealKey } from '../../src/ledger/seal-key.ts';
import { verifySeals } from '../../src/ledger/verify-seals.ts';
import { recordFundingReceipt } from '../../src/services/funding-receipts.ts';
import { makeProgramme } from '../support/fixtures.ts';
import { usePgTestDatabase } from '../support/pg-test-database.ts';
import { appendForgedCopy, asSuperuser, deleteNewestAuditEvent, deleteTransactions, rechainLedger } from '../support/superuser-tamper.ts';

const TAMPERINGS: {
  name: string;
  how: 'replica' | 'disable-triggers';
  chain: CheckpointChain;
  caught: boolean;
  sealsCatch: boolean;
  work: (tx: Tx) => Promise<void>;
}[] = [
  {
    name: 'the newest transaction deleted',
    how: 'disable-triggers',
    chain: 'ledger',
    caught: true,
    sealsCatch: false,
    work: (tx) => deleteTransactions(tx, 5),
  },
  { name: 'the newest three deleted', how: 'replica', chain: 'ledger', caught: true, sealsCatch: false, work: (tx) => deleteTransactions(tx, 3, 4, 5) },
  {
    name: 'a forged balanced transaction appended after the checkpoint, re-chained',
    how: 'disable-triggers',
    chain: 'ledger',
    caught: false,
    sealsCatch: true,
    work: async (tx) => {
      await appendForgedCopy(tx, 5);
      await rechainLedger(tx);
    },
  },
  {
    name: 'an amount edited and re-chained',
    how: 'replica',
    chain: 'ledger',
    caught: true,
    sealsCatch: true,
    work: async (tx) => {
      await tx.$executeRawUnsafe(`UPDATE ledger_entry SET amount = 150 WHERE transaction_id = (SELECT id FROM ledger_transaction WHERE seq = 2)`);
      await rechainLedger(tx);
    },
  },
  {
    name: 'a middle transaction deleted and re-chained',
    how: 'disable-triggers',
    chain: 'ledger',
    caught: true,
    sealsCatch: true,
    work: async (tx) => {
      await deleteTransactions(tx, 2);
      await rechainLedger(tx);
    },
  },
  {
    name: 'the newest audit event deleted and the head rewritten',
    how: 'replica',
    chain: 'audit',
    caught: true,
    sealsCatch: false,
    work: deleteNewestAuditEvent,
  },
];

describe.skipIf(!process.env.TEST_DATABASE_URL)('signed checkpoints against a PostgreSQL superuser', () => {
  const t = usePgTestDatabase(4, { perTest: true });
  const dirs: string[] = [];
  let archive: CheckpointArchive;
  const seed = new Uint8Array(32).fill(11);
  beforeAll(async () => configureLedgerSeal(await deriveSealKey(seed)));
  afterAll(() => {
    configureLedgerSeal(null);
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  beforeEach(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'checkpoints-pg-'));
    dirs.push(dir);
    archive = directoryArchive(dir);
  });

  it.each(TAMPERINGS)(
    '$name ($how): the verifier alone passes; caught with checkpoints: $caught, with seals: $sealsCatch',
    { timeout: 120_000 },
    async (tampering) => {
      const signer = await signerFromSeed(seed);
      const programme = await makeProgramme(t.world);
      for (const amount of ['100.00', '200.00', '300.00', '400.00', '500.00']) {
        await recordFundingReceipt({
          ctx: t.world.users.finance.ctx,
          input: { programmeId: programme.id, remitterId: t.world.foundation.id, amount, receivedOn: '2025-09-01', bankReference: `REF-${randomUUID()}` },
        });
      }
      await takeCheckpoints({ db: t.db.prisma, signer, archive });
      await asSuperuser(t.db.prisma, tampering.work, tampering.how);

      expect((await verifyLedger(t.db.prisma)).ok).toBe(true);
      expect((await verifyAuditChain(t.db.prisma)).ok).toBe(true);
      const checked = await checkAgainstCheckpoints(t.db.prisma, tampering.chain, await archive.files(), signer.publicKey);
      expect(checked.ok).toBe(!tampering.caught);
      expect((await verifySeals(t.db.prisma, await deriveSealKey(seed))).ok).toBe(!tampering.sealsCatch);
      // The triggers are back on: an ordinary update is refused again.
      await expect(t.db.prisma.$executeRawUnsafe(`UPDATE ledger_transaction SET description = 'x' WHERE seq = 1`)).rejects.toThrow();
    },
  );
});
