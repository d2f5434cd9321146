// Upgrades, tested on kept backups (test/fixtures/backup, made by test/support/make-backup-fixtures.ts):
// every backup kept from an earlier or this release restores with this release's `npm run restore`,
// migrated forward, both chains verified and holding the manifest's heads. And the README's in-place
// upgrade: a data directory on the previous release's schema, with its data, is migrated by
// `npm run db:migrate`, after which `npm run ledger:verify` and `npm run audit:verify` pass and the
// chains end where they did.
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeBackup } from '../../src/backup/backup-file.ts';
import { summariseDatabase } from '../../src/backup/database-summary.ts';
import { restoreTableRows } from '../../src/backup/restore-node.ts';
import { openDatabase } from '../../src/db/client.ts';
import { listMigrationNames, migrationStatus } from '../../src/db/migrations.ts';
import { runScript } from '../support/run-script.ts';

const FIXTURES = resolve(import.meta.dirname, '../fixtures/backup');
const kept = readdirSync(FIXTURES)
  .filter((f) => f.endsWith('.backup'))
  .sort();

const made: string[] = [];
const freshTarget = () => {
  const dir = mkdtempSync(join(tmpdir(), 'upgrade-'));
  made.push(dir);
  return join(dir, 'data');
};
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

async function releaseMigrations(): Promise<string[]> {
  return listMigrationNames(resolve(import.meta.dirname, '../../prisma/migrations'));
}

describe('kept backups restore and upgrade with this release', { timeout: 600_000 }, () => {
  it('keeps at least this release’s backup and one of a schema before it', async () => {
    const lastMigrations = kept.map((f) => decodeBackup(readFileSync(join(FIXTURES, f))).manifest.lastMigration);
    expect(lastMigrations.length).toBeGreaterThanOrEqual(2);
    expect(lastMigrations).toContain((await releaseMigrations()).at(-1));
  });

  it.each(kept)('%s: restored, migrated forward, both verifiers clean, the manifest’s heads held', async (file) => {
    const path = join(FIXTURES, file);
    const { manifest } = decodeBackup(readFileSync(path));
    const release = await releaseMigrations();
    const pending = release.filter((name) => !manifest.migrations.some((m) => m.name === name));
    const target = freshTarget();
    const run = await runScript('restore', [path], target);
    expect(run.stdout).toContain('清单核对 Manifest: 通过 OK');
    expect(run.stdout).toContain(
      pending.length > 0 ? `已升级 Migrated forward: ${pending.length} 个迁移 migrations (${pending.join(', ')})` : '无需升级 No migration to apply',
    );
    expect(run.stdout).toContain('账本核验 Ledger: 通过 OK');
    expect(run.stdout).toContain('审计链核验 Audit chain: 通过 OK');
    expect(run.code).toBe(0);
    const db = await openDatabase({ kind: 'embedded', dataDir: target });
    try {
      expect((await migrationStatus(db.adapterFactory)).upToDate).toBe(true);
      const summary = await summariseDatabase(db.prisma);
      expect(summary.ledgerHead).toEqual(manifest.ledgerHead);
      expect(summary.auditHead).toEqual(manifest.auditHead);
    } finally {
      await db.close();
    }
  });
});

describe('the in-place upgrade of the README: stop, install, npm run db:migrate, start, verify', { timeout: 600_000 }, () => {
  it('migrates a data directory of the previous release’s schema with its data, and both verifiers stay clean', async () => {
    const release = await releaseMigrations();
    const previous = kept
      .map((f) => decodeBackup(readFileSync(join(FIXTURES, f))))
      .find((b) => b.manifest.lastMigration !== release.at(-1) && b.manifest.payload.kind === 'table-rows');
    if (!previous) throw new Error('no kept backup of an earlier schema');
    // The data directory as the previous release left it: its schema, its rows.
    const dataDir = freshTarget();
    const db = await restoreTableRows(dataDir, previous.manifest, previous.payload);
    const pendingBefore = (await migrationStatus(db.adapterFactory)).pending;
    await db.close();
    expect(pendingBefore.length).toBeGreaterThan(0);

    const migrated = await runScript('db-migrate', [], dataDir);
    expect(migrated.code).toBe(0);
    const ledger = await runScript('ledger-verify', [], dataDir);
    expect(ledger.stdout).toContain('结果 Result: 通过 OK');
    expect(ledger.stdout).toContain(`链头 Chain head: seq ${previous.manifest.ledgerHead?.sequence}, hash ${previous.manifest.ledgerHead?.hash}`);
    expect(ledger.code).toBe(0);
    const audit = await runScript('audit-verify', [], dataDir);
    expect(audit.stdout).toContain('结果 Result: 通过 OK');
    expect(audit.stdout).toContain(`链头 Chain head: seq ${previous.manifest.auditHead?.sequence}, hash ${previous.manifest.auditHead?.hash}`);
    expect(audit.code).toBe(0);
    const after = await openDatabase({ kind: 'embedded', dataDir });
    try {
      expect(await migrationStatus(after.adapterFactory)).toMatchObject({ pending: [], upToDate: true });
      expect((await summariseDatabase(after.prisma)).tables.filter((t) => previous.manifest.tables.some((m) => m.name === t.name))).toEqual(
        previous.manifest.tables,
      );
    } finally {
      await after.close();
    }
  });
});
