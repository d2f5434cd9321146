// Test databases: each test file gets its own embedded database (in memory) or, for the pg
// suite, its own freshly created PostgreSQL database, migrated with the project's migrations.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { inject } from 'vitest';
import { type Database, openDatabase } from '../../src/db/client.ts';
import type { PrismaClient } from '#prisma';
import { applyMigrations } from '../../src/db/migrations.ts';

let template: Blob | undefined;

/** A fresh, migrated embedded database in memory, started from the run's template dump. */
export async function openTestDatabase(): Promise<Database> {
  template ??= new Blob([readFileSync(inject('pgliteTemplate'))]);
  const db = await openDatabase({ kind: 'embedded', dataDir: null, template });
  // Applying is a no-op on the template; it also proves the template matches the migrations.
  await applyMigrations(db.adapterFactory);
  return db;
}

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL;

/** Creates a uniquely named PostgreSQL database on the TEST_DATABASE_URL server; drop() removes it. */
export async function openPgTestDatabase(poolMax = 20): Promise<Database & { url: string; drop(): Promise<void> }> {
  if (!TEST_DATABASE_URL) throw new Error('TEST_DATABASE_URL is not set');
  const name = `ledger_test_${Date.now()}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  const db = await openDatabase({ kind: 'postgres', url: url.toString(), poolMax });
  await applyMigrations(db.adapterFactory);
  return {
    ...db,
    url: url.toString(),
    async drop() {
      await db.close();
      const a = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await a.end();
    },
  };
}

/**
 * Holds the embedded database's one transaction until `release` is called: every other query
 * waits meanwhile, as behind a long queue under load.
 */
export async function holdEmbeddedDatabase(prisma: PrismaClient): Promise<{ release(): Promise<void> }> {
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  let started!: () => void;
  const holding = new Promise<void>((r) => (started = r));
  const held = prisma.$transaction(
    async () => {
      started();
      await released;
    },
    { timeout: 60_000 },
  );
  await holding;
  return {
    release: async () => {
      release();
      await held;
    },
  };
}
