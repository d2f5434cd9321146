// The command line end to end on an embedded database on disk: `npm run checkpoint` creates the
// signing key beside the data (0600) and signs both chains; `ledger:verify` / `audit:verify
// --checkpoints DIR` pass, then, after a superuser cut the newest rows, exit 1 with a Chinese and
// English report while the plain verifiers still pass; an altered checkpoint file or one checked
// against another public key is reported and not trusted; a new checkpoint is refused.
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { signerFromSeed, toBase64 } from '../../src/checkpoints/ed25519.ts';
import { CHECKPOINT_KEY_FILE } from '../../src/checkpoints/key-source-node.ts';
import { openDatabase } from '../../src/db/client.ts';
import { applyMigrations } from '../../src/db/migrations.ts';
import { recordFundingReceipt } from '../../src/services/funding-receipts.ts';
import { makeProgramme, makeWorld } from '../support/fixtures.ts';
import { runScript } from '../support/run-script.ts';
import { asSuperuser, deleteNewestAuditEvent, deleteTransactions } from '../support/superuser-tamper.ts';

describe('npm run checkpoint and verify --checkpoints (the CLI)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'checkpoint-cli-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('signs, proves, then catches a cut chain that the plain verifiers pass', { timeout: 300_000 }, async () => {
    let db = await openDatabase({ kind: 'embedded', dataDir });
    try {
      await applyMigrations(db.adapterFactory);
      const world = await makeWorld(db.prisma);
      const programme = await makeProgramme(world);
      for (const amount of ['100.00', '200.00', '300.00']) {
        await recordFundingReceipt({
          ctx: world.users.finance.ctx,
          input: { programmeId: programme.id, remitterId: world.foundation.id, amount, receivedOn: '2025-09-01', bankReference: `REF-${randomUUID()}` },
        });
      }
    } finally {
      await db.close();
    }

    const taken = await runScript('checkpoint', [], dataDir);
    expect(taken.stderr).toBe('');
    expect(taken.stdout).toContain('ledger: 已签名 signed seq 3');
    expect(taken.code).toBe(0);
    expect(statSync(join(dataDir, CHECKPOINT_KEY_FILE)).mode & 0o777).toBe(0o600);
    const checkpointDir = join(dataDir, 'checkpoints');
    expect(readdirSync(checkpointDir).sort()).toEqual([expect.stringMatching(/^audit-\d{12}\.json$/), 'ledger-000000000003.json']);
    expect((await runScript('checkpoint', [], dataDir)).stdout).toContain('ledger: 链头未变 head unchanged');

    const intact = await runScript('ledger-verify', ['--checkpoints', checkpointDir], dataDir);
    expect(intact.stdout).toContain('检查点结果 Checkpoints: 通过 OK — 链仍延续全部 1 个检查点（至第 3 条）');
    expect(intact.code).toBe(0);
    expect((await runScript('audit-verify', ['--checkpoints', checkpointDir], dataDir)).code).toBe(0);

    db = await openDatabase({ kind: 'embedded', dataDir });
    try {
      await asSuperuser(db.prisma, async (tx) => {
        await deleteTransactions(tx, 3);
        await deleteNewestAuditEvent(tx);
      });
    } finally {
      await db.close();
    }

    // The verifiers alone: nothing wrong.
    expect((await runScript('ledger-verify', [], dataDir)).code).toBe(0);
    expect((await runScript('audit-verify', [], dataDir)).code).toBe(0);

    const ledger = await runScript('ledger-verify', ['--checkpoints', checkpointDir], dataDir);
    expect(ledger.stdout).toContain('结果 Result: 通过 OK');
    expect(ledger.stdout).toContain('检查点结果 Checkpoints: 失败 FAILED');
    expect(ledger.stdout).toContain('ledger-000000000003.json: 链中已没有第 3 条：链比检查点短，记录被删除; the chain no longer has sequence 3');
    expect(ledger.code).toBe(1);
    const audit = await runScript('audit-verify', ['--checkpoints', checkpointDir], dataDir);
    expect(audit.stdout).toContain('shorter than a signed checkpoint');
    expect(audit.code).toBe(1);

    const refused = await runScript('checkpoint', [], dataDir);
    expect(refused.stdout).toContain('ledger: 拒绝签名 REFUSED');
    expect(refused.code).toBe(1);

    // An altered copy: its signature fails, so it is reported and not trusted.
    const altered = mkdtempSync(join(tmpdir(), 'checkpoint-cli-altered-'));
    try {
      cpSync(checkpointDir, altered, { recursive: true });
      const file = join(altered, 'ledger-000000000003.json');
      const text = readFileSync(file, 'utf8');
      rmSync(file, { force: true });
      writeFileSync(file, text.replace('"time":"2', '"time":"1'));
      const result = await runScript('ledger-verify', ['--checkpoints', altered], dataDir);
      expect(result.stdout).toContain('签名无效（文件被改动），未采信; the signature does not hold (the file was altered); not trusted');
      expect(result.code).toBe(1);
    } finally {
      rmSync(altered, { recursive: true, force: true });
    }

    // Checked against another public key: every checkpoint is refused.
    const other = await signerFromSeed(new Uint8Array(32).fill(9));
    const wrongKey = await runScript('audit-verify', ['--checkpoints', checkpointDir], dataDir, { CHECKPOINT_PUBLIC_KEY: toBase64(other.publicKey) });
    expect(wrongKey.stdout).toContain('signed by a key other than the configured public key; not trusted');
    expect(wrongKey.code).toBe(1);

    const out = join(dataDir, 'all.jsonl');
    expect((await runScript('checkpoint', ['export', out], dataDir)).code).toBe(0);
    expect(existsSync(out) && readFileSync(out, 'utf8').trim().split('\n')).toHaveLength(2);
  });
});
