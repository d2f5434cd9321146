// Backup and restore of the embedded database, end to end through the command line: the demo is
// loaded into a data directory and served; `npm run backup` asks the running service for a backup
// while finance records receipts through the API; `npm run restore` rebuilds it in another, empty
// data directory, migrates, verifies both chains and compares them with the manifest. A quiet second
// backup restores to the same figures as the source. A truncated file, an edited one, a non-empty
// target and a backup from a newer release are refused, and nothing is left behind.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BackupManifest, decodeBackup, encodeBackup } from '../../src/backup/backup-file.ts';
import { summariseDatabase } from '../../src/backup/database-summary.ts';
import { type Database, openDatabase } from '../../src/db/client.ts';
import { recordServiceAddress } from '../../src/db/data-dir-lock.ts';
import { readEmbeddedTemplate } from '../../src/db/embedded-template-node.ts';
import { applyMigrations } from '../../src/db/migrations.ts';
import type { DemoToken } from '../../src/demo/seed.ts';
import { loadSnapshot } from '../../src/demo/snapshot/load-snapshot.ts';
import { readSnapshot } from '../../src/demo/snapshot/snapshot-file-node.ts';
import type { PiiVault } from '../../src/privacy/pii-vault.ts';
import { call, makeApp, newKey } from '../support/http.ts';
import { runScript } from '../support/run-script.ts';
import { makeProgramme, makeWorld } from '../support/fixtures.ts';
import { fundProgramme } from '../support/grants.ts';
import { CHECKPOINT_KEY_FILE } from '../../src/checkpoints/key-source-node.ts';
import { testVault } from '../support/vault.ts';

const made: string[] = [];
function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/** A data directory path that does not exist yet, for a restore to create. */
function freshTarget(): string {
  return join(tempDir('restore-target-'), 'data');
}

async function withDatabase<T>(dataDir: string, work: (db: Database) => Promise<T>): Promise<T> {
  const db = await openDatabase({ kind: 'embedded', dataDir });
  try {
    return await work(db);
  } finally {
    await db.close();
  }
}

/** What the people using the service see of a programme: its fund figures, its grant figures, its newest ledger transactions. */
async function figures(db: Database, vault: PiiVault, token: string, programmeId: string) {
  const { app } = makeApp(db.prisma, vault);
  const answers = await Promise.all(
    [`/api/v1/programmes/${programmeId}`, `/api/v1/programmes/${programmeId}/grant-summary`, `/api/v1/programmes/${programmeId}/ledger/transactions`].map(
      (path) => call(app, 'GET', path, { token }),
    ),
  );
  for (const a of answers) expect(a.status).toBe(200);
  return answers.map((a) => a.json);
}

