import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  applyMigrations,
  diffNextMigration,
  MIGRATION_LOCK_CONTENT,
  MigrationError,
  migrationStatus,
  resolvePaths,
  schemaEngineStarts,
} from '../../src/db/migrations.ts';

// The schema engine (WebAssembly) starts once per call: seconds on a quiet machine, a minute or
// more when the machine is busy with other suites running beside this one.
const SCHEMA_ENGINE_TIMEOUT_MS = 240_000;

const CREATE_ACCOUNT = 'CREATE TABLE account (id SERIAL PRIMARY KEY, name TEXT NOT NULL);\n';
const CREATE_ENTRY = 'CREATE TABLE entry (id SERIAL PRIMARY KEY, account_id INT NOT NULL REFERENCES account(id));\n';

// Semicolons inside the $$ body are what broke adapter-pg's split-on-';' executeScript.
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

// The first statement is valid: it must not survive the failure of the second.
const BROKEN = 'CREATE TABLE half_done (id INT);\nSELECT missing_column FROM account;\n';

let migrationsDir: string;
let pglite: PGlite;
let factory: PrismaPGlite;

beforeEach(async () => {
  migrationsDir = await mkdtemp(path.join(tmpdir(), 'migrations-test-'));
  await writeFile(path.join(migrationsDir, 'migration_lock.toml'), MIGRATION_LOCK_CONTENT);
  pglite = new PGlite();
  factory = new PrismaPGlite(pglite);
});

afterEach(async () => {
  await pglite.close();
  await rm(migrationsDir, { recursive: true, force: true });
});

async function addMigration(name: string, sql: string): Promise<void> {
  await mkdir(path.join(migrationsDir, name));
  await writeFile(path.join(migrationsDir, name, 'migration.sql'), sql);
}

type HistoryRow = {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
  applied_steps_count: number;
};

async function history(): Promise<HistoryRow[]> {
  const result = await pglite.query<HistoryRow>(
    'SELECT migration_name, checksum, finished_at, rolled_back_at, applied_steps_count FROM _prisma_migrations ORDER BY started_at',
  );
  return result.rows;
}

async function tableExists(name: string): Promise<boolean> {
  const result = await pglite.query<{ present: boolean }>('SELECT to_regclass($1) IS NOT NULL AS present', [name]);
  return result.rows[0]?.present === true;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('applyMigrations on PGlite', { timeout: SCHEMA_ENGINE_TIMEOUT_MS }, () => {
  it('applies from empty and records each migration as prisma migrate deploy does', async () => {
    await addMigration('20250101000000_account', CREATE_ACCOUNT);
    await addMigration('20250102000000_entry', CREATE_ENTRY);

    const result = await applyMigrations(factory, { migrationsDir });

    expect(result.applied).toEqual(['20250101000000_account', '20250102000000_entry']);
    const rows = await history();
    expect(rows.map((r) => [r.migration_name, r.checksum])).toEqual([
      ['20250101000000_account', sha256(CREATE_ACCOUNT)],
      ['20250102000000_entry', sha256(CREATE_ENTRY)],
    ]);
    for (const row of rows) {
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.rolled_back_at).toBeNull();
      expect(row.applied_steps_count).toBe(1);
    }
    expect(await tableExists('entry')).toBe(true);
  });

  it('applies nothing the second time, and finds that out without starting the schema engine', async () => {
    await addMigration('20250101000000_account', CREATE_ACCOUNT);
    await applyMigrations(factory, { migrationsDir });
    const starts = schemaEngineStarts();

    const again = await applyMigrations(factory, { migrationsDir });

    expect(again.applied).toEqual([]);
    expect(schemaEngineStarts()).toBe(starts);
    expect(await history()).toHaveLength(1);
  });

  it('leaves a pending or edited migration to the schema engine', async () => {
    await addMigration('20250101000000_account', CREATE_ACCOUNT);
    await applyMigrations(factory, { migrationsDir });
    await addMigration('20250102000000_entry', CREATE_ENTRY);
    let starts = schemaEngineStarts();
    expect((await applyMigrations(factory, { migrationsDir })).applied).toEqual(['20250102000000_entry']);
    expect(schemaEngineStarts()).toBe(starts + 1);
    // An applied migration's file changed since: not current, so the engine looks (and applies nothing).
    await writeFile(path.join(migrationsDir, '20250101000000_account', 'migration.sql'), `${CREATE_ACCOUNT}-- edited\n`);
    starts = schemaEngineStarts();
    expect((await applyMigrations(factory, { migrationsDir })).applied).toEqual([]);
    expect(schemaEngineStarts()).toBe(starts + 1);
  });

  it('applies a PL/pgSQL function whose $$ body contains semicolons', async () => {
    await addMigration('20250101000000_account', CREATE_ACCOUNT + CREATE_ENTRY);
    await addMigration('20250102000000_append_only', APPEND_ONLY_TRIGGER);

    const result = await applyMigrations(factory, { migrationsDir });

    expect(result.applied).toContain('20250102000000_append_only');
    await pglite.exec("INSERT INTO account (name) VALUES ('fund'); INSERT INTO entry (account_id) VALUES (1);");
    await expect(pglite.exec('DELETE FROM entry')).rejects.toThrow('entry is append-only; delete refused');
  });

  it('throws on a broken migration, keeps none of it, and records it as failed', async () => {
    await addMigration('20250101000000_account', CREATE_ACCOUNT);
    await addMigration('20250102000000_broken', BROKEN);
    await addMigration('20250103000000_entry', CREATE_ENTRY);

    const failure = applyMigrations(factory, { migrationsDir });

    await expect(failure).rejects.toBeInstanceOf(MigrationError);
    await expect(failure).rejects.toThrow(/migration 20250102000000_broken failed/);
    expect(await tableExists('half_done')).toBe(false);
    expect(await tableExists('entry')).toBe(false);
    const status = await migrationStatus(factory, { migrationsDir });
    expect(status).toEqual({
      applied: ['20250101000000_account'],
      pending: ['20250103000000_entry'],
      failed: ['20250102000000_broken'],
      upToDate: false,
    });
    // Like `migrate deploy` (P3009): nothing more is applied until the failure is resolved.
    await expect(applyMigrations(factory, { migrationsDir })).rejects.toThrow(/failed migrations/);
  });
});

