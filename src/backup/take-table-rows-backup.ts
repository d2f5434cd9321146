// A backup of a database through its Prisma client, in one REPEATABLE READ transaction: the rows,
// the sequences and the manifest's figures (heads, counts, migrations) all come from the same
// snapshot, so they agree while writes go on around it. On the embedded database the transaction
// also holds the engine (it runs one at a time), which is what makes this the way to back it up
// while the service runs: no second process can open its data directory.
import type { PrismaClient } from '#prisma';
import { type BackupManifest, backupManifest, encodeBackup } from './backup-file.ts';
import { summariseDatabase } from './database-summary.ts';
import { readTableRows } from './table-rows.ts';
import { encodeTableRowsPayload } from './table-rows-payload.ts';

/** Long enough for a large embedded database; the engine is held for the whole read. */
const BACKUP_TRANSACTION_TIMEOUT_MS = 600_000;

export async function takeTableRowsBackup(db: PrismaClient, now: () => Date = () => new Date()): Promise<{ manifest: BackupManifest; file: Uint8Array }> {
  const { summary, rows, takenAt } = await db.$transaction(
    async (tx) => {
      const takenAt = now();
      const summary = await summariseDatabase(tx);
      const rows = await readTableRows(tx);
      return { summary, rows, takenAt };
    },
    { isolationLevel: 'RepeatableRead', timeout: BACKUP_TRANSACTION_TIMEOUT_MS },
  );
  const payload = await encodeTableRowsPayload({ tables: rows.tables, sequences: rows.sequences });
  const manifest = backupManifest(summary, 'table-rows', payload, takenAt);
  return { manifest, file: encodeBackup(manifest, payload) };
}
