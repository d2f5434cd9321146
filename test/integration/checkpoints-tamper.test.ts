// The six tamperings a database superuser can do to the hash chains, each done with raw SQL
// (triggers off) after a signed checkpoint of the heads was taken: the verifiers alone, which trust
// the database for where the chain ends, see nothing wrong; checked against the checkpoints, five
// of six are caught. The sixth — a forged transaction appended after the newest checkpoint, hashed
// with the published algorithm — is past what any checkpoint signed: the ledger's seals catch it,
// a MAC with a key the database never holds (README, "Signed checkpoints").
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../src/audit/verify.ts';
import { directoryArchive } from '../../src/checkpoints/archive-node.ts';
import type { CheckpointArchive } from '../../src/checkpoints/archive.ts';
import { checkAgainstCheckpoints } from '../../src/checkpoints/check.ts';
import { type CheckpointSigner, signerFromSeed } from '../../src/checkpoints/ed25519.ts';
import { takeCheckpoints } from '../../src/checkpoints/take.ts';
import type { Database } from '../../src/db/client.ts';
import type { CheckpointChain } from '../../src/domain/checkpoint.ts';
import { verifyLedger } from '../../src/ledger/verify.ts';
import { configureLedgerSeal, deriveSealKey, type SealKey } from '../../src/ledger/seal-key.ts';
import { verifySeals } from '../../src/ledger/verify-seals.ts';
import { recordFundingReceipt } from '../../src/services/funding-receipts.ts';
import { openTestDatabase } from '../support/database.ts';
import { makeProgramme, makeWorld } from '../support/fixtures.ts';
import { appendForgedCopy, asSuperuser, deleteNewestAuditEvent, deleteTransactions, rechainLedger } from '../support/superuser-tamper.ts';

const SEED = new Uint8Array(32).fill(7);