describe('migrationStatus on PGlite', { timeout: SCHEMA_ENGINE_TIMEOUT_MS }, () => {
  it('is up to date for an empty folder and a fresh database', async () => {
    expect(await migrationStatus(factory, { migrationsDir })).toEqual({
      applied: [],
      pending: [],
      failed: [],
      upToDate: true,
    });
  });

  it('reports pending and applied migrations as they change', async () => {
    await addMigration('20250101000000_account', CREATE_ACCOUNT);
    expect(await migrationStatus(factory, { migrationsDir })).toMatchObject({
      applied: [],
      pending: ['20250101000000_account'],
      upToDate: false,
    });

    await applyMigrations(factory, { migrationsDir });
    await addMigration('20250102000000_entry', CREATE_ENTRY);
    expect(await migrationStatus(factory, { migrationsDir })).toEqual({
      applied: ['20250101000000_account'],
      pending: ['20250102000000_entry'],
      failed: [],
      upToDate: false,
    });

    await applyMigrations(factory, { migrationsDir });
    expect(await migrationStatus(factory, { migrationsDir })).toEqual({
      applied: ['20250101000000_account', '20250102000000_entry'],
      pending: [],
      failed: [],
      upToDate: true,
    });
  });
});

describe('diffNextMigration', { timeout: SCHEMA_ENGINE_TIMEOUT_MS }, () => {
  const schema = `
datasource db {
  provider = "postgresql"
}

enum Side {
  debit
  credit
}

model Account {
  id   Int    @id @default(autoincrement())
  side Side
  name String @unique
}
`;

  it('generates the SQL for schema changes and nothing once the migrations match', async () => {
    const schemaPath = path.join(migrationsDir, 'schema.prisma');
    await writeFile(schemaPath, schema);
    const emptyDir = path.join(migrationsDir, 'none');

    const sql = await diffNextMigration({ migrationsDir: emptyDir, schemaPath });

    expect(sql).toContain(`CREATE TYPE "Side" AS ENUM ('debit', 'credit');`);
    expect(sql).toContain('CREATE TABLE "Account"');
    expect(sql).toContain('CREATE UNIQUE INDEX "Account_name_key"');
    await addMigration('20250101000000_init', sql);
    expect(await diffNextMigration({ migrationsDir, schemaPath })).toBe('');
  });
});

describe('resolvePaths', () => {
  it('defaults to the project root, whatever the working directory', () => {
    const root = path.resolve(import.meta.dirname, '..', '..');
    expect(resolvePaths()).toEqual({
      migrationsDir: path.join(root, 'prisma', 'migrations'),
      schemaPath: path.join(root, 'prisma', 'schema.prisma'),
    });
  });
});
