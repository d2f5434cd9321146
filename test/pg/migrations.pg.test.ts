// The same core checks as test/integration/migrations.test.ts, on a real PostgreSQL server,
// where adapter-pg's own executeScript would split PL/pgSQL bodies on ';'.
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyMigrations, MIGRATION_LOCK_CONTENT, MigrationError, migrationStatus } from '../../src/db/migrations.ts';

const serverUrl = process.env.TEST_DATABASE_URL;

const CREATE_ACCOUNT = 'CREATE TABLE account (id SERIAL PRIMARY KEY, name TEXT NOT NULL);\n';
const CREATE_ENTRY = 'CREATE TABLE entry (id SERIAL PRIMARY KEY, account_id INT NOT NULL REFERENCES account(id));\n';
const APPEND_ONLY_TRIGGER = `
CREATE FUNCTION reject_ledger_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  verb TEXT := lower(TG_OP);
BEGIN
  RAISE EXCEPTION 'entry is append-only; % refused', verb USING ERRCODE = 'P0001';
  RETURN NULL;
END;
$$;

CREATE TRIGGER entry_append_only BEFORE UPDATE OR DELETE ON entry
  FOR EACH ROW EXECUTE FUNCTION reject_ledger_change();
`;
const BROKEN = 'CREATE TABLE half_done (id INT);\nSELECT missing_column FROM account;\n';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe.skipIf(!serverUrl)('migrations on PostgreSQL', () => {
  let databaseName: string;
  let databaseUrl: string;
  let migrationsDir: string;
  let db: pg.Client;

  const factory = () => new PrismaPg({ connectionString: databaseUrl });

  beforeEach(async () => {
    databaseName = `migrations_test_${randomUUID().replaceAll('-', '')}`;
    await onServer(`CREATE DATABASE "${databaseName}"`);
    const url = new URL(serverUrl!);
    url.pathname = `/${databaseName}`;
    databaseUrl = url.toString();
    db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    migrationsDir = await mkdtemp(path.join(tmpdir(), 'migrations-pg-test-'));
    await writeFile(path.join(migrationsDir, 'migration_lock.toml'), MIGRATION_LOCK_CONTENT);
  });

  afterEach(async () => {
    await db?.end();
    await onServer(`DROP DATABASE IF EXISTS "${databaseName}" WITH (FORCE)`);
    await rm(migrationsDir, { recursive: true, force: true });
  });

  async function onServer(sql: string): Promise<void> {
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    try {
      await admin.query(sql);
    } finally {
      await admin.end();
    }
  }

  async function addMigration(name: string, sql: string): Promise<void> {
    await mkdir(path.join(migrationsDir, name));
    await writeFile(path.join(migrationsDir, name, 'migration.sql'), sql);
  }

  async function tableExists(name: string): Promise<boolean> {
    const result = await db.query<{ present: boolean }>('SELECT to_regclass($1) IS NOT NULL AS present', [name]);
    return result.rows[0]?.present === true;
  }

  it('applies from empty with sha256 checksums, then applies nothing the second time', async () => {
    await addMigration('20250101000000_account', CREATE_ACCOUNT);
    await addMigration('20250102000000_entry', CREATE_ENTRY);

    expect((await applyMigrations(factory(), { migrationsDir })).applied).toEqual(['20250101000000_account', '20250102000000_entry']);
    const rows = await db.query<{ migration_name: string; checksum: string; finished: boolean }>(
      'SELECT migration_name, checksum, finished_at IS NOT NULL AS finished FROM _prisma_migrations ORDER BY started_at',
    );
    expect(rows.rows).toEqual([
      { migration_name: '20250101000000_account', checksum: sha256(CREATE_ACCOUNT), finished: true },
      { migration_name: '20250102000000_entry', checksum: sha256(CREATE_ENTRY), finished: true },
    ]);

    expect((await applyMigrations(factory(), { migrationsDir })).applied).toEqual([]);
  });

  it('applies a PL/pgSQL function whose $$ body contains semicolons', async () => {
    await addMigration('20250101000000_account', CREATE_ACCOUNT + CREATE_ENTRY);
    await addMigration('20250102000000_append_only', APPEND_ONLY_TRIGGER);

    await applyMigrations(factory(), { migrationsDir });

    await db.query("INSERT INTO account (name) VALUES ('fund')");
    await db.query('INSERT INTO entry (account_id) VALUES (1)');
    await expect(db.query('DELETE FROM entry')).rejects.toThrow('entry is append-only; delete refused');
  });

  it('throws on a broken migration, keeps none of it, and reports it failed', async () => {
    await addMigration('20250101000000_account', CREATE_ACCOUNT);
    await addMigration('20250102000000_broken', BROKEN);
    await addMigration('20250103000000_entry', CREATE_ENTRY);

    const failure = applyMigrations(factory(), { migrationsDir });

    await expect(failure).rejects.toBeInstanceOf(MigrationError);
    await expect(failure).rejects.toThrow(/migration 20250102000000_broken failed/);
    expect(await tableExists('half_done')).toBe(false);
    expect(await migrationStatus(factory(), { migrationsDir })).toEqual({
      applied: ['20250101000000_account'],
      pending: ['20250103000000_entry'],
      failed: ['20250102000000_broken'],
      upToDate: false,
    });
  });

  it('reports pending, then applied migrations', async () => {
    await addMigration('20250101000000_account', CREATE_ACCOUNT);
    expect(await migrationStatus(factory(), { migrationsDir })).toEqual({
      applied: [],
      pending: ['20250101000000_account'],
      failed: [],
      upToDate: false,
    });

    await applyMigrations(factory(), { migrationsDir });

    expect(await migrationStatus(factory(), { migrationsDir })).toEqual({
      applied: ['20250101000000_account'],
      pending: [],
      failed: [],
      upToDate: true,
    });
  });
});
