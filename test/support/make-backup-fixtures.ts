// Makes the upgrade fixtures of test/fixtures/backup (test/integration/backup-upgrade.test.ts):
//   npx tsx test/support/make-backup-fixtures.ts
// 1. demo-<newest migration>.backup: the demo snapshot loaded under the tests' personal-data keys
//    (test/support/vault.ts), backed up as `npm run backup` does. Made once per release and kept:
//    every later release's suite restores it and migrates it forward.
// 2. demo-<migration before it>.backup: the same rows on the schema of the release before, when the
//    newest migration only added tables that the demo leaves empty (asked for by name below, and
//    checked): such rows are exactly what that release's database could hold. Not made when that
//    file is kept already, or when the demo fills the new tables (then the kept files of earlier
//    releases stand for the schemas before).
// Run it for a new release only to ADD that release's file; never remake the kept ones.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { backupManifest, decodeBackup } from '../../src/backup/backup-file.ts';
import { writeBackupFile } from '../../src/backup/backup-file-node.ts';
import { takeTableRowsBackup } from '../../src/backup/take-table-rows-backup.ts';
import { decodeTableRowsPayload, encodeTableRowsPayload } from '../../src/backup/table-rows-payload.ts';
import { openDatabase } from '../../src/db/client.ts';
import { readEmbeddedTemplate } from '../../src/db/embedded-template-node.ts';
import { applyMigrations } from '../../src/db/migrations.ts';
import { loadSnapshot } from '../../src/demo/snapshot/load-snapshot.ts';
import { readSnapshot } from '../../src/demo/snapshot/snapshot-file-node.ts';
import { testVault } from './vault.ts';

const DIR = resolve(import.meta.dirname, '../fixtures/backup');
/** The newest migration of this release, and the tables it added (empty in the demo). */
const NEWEST = {
  migration: '20261217000000_auth_failure_window',
  addedTables: ['auth_failure_window'],
};

const db = await openDatabase({ kind: 'embedded', dataDir: null, template: readEmbeddedTemplate() });
try {
  await applyMigrations(db.adapterFactory);
  const content = readSnapshot();
  if (!content) throw new Error('demo/snapshot is missing');
  const loaded = await loadSnapshot(db.prisma, await testVault(), content);
  if (!loaded.loaded) throw new Error(`the demo did not load: ${loaded.reason}`);
  const { manifest, file } = await takeTableRowsBackup(db.prisma);
  if (manifest.lastMigration !== NEWEST.migration) throw new Error(`the newest migration is ${manifest.lastMigration}: update NEWEST`);
  const { payload } = decodeBackup(file);
  await writeBackupFile(join(DIR, `demo-${manifest.lastMigration}.backup`), manifest, payload);

  console.log(`written: demo-${manifest.lastMigration}.backup in ${DIR}`);
  const filled = NEWEST.addedTables.filter((name) => manifest.tables.find((t) => t.name === name)?.rows !== 0);
  const earlierName = manifest.migrations.at(-2)?.name;
  if (filled.length > 0 || !earlierName || existsSync(join(DIR, `demo-${earlierName}.backup`))) {
    console.log(`no earlier-schema file made: ${filled.length > 0 ? `the demo fills ${filled.join(', ')}` : 'it is kept already'}`);
    process.exit(0);
  }
  const rows = await decodeTableRowsPayload(payload);
  const before = await encodeTableRowsPayload({ tables: rows.tables.filter((t) => !NEWEST.addedTables.includes(t.name)), sequences: rows.sequences });
  const migrations = manifest.migrations.filter((m) => m.name !== NEWEST.migration);
  const tables = manifest.tables.filter((t) => !NEWEST.addedTables.includes(t.name));
  const summary = { migrations, ledgerHead: manifest.ledgerHead, auditHead: manifest.auditHead, tables };
  const earlier = backupManifest(summary, 'table-rows', before, new Date(manifest.takenAt));
  await writeBackupFile(join(DIR, `demo-${earlier.lastMigration}.backup`), earlier, before);
  console.log(`written: demo-${earlier.lastMigration}.backup in ${DIR}`);
} finally {
  await db.close();
}
