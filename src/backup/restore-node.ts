// Restoring a backup into an empty target — an embedded data directory for a `table-rows` backup,
// a PostgreSQL database for a `pg-dump` one — up to the state it was taken in: the backup's own
// schema (its migrations, not this release's), then its rows. Migrating forward and proving the
// result are the caller's next steps (scripts/restore.ts).
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Database, openDatabase } from '../db/client.ts';
import { applyMigrations } from '../db/migrations.ts';
import type { PrismaClient } from '#prisma';
import type { BackupManifest } from './backup-file.ts';
import { copyPayload } from './backup-file-node.ts';
import { pgRestore } from './pg-tools-node.ts';
import { writeTableRows } from './table-rows.ts';
import { decodeTableRowsPayload } from './table-rows-payload.ts';

/** Why a restore will not start, in Chinese with English beside. */
export class RestoreRefusedError extends Error {
  constructor(
    readonly zh: string,
    readonly en: string,
  ) {
    super(`${zh} ${en}`);
  }
}

const RESTORE_TRANSACTION_TIMEOUT_MS = 600_000;

/** True when the folder is absent or holds nothing: the only target a restore writes into. */
export function isEmptyDirectory(dir: string): boolean {
  return !existsSync(dir) || readdirSync(dir).length === 0;
}

export async function restoreTableRows(dataDir: string, manifest: BackupManifest, payload: Uint8Array): Promise<Database> {
  if (!isEmptyDirectory(dataDir)) {
    throw new RestoreRefusedError(`目标数据目录 ${dataDir} 不是空的，拒绝恢复。`, `the target data directory ${dataDir} is not empty; nothing restored.`);
  }
  if (manifest.lastMigration === null) throw new RestoreRefusedError('备份没有任何迁移记录。', 'the backup names no migration.');
  const db = await openDatabase({ kind: 'embedded', dataDir });
  try {
    // The schema the rows were taken from; the caller migrates them forward from there.
    await applyMigrations(db.adapterFactory, { upTo: manifest.lastMigration });
    const content = await decodeTableRowsPayload(payload);
    await db.prisma.$transaction(
      async (tx) => {
        // The rows are those the triggers already checked and completed (table-rows.ts).
        await tx.$executeRawUnsafe(`SET LOCAL session_replication_role = replica`);
        await writeTableRows(tx, content.tables, content.sequences);
      },
      { timeout: RESTORE_TRANSACTION_TIMEOUT_MS },
    );
    return db;
  } catch (error) {
    await db.close();
    // The directory was empty: what is in it now is this failed attempt, which a start must not take for a database.
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
}

/** True when the database holds no table, view or sequence outside PostgreSQL's own schemas. */
export async function isEmptyPostgres(db: PrismaClient): Promise<boolean> {
  const [row] = await db.$queryRawUnsafe<{ n: number }[]>(
    `SELECT count(*)::int AS n FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname NOT LIKE 'pg_temp%'
       AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')`,
  );
  return (row?.n ?? 0) === 0;
}

export async function restorePgDump(url: string, file: string, payloadStart: number): Promise<Database> {
  const db = await openDatabase({ kind: 'postgres', url, poolMax: 2 });
  try {
    if (!(await isEmptyPostgres(db.prisma))) {
      throw new RestoreRefusedError(
        `目标数据库 ${db.description} 不是空的，拒绝恢复。`,
        `the target database ${db.description} is not empty; nothing restored.`,
      );
    }
    const work = mkdtempSync(join(tmpdir(), 'scholarship-ledger-restore-'));
    try {
      const dump = join(work, 'database.dump');
      await copyPayload(file, payloadStart, dump);
      await pgRestore(url, dump);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
    return db;
  } catch (error) {
    await db.close();
    throw error;
  }
}