describe('npm run backup and npm run restore, embedded', { timeout: 600_000 }, () => {
  const sourceDir = tempDir('backup-source-');
  const files = tempDir('backup-files-');
  let source: Database;
  let vault: PiiVault;
  let tokens: DemoToken[];
  let url: string;
  let stop: () => Promise<void>;
  let programmeId: string;
  let remitterId: string;
  const token = (username: string) => tokens.find((t) => t.username === username)?.token as string;

  beforeAll(async () => {
    source = await openDatabase({ kind: 'embedded', dataDir: sourceDir, template: readEmbeddedTemplate() });
    await applyMigrations(source.adapterFactory);
    vault = await testVault();
    const content = readSnapshot();
    if (!content) throw new Error('demo/snapshot is missing: npm run demo:snapshot');
    const loaded = await loadSnapshot(source.prisma, vault, content);
    if (!loaded.loaded) throw new Error(`the demo did not load: ${loaded.reason}`);
    tokens = loaded.tokens;
    const [receipt] = await source.prisma.$queryRawUnsafe<{ programme_id: string; remitter_id: string }[]>(
      `SELECT "programme_id"::text, "remitter_id"::text FROM "funding_receipt" ORDER BY "id" LIMIT 1`,
    );
    programmeId = receipt?.programme_id as string;
    remitterId = receipt?.remitter_id as string;
    const { app } = makeApp(source.prisma, vault);
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise((ready) => server.once('listening', ready));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    // The lock names the service, as the service itself does: the backup finds it there.
    recordServiceAddress(sourceDir, url);
    stop = async () => {
      await new Promise((done) => server.close(done));
      await source.close();
    };
  }, 300_000);
  afterAll(() => stop?.());

  const backup = (out: string, env: NodeJS.ProcessEnv = { BACKUP_TOKEN: token('platform.admin') }) => runScript('backup', ['--out', out], sourceDir, env);
  const restore = (file: string, target: string, args: string[] = []) => runScript('restore', [file, ...args], target);
  const receipt = (n: number) =>
    fetch(`${url}/api/v1/programmes/${programmeId}/funding-receipts`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token('qh.finance')}`, 'Content-Type': 'application/json', 'Idempotency-Key': newKey() },
      body: JSON.stringify({ remitterId, amount: `${100 + n}.25`, receivedOn: '2026-09-01', bankReference: `BACKUP-RACE-${n}-${newKey()}` }),
    }).then((r) => r.status);

  let racing: string;

  it('backs up through the running service while receipts are recorded, and restores to the manifest’s heads, verified', async () => {
    racing = join(files, 'racing.backup');
    // Finance records receipts through the API, one after another, for as long as the backup runs.
    let backingUp = true;
    const statuses: number[] = [];
    const writing = (async () => {
      while (backingUp) statuses.push(await receipt(statuses.length));
    })();
    const taken = await backup(racing).finally(() => (backingUp = false));
    await writing;
    expect(taken.stderr).toContain('Backing up through the running service');
    expect(taken.stdout).toContain('备份已写入 Backup written');
    expect(taken.code).toBe(0);
    expect(statuses.length).toBeGreaterThan(5);
    expect(new Set(statuses)).toEqual(new Set([201]));
    const { manifest } = decodeBackup(readFileSync(racing));
    // The personal-data keys never travel with a backup.
    expect(readFileSync(racing).includes(Buffer.from(Buffer.alloc(32, 7).toString('base64')))).toBe(false);
    expect(JSON.stringify(manifest)).not.toMatch(/PII_|LOOKUP_KEY|keys/);

    const target = freshTarget();
    const restored = await restore(racing, target);
    expect(restored.stdout).toContain('清单核对 Manifest: 通过 OK');
    expect(restored.stdout).toContain('账本核验 Ledger: 通过 OK');
    expect(restored.stdout).toContain('审计链核验 Audit chain: 通过 OK');
    expect(restored.stdout).toContain('结果 Result: 通过 OK');
    expect(restored.code).toBe(0);
    const summary = await withDatabase(target, (db) => summariseDatabase(db.prisma));
    expect(summary.ledgerHead).toEqual(manifest.ledgerHead);
    expect(summary.auditHead).toEqual(manifest.auditHead);
    expect(summary.tables).toEqual(manifest.tables);
  });

  it('restores a quiet backup to the same figures, heads and rows as the source had, and the source audits the backup', async () => {
    const viewer = token('qingshan.viewer');
    // Read before the backup: taking it adds its own audit event to the source, after the backup's transaction.
    const before = { summary: await summariseDatabase(source.prisma), figures: await figures(source, vault, viewer, programmeId) };
    const quiet = join(files, 'quiet.backup');
    expect((await backup(quiet)).code).toBe(0);
    const target = freshTarget();
    expect((await restore(quiet, target)).code).toBe(0);
    const after = await withDatabase(target, async (db) => ({
      summary: await summariseDatabase(db.prisma),
      figures: await figures(db, vault, viewer, programmeId),
    }));
    expect(after).toEqual(before);
    const { manifest } = decodeBackup(readFileSync(quiet));
    const [audited] = await source.prisma.$queryRawUnsafe<{ sha256: string; actor: string }[]>(
      `SELECT "after"->>'sha256' AS sha256, "actor_id"::text AS actor FROM "audit_event" WHERE "action" = 'database.backup' ORDER BY "id" DESC LIMIT 1`,
    );
    expect(audited?.sha256).toBe(manifest.payload.sha256);
    const [admin] = await source.prisma.$queryRawUnsafe<{ id: string }[]>(`SELECT "id"::text FROM "app_user" WHERE "username" = 'platform.admin'`);
    expect(audited?.actor).toBe(admin?.id);
  });

  it('refuses a truncated file and an edited one before touching the target', async () => {
    const whole = readFileSync(racing);
    const truncated = join(files, 'truncated.backup');
    writeFileSync(truncated, whole.subarray(0, whole.length - 1000));
    const edited = join(files, 'edited.backup');
    const changed = Buffer.from(whole);
    changed[changed.length - 500] = (changed[changed.length - 500] as number) ^ 0xff;
    writeFileSync(edited, changed);
    for (const [file, says] of [
      [truncated, '被截断'],
      [edited, 'SHA-256 与清单不符'],
    ] as const) {
      const target = freshTarget();
      const run = await restore(file, target);
      expect(run.stdout).toContain('结果 Result: 拒绝 REFUSED');
      expect(run.stdout).toContain(says);
      expect(run.code).toBe(1);
      expect(existsSync(target)).toBe(false);
    }
  });

  it('refuses a manifest edited to other heads: the restored rows do not match it, and the target is removed', async () => {
    const { manifest, payload } = decodeBackup(readFileSync(racing));
    const lying: BackupManifest = { ...manifest, ledgerHead: { sequence: manifest.ledgerHead?.sequence as string, hash: 'f'.repeat(64) } };
    const file = join(files, 'lying.backup');
    writeFileSync(file, encodeBackup(lying, payload));
    const target = freshTarget();
    const run = await restore(file, target);
    expect(run.stdout).toContain('账本链头与清单不符');
    expect(run.stdout).toContain('结果 Result: 失败 FAILED');
    expect(run.code).toBe(1);
    expect(existsSync(target)).toBe(false);
  });

  it('refuses a non-empty target and leaves it as it was', async () => {
    const target = tempDir('restore-occupied-');
    mkdirSync(join(target, 'pg'));
    writeFileSync(join(target, 'notes.txt'), 'keep me');
    const run = await restore(racing, target);
    expect(run.stdout).toContain('不是空的');
    expect(run.code).toBe(1);
    expect(readdirSync(target).sort()).toEqual(['notes.txt', 'pg']);
    expect(readFileSync(join(target, 'notes.txt'), 'utf8')).toBe('keep me');
  });

  it('refuses a backup from a newer release (a migration this release does not have)', async () => {
    const { manifest, payload } = decodeBackup(readFileSync(racing));
    const newer: BackupManifest = { ...manifest, migrations: [...manifest.migrations, { name: '29991231000000_future', checksum: '0'.repeat(64) }] };
    const file = join(files, 'newer.backup');
    writeFileSync(file, encodeBackup(newer, payload));
    const target = freshTarget();
    const run = await restore(file, target);
    expect(run.stdout).toContain('29991231000000_future');
    expect(run.code).toBe(1);
    expect(existsSync(target)).toBe(false);
  });

  it('asks the service with a token, and says so when the service refuses it', async () => {
    const noToken = await backup(join(files, 'no-token.backup'), { BACKUP_TOKEN: '' });
    expect(noToken.stderr).toContain('BACKUP_TOKEN');
    expect(noToken.code).toBe(2);
    const refused = await backup(join(files, 'refused.backup'), { BACKUP_TOKEN: token('qh.finance') });
    expect(refused.stderr).toContain('HTTP 403');
    expect(refused.code).toBe(1);
    expect(existsSync(join(files, 'refused.backup'))).toBe(false);
  });
});

describe('npm run backup with the service stopped, and a restore checked against signed checkpoints', { timeout: 300_000 }, () => {
  it('opens the data directory itself; the restore holds every checkpoint up to the backup and names the later ones', async () => {
    const dataDir = tempDir('backup-stopped-');
    await withDatabase(dataDir, async (db) => {
      await applyMigrations(db.adapterFactory);
      const world = await makeWorld(db.prisma);
      const programme = await makeProgramme(world);
      for (const amount of ['100.00', '200.00']) await fundProgramme(world, programme.id, amount);
    });
    const checkpoints = join(dataDir, 'checkpoints');
    expect((await runScript('checkpoint', [], dataDir)).code).toBe(0);
    const out = join(tempDir('backup-stopped-out-'), 'stopped.backup');
    const taken = await runScript('backup', ['--out', out], dataDir);
    expect(taken.stderr).toContain('reading the data directory directly');
    expect(taken.code).toBe(0);
    expect((await runScript('backup', ['--out', out], dataDir)).code).toBe(2); // never over an existing file
    // Written and signed after the backup: rows the backup cannot have.
    await withDatabase(dataDir, async (db) => {
      const world = await makeWorld(db.prisma);
      await fundProgramme(world, (await makeProgramme(world)).id, '300.00');
    });
    expect((await runScript('checkpoint', [], dataDir)).code).toBe(0);
    const { CHECKPOINT_PUBLIC_KEY } = JSON.parse(readFileSync(join(dataDir, CHECKPOINT_KEY_FILE), 'utf8')) as { CHECKPOINT_PUBLIC_KEY: string };

    const withoutKey = await runScript('restore', [out, '--checkpoints', checkpoints], freshTarget());
    expect(withoutKey.stderr).toContain('CHECKPOINT_PUBLIC_KEY');
    expect(withoutKey.code).toBe(2);

    const restored = await runScript('restore', [out, '--checkpoints', checkpoints], freshTarget(), { CHECKPOINT_PUBLIC_KEY });
    expect(restored.stdout).toContain('检查点结果 Checkpoints: 通过 OK — 链仍延续全部 1 个检查点（至第 2 条）');
    expect(restored.stdout).toContain('ledger: 1 个检查点签于此备份之后（至第 3 条）');
    expect(restored.stdout).toContain('结果 Result: 通过 OK');
    expect(restored.code).toBe(0);

    // Another key's checkpoints are not trusted: the restore fails and leaves nothing.
    const otherKey = Buffer.alloc(32, 3).toString('base64');
    const target = freshTarget();
    const untrusted = await runScript('restore', [out, '--checkpoints', checkpoints], target, { CHECKPOINT_PUBLIC_KEY: otherKey });
    expect(untrusted.stdout).toContain('检查点结果 Checkpoints: 失败 FAILED');
    expect(untrusted.code).toBe(1);
    expect(existsSync(target)).toBe(false);
  });
});
