// Backup and restore on PostgreSQL through the command line: `npm run backup` wraps pg_dump of a
// snapshot exported by the transaction that reads the manifest, while receipts are recorded; the
// restore into an empty database gives the manifest's row counts and heads exactly (a manifest read
// outside the dump's snapshot would disagree with it under these writes), migrates, verifies. A
// quiet backup restores to the source's figures; a truncated file, an edited one and a non-empty target are refused.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { type DatabaseSummary, decodeBackup } from '../../src/backup/backup-file.ts';
import { summariseDatabase } from '../../src/backup/database-summary.ts';
import { isEmptyPostgres } from '../../src/backup/restore-node.ts';
import { type Database, openDatabase } from '../../src/db/client.ts';
import { TEST_DATABASE_URL } from '../support/database.ts';
import { makeProgramme } from '../support/fixtures.ts';
import { fundProgramme } from '../support/grants.ts';
import { usePgTestDatabase } from '../support/pg-test-database.ts';
import { runScript } from '../support/run-script.ts';

const work = mkdtempSync(join(tmpdir(), 'backup-pg-'));
const created: string[] = [];

/** A new, empty database on the test server (no migrations): a restore's target. */
async function emptyDatabase(): Promise<string> {
  const name = `ledger_restore_${Date.now()}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  created.push(name);
  const url = new URL(TEST_DATABASE_URL as string);
  url.pathname = `/${name}`;
  return url.toString();
}

afterAll(async () => {
  rmSync(work, { recursive: true, force: true });
  if (created.length === 0) return;
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  for (const name of created) await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.end();
});

async function summaryOf(url: string): Promise<DatabaseSummary & { balances: unknown }> {
  const db: Database = await openDatabase({ kind: 'postgres', url, poolMax: 2 });
  try {
    const balances = await db.prisma.$queryRawUnsafe(
      `SELECT "account_id"::text AS account, sum("amount")::text AS total, count(*)::int AS entries FROM "ledger_entry" GROUP BY 1 ORDER BY 1`,
    );
    return { ...(await summariseDatabase(db.prisma)), balances };
  } finally {
    await db.close();
  }
}

describe.skipIf(!TEST_DATABASE_URL)('npm run backup and npm run restore, PostgreSQL', { timeout: 300_000 }, () => {
  const t = usePgTestDatabase(8);
  const backup = (out: string) => runScript('backup', ['--out', out], work, { DATABASE_URL: t.db.url });
  const restore = (file: string, url: string) => runScript('restore', [file], work, { DATABASE_URL: url });
  let racing: string;

  it('dumps a consistent snapshot while receipts are recorded, and restores it to the manifest’s counts and heads, verified', async () => {
    const programme = await makeProgramme(t.world);
    for (let n = 0; n < 3; n++) await fundProgramme(t.world, programme.id, '1000.00');
    racing = join(work, 'racing.backup');
    // Receipts are recorded one after another for as long as the backup runs, in two streams.
    let backingUp = true;
    const writer = async () => {
      let n = 0;
      while (backingUp) await fundProgramme(t.world, programme.id, `${10 + n++}.50`);
      return n;
    };
    const writers = [writer(), writer()];
    const taken = await backup(racing).finally(() => (backingUp = false));
    const written = (await Promise.all(writers)).reduce((a, b) => a + b, 0);
    expect(written).toBeGreaterThan(20);
    expect(taken.stderr).toBe('');
    expect(taken.stdout).toContain('pg-dump');
    expect(taken.code).toBe(0);
    const { manifest } = decodeBackup(readFileSync(racing));
    expect(manifest.payload.kind).toBe('pg-dump');

    const target = await emptyDatabase();
    const restored = await restore(racing, target);
    expect(restored.stdout).toContain('清单核对 Manifest: 通过 OK');
    expect(restored.stdout).toContain('结果 Result: 通过 OK');
    expect(restored.code).toBe(0);
    const summary = await summaryOf(target);
    expect(summary.tables).toEqual(manifest.tables);
    expect(summary.ledgerHead).toEqual(manifest.ledgerHead);
    expect(summary.auditHead).toEqual(manifest.auditHead);

    // The target now holds a database: a second restore into it is refused.
    const again = await restore(racing, target);
    expect(again.stdout).toContain('不是空的');
    expect(again.code).toBe(1);
  });

  it('restores a quiet backup to the source’s figures exactly', async () => {
    const before = await summaryOf(t.db.url);
    const quiet = join(work, 'quiet.backup');
    expect((await backup(quiet)).code).toBe(0);
    const target = await emptyDatabase();
    expect((await restore(quiet, target)).code).toBe(0);
    expect(await summaryOf(target)).toEqual(before);
  });

  it('refuses a truncated file and an edited one, and leaves the target empty', async () => {
    const whole = readFileSync(racing);
    const truncated = join(work, 'truncated.backup');
    writeFileSync(truncated, whole.subarray(0, whole.length - 100));
    const edited = join(work, 'edited.backup');
    const changed = Buffer.from(whole);
    changed[changed.length - 200] = (changed[changed.length - 200] as number) ^ 0x01;
    writeFileSync(edited, changed);
    for (const [file, says] of [
      [truncated, '被截断'],
      [edited, 'SHA-256 与清单不符'],
    ] as const) {
      const target = await emptyDatabase();
      const run = await restore(file, target);
      expect(run.stdout).toContain(says);
      expect(run.code).toBe(1);
      const db = await openDatabase({ kind: 'postgres', url: target, poolMax: 1 });
      try {
        expect(await isEmptyPostgres(db.prisma)).toBe(true);
      } finally {
        await db.close();
      }
    }
  });
});
