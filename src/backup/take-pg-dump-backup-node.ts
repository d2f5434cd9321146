// A PostgreSQL server's backup: `pg_dump --format=custom` of a snapshot exported from a REPEATABLE
// READ transaction that stays open while the dump runs, and the manifest's figures read in that
// same transaction — so the dump and the manifest describe one moment of the database, whatever is
// written meanwhile.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PrismaClient } from '#prisma';
import { type BackupManifest, backupManifest } from './backup-file.ts';
import { hashFileFrom, writeBackupFile } from './backup-file-node.ts';
import { summariseDatabase } from './database-summary.ts';
import { pgDump } from './pg-tools-node.ts';

/** The exporting transaction must outlive the dump; a large database takes a while. */
const DUMP_TRANSACTION_TIMEOUT_MS = 6 * 60 * 60 * 1000;

export async function takePgDumpBackup(db: PrismaClient, url: string, out: string): Promise<BackupManifest> {
  const work = mkdtempSync(join(tmpdir(), 'scholarship-ledger-backup-'));
  const dumpFile = join(work, 'database.dump');
  try {
    const { summary, takenAt } = await db.$transaction(
      async (tx) => {
        const [exported] = await tx.$queryRaw<{ id: string }[]>`SELECT pg_export_snapshot() AS id`;
        if (!exported) throw new Error('PostgreSQL exported no snapshot');
        const takenAt = new Date();
        const summary = await summariseDatabase(tx);
        await pgDump(url, exported.id, dumpFile);
        return { summary, takenAt };
      },
      { isolationLevel: 'RepeatableRead', timeout: DUMP_TRANSACTION_TIMEOUT_MS },
    );
    const manifest = backupManifest(summary, 'pg-dump', await hashFileFrom(dumpFile), takenAt);
    await writeBackupFile(out, manifest, { file: dumpFile });
    return manifest;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
