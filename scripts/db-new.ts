// npm run db:new -- <name> — writes the next migration from the diff between the migrations
// folder and prisma/schema.prisma. Review it, and add what Prisma cannot express (triggers,
// CHECK constraints) by hand before committing.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { diffNextMigration, MIGRATION_LOCK_CONTENT, resolvePaths } from '../src/db/migrations.ts';

const NAME = /^[a-z0-9_]+$/;

async function main(argv: string[]): Promise<number> {
  const name = argv[0];
  if (argv.length !== 1 || name === undefined || !NAME.test(name)) {
    console.error('usage: npm run db:new -- <name>   (name: lowercase letters, digits and _ only)');
    return 2;
  }
  const sql = await diffNextMigration();
  if (sql === '') {
    console.log('No changes: schema.prisma matches the migrations; nothing written.');
    return 0;
  }
  const file = await writeMigration(resolvePaths().migrationsDir, `${utcTimestamp(new Date())}_${name}`, sql);
  console.log(path.relative(process.cwd(), file));
  return 0;
}

async function writeMigration(migrationsDir: string, dirName: string, sql: string): Promise<string> {
  await mkdir(migrationsDir, { recursive: true });
  await ensureLockfile(migrationsDir);
  const dir = path.join(migrationsDir, dirName);
  await mkdir(dir); // not recursive: refuse to overwrite an existing migration
  const file = path.join(dir, 'migration.sql');
  await writeFile(file, sql, { flag: 'wx' });
  return file;
}

async function ensureLockfile(migrationsDir: string): Promise<void> {
  const lockfile = path.join(migrationsDir, 'migration_lock.toml');
  const existing = await readFile(lockfile, 'utf8').catch(() => null);
  if (existing === null) await writeFile(lockfile, MIGRATION_LOCK_CONTENT, { flag: 'wx' });
}

// Prisma's folder prefix: YYYYMMDDHHMMSS in UTC.
function utcTimestamp(date: Date): string {
  return date.toISOString().replace(/\D/g, '').slice(0, 14);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`db:new failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
