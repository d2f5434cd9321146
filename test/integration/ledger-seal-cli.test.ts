// `ledger:verify --seals` end to end on an embedded database on disk, sealed as the service seals
// it (key derived from the signing key file beside the data): it passes and says from which
// sequence the ledger is sealed; after a superuser appends a forged, correctly hashed transaction
// (which the plain verifier passes) it exits 1 naming that sequence; with another signing key it
// exits 1 too; and the sealed ledger's checkpoint signs `sealedFrom`.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { toBase64 } from '../../src/checkpoints/ed25519.ts';
import { openDatabase } from '../../src/db/client.ts';
import { applyMigrations } from '../../src/db/migrations.ts';
import { sealLedgerAppends } from '../../src/ledger/seal-key-node.ts';
import { configureLedgerSeal } from '../../src/ledger/seal-key.ts';
import { recordFundingReceipt } from '../../src/services/funding-receipts.ts';
import { makeProgramme, makeWorld } from '../support/fixtures.ts';
import { runScript } from '../support/run-script.ts';
import { appendForgedCopy, asSuperuser, rechainLedger } from '../support/superuser-tamper.ts';

describe('npm run ledger:verify -- --seals (the CLI)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'ledger-seal-cli-'));
  afterAll(() => {
    configureLedgerSeal(null);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('passes on a sealed ledger, then names the forged append that the plain verifier passes', { timeout: 300_000 }, async () => {
    let db = await openDatabase({ kind: 'embedded', dataDir });
    try {
      await applyMigrations(db.adapterFactory);
      await sealLedgerAppends({ DATA_DIR: dataDir });
      const world = await makeWorld(db.prisma);
      const programme = await makeProgramme(world);
      for (const amount of ['100.00', '200.00', '300.00']) {
        await recordFundingReceipt({
          ctx: world.users.finance.ctx,
          input: { programmeId: programme.id, remitterId: world.foundation.id, amount, receivedOn: '2025-09-01', bankReference: `REF-${randomUUID()}` },
        });
      }
    } finally {
      configureLedgerSeal(null);
      await db.close();
    }

    const intact = await runScript('ledger-verify', ['--seals'], dataDir);
    expect(intact.stdout).toContain('封印 Seals: 账本封印自 ledger sealed 第 1 条起 from seq 1; 已核验封印 seals checked 3 / 3 transactions');
    expect(intact.stdout).toContain('封印结果 Seals: 通过 OK');
    expect(intact.code).toBe(0);

    expect((await runScript('checkpoint', [], dataDir)).code).toBe(0);
    expect(JSON.parse(readFileSync(join(dataDir, 'checkpoints', 'ledger-000000000003.json'), 'utf8'))).toMatchObject({ sealedFrom: '1' });

    db = await openDatabase({ kind: 'embedded', dataDir });
    try {
      await asSuperuser(db.prisma, async (tx) => {
        await appendForgedCopy(tx, 3);
        await rechainLedger(tx);
      });
    } finally {
      await db.close();
    }
    expect((await runScript('ledger-verify', ['--checkpoints', join(dataDir, 'checkpoints')], dataDir)).code).toBe(0);
    const forged = await runScript('ledger-verify', ['--seals'], dataDir);
    expect(forged.stdout).toContain('结果 Result: 通过 OK');
    expect(forged.stdout).toContain(
      '封印结果 Seals: 失败 FAILED — 第一个问题 first bad sequence number 4: has no seal: appended without the sealing key, or its seal was deleted',
    );
    expect(forged.code).toBe(1);

    const otherKey = await runScript('ledger-verify', ['--seals'], dataDir, { CHECKPOINT_SIGNING_KEY: toBase64(new Uint8Array(32).fill(3)) });
    expect(otherKey.stdout).toContain('first bad sequence number 1: its seal does not verify with the sealing key');
    expect(otherKey.code).toBe(1);
  });
});