describe('signed checkpoints against a superuser’s tampering (embedded database)', () => {
  let db: Database;
  let signer: CheckpointSigner;
  let archive: CheckpointArchive;
  let dir: string;
  const dirs: string[] = [];
  let sealKey: SealKey;

  beforeEach(async () => {
    await db?.close();
    // The service seals its appends with a key derived from the same seed (src/server.ts).
    sealKey = await deriveSealKey(SEED);
    configureLedgerSeal(sealKey);
    db = await openTestDatabase();
    signer = await signerFromSeed(SEED);
    dir = mkdtempSync(join(tmpdir(), 'checkpoints-tamper-'));
    dirs.push(dir);
    archive = directoryArchive(dir);
    const world = await makeWorld(db.prisma);
    const programme = await makeProgramme(world);
    for (const amount of ['100.00', '200.00', '300.00', '400.00', '500.00', '600.00']) {
      await recordFundingReceipt({
        ctx: world.users.finance.ctx,
        input: { programmeId: programme.id, remitterId: world.foundation.id, amount, receivedOn: '2025-09-01', bankReference: `REF-${randomUUID()}` },
      });
    }
    const taken = await takeCheckpoints({ db: db.prisma, signer, archive });
    expect(taken.map((t) => t.outcome)).toEqual(['taken', 'taken']);
  });
  afterAll(async () => {
    configureLedgerSeal(null);
    await db?.close();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  const check = async (chain: CheckpointChain) => checkAgainstCheckpoints(db.prisma, chain, await archive.files(), signer.publicKey);
  const seals = () => verifySeals(db.prisma, sealKey);

  it('untampered: both verifiers, both checkpoints and the seals hold; the ledger checkpoint signs where the seals start', async () => {
    expect((await verifyLedger(db.prisma)).ok).toBe(true);
    expect((await verifyAuditChain(db.prisma)).ok).toBe(true);
    expect(await check('ledger')).toEqual({ chain: 'ledger', ok: true, confirmed: 1, confirmedUpTo: '6', problems: [] });
    expect((await check('audit')).ok).toBe(true);
    expect(await seals()).toEqual({ ok: true, sealedFrom: '1', transactionsChecked: 6, sealsChecked: 6, problems: [] });
    expect((await archive.latest('ledger'))?.sealedFrom).toBe('1');
    expect((await archive.latest('audit'))?.sealedFrom).toBeUndefined();
  });

  it('1. the newest transaction deleted: the verifier alone misses it; the chain is shorter than the checkpoint', async () => {
    await asSuperuser(db.prisma, (tx) => deleteTransactions(tx, 6));
    expect((await verifyLedger(db.prisma)).ok).toBe(true);
    const result = await check('ledger');
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual([expect.objectContaining({ sequence: '6', en: expect.stringContaining('shorter than a signed checkpoint') })]);
  });

  it('2. the newest three transactions deleted: missed alone, caught by the checkpoint', async () => {
    await asSuperuser(db.prisma, (tx) => deleteTransactions(tx, 4, 5, 6));
    expect((await verifyLedger(db.prisma)).ok).toBe(true);
    expect((await check('ledger')).problems).toEqual([expect.objectContaining({ sequence: '6', zh: expect.stringContaining('链比检查点短') })]);
  });

  it('3. a forged balanced transaction appended after the checkpoint, hashed with the published algorithm: missed by both, caught by the seals', async () => {
    await asSuperuser(db.prisma, async (tx) => {
      await appendForgedCopy(tx, 6);
      await rechainLedger(tx);
    });
    const alone = await verifyLedger(db.prisma);
    expect(alone.ok).toBe(true);
    expect(alone.transactionsChecked).toBe(7);
    // The chain still extends the checkpoint: what came after it was never signed.
    expect((await check('ledger')).ok).toBe(true);
    // But it has no seal, and the database holds nothing to make one with.
    expect((await seals()).problems).toEqual([{ seq: '7', problem: 'has no seal: appended without the sealing key, or its seal was deleted' }]);
  });

  it('3c. the same forgery with a seal row made up for it: the seal does not verify', async () => {
    await asSuperuser(db.prisma, async (tx) => {
      await appendForgedCopy(tx, 6);
      await rechainLedger(tx);
      await tx.$executeRawUnsafe(`INSERT INTO ledger_seal (transaction_id, seq, mac) SELECT id, seq, $1 FROM ledger_transaction WHERE seq = 7`, 'a'.repeat(64));
    });
    expect((await seals()).problems).toEqual([{ seq: '7', problem: 'its seal does not verify with the sealing key' }]);
  });

  it('3d. every seal deleted (so that the forgery seems to come from an unsealed ledger): the seals and the checkpoint both say so', async () => {
    await asSuperuser(db.prisma, async (tx) => {
      await tx.$executeRawUnsafe('DELETE FROM ledger_seal');
      await appendForgedCopy(tx, 6);
      await rechainLedger(tx);
    });
    expect((await seals()).problems).toEqual([{ seq: '1', problem: 'no transaction is sealed' }]);
    expect((await check('ledger')).problems).toEqual([
      expect.objectContaining({ sequence: '6', en: '6 of the transactions 1 to 6 have no seal: seals were deleted' }),
    ]);
  });

  it('3b. the same forgery slipped in before the checkpoint’s head instead (inserted, re-chained): caught', async () => {
    await asSuperuser(db.prisma, async (tx) => {
      await appendForgedCopy(tx, 2);
      // Moved to sequence 3, the rest one down: an insertion in the middle.
      await tx.$executeRawUnsafe(`UPDATE ledger_transaction SET seq = seq + 1000000 WHERE seq >= 3`);
      await tx.$executeRawUnsafe(`UPDATE ledger_transaction SET seq = 3 WHERE seq = 1000007`);
      await tx.$executeRawUnsafe(`UPDATE ledger_transaction SET seq = seq - 999999 WHERE seq > 1000000`);
      await rechainLedger(tx);
    });
    expect((await verifyLedger(db.prisma)).ok).toBe(true);
    expect((await check('ledger')).problems).toEqual([expect.objectContaining({ sequence: '6', en: expect.stringContaining('is not the signed one') })]);
  });

  it('4. an amount edited (both lines, still balanced) and everything re-chained: missed alone, caught by the checkpoint', async () => {
    await asSuperuser(db.prisma, async (tx) => {
      await tx.$executeRawUnsafe(`UPDATE ledger_entry SET amount = 250 WHERE transaction_id = (SELECT id FROM ledger_transaction WHERE seq = 4)`);
      await rechainLedger(tx);
    });
    expect((await verifyLedger(db.prisma)).ok).toBe(true);
    expect((await check('ledger')).problems).toEqual([expect.objectContaining({ sequence: '6', en: expect.stringContaining('is not the signed one') })]);
    // Every hash from 4 on changed: none of their seals verifies any more.
    expect((await seals()).problems.map((p) => p.seq)).toEqual(['4', '5', '6']);
  });

  it('5. a middle transaction deleted and the chain re-numbered and re-chained: missed alone, caught by the checkpoint', async () => {
    await asSuperuser(db.prisma, async (tx) => {
      await deleteTransactions(tx, 3);
      await rechainLedger(tx);
    });
    const alone = await verifyLedger(db.prisma);
    expect(alone.ok).toBe(true);
    expect(alone.transactionsChecked).toBe(5);
    expect((await check('ledger')).problems).toEqual([
      expect.objectContaining({ sequence: '6', en: expect.stringContaining('shorter than a signed checkpoint') }),
    ]);
  });

  it('6. the newest audit event deleted and the audit head rewritten: missed alone, caught by the checkpoint', async () => {
    const before = await verifyAuditChain(db.prisma);
    await asSuperuser(db.prisma, deleteNewestAuditEvent);
    const alone = await verifyAuditChain(db.prisma);
    expect(alone.ok).toBe(true);
    expect(alone.chainRowsChecked).toBe(before.chainRowsChecked - 1);
    expect((await check('audit')).problems).toEqual([
      expect.objectContaining({ sequence: before.head.seq, en: expect.stringContaining('shorter than a signed checkpoint') }),
    ]);
  });

  it('after any of these, the next checkpoint is refused rather than signed over the cut chain', async () => {
    await asSuperuser(db.prisma, (tx) => deleteTransactions(tx, 6));
    const outcomes = await takeCheckpoints({ db: db.prisma, signer, archive });
    expect(outcomes[0]).toEqual({ chain: 'ledger', outcome: 'refused', problem: 'the chain no longer reaches sequence 6 of its newest checkpoint' });
    expect(outcomes[1]).toEqual({ chain: 'audit', outcome: 'unchanged' });
  });
});
