// The migration state read with plain SQL through the app's own client, for a runtime without the
// migrations engine or the migrations folder (Workers): /readyz is ready only once every migration
// this build was made with has been applied (by `npm run db:migrate`, a Node step).
import type { PrismaClient } from '#prisma';
import { type HistoryRow, type MigrationStatus, compareHistory } from './migration-history.ts';

export async function migrationStateOf(db: PrismaClient, known: readonly string[]): Promise<MigrationStatus> {
  const [table] = await db.$queryRaw<{ exists: boolean }[]>`SELECT to_regclass('_prisma_migrations') IS NOT NULL AS exists`;
  if (!table?.exists) return compareHistory(known, []);
  const rows = await db.$queryRaw<{ name: string; finished: boolean; rolled_back: boolean }[]>`
    SELECT migration_name AS name, finished_at IS NOT NULL AS finished, rolled_back_at IS NOT NULL AS rolled_back
    FROM _prisma_migrations ORDER BY started_at, migration_name`;
  return compareHistory(
    known,
    rows.map((r): HistoryRow => ({ name: r.name, finished: r.finished, rolledBack: r.rolled_back })),
  );
}
