// Which migrations a database has, compared with the ones this build knows: the same answer for
// Node (src/db/migrations.ts reads the names from prisma/migrations) and for Workers, which has no
// file system and no migrations engine (src/db/migration-state-sql.ts reads _prisma_migrations
// with plain SQL, the names bundled at build time).

export type MigrationStatus = {
  applied: string[];
  pending: string[];
  failed: string[];
  upToDate: boolean;
};

/** One row of _prisma_migrations, as far as the status needs it. */
export type HistoryRow = { name: string; finished: boolean; rolledBack: boolean };

export function compareHistory(known: readonly string[], rows: HistoryRow[]): MigrationStatus {
  const live = rows.filter((r) => !r.rolledBack);
  const applied = unique(live.filter((r) => r.finished).map((r) => r.name));
  const failed = unique(live.filter((r) => !r.finished).map((r) => r.name)).filter((n) => !applied.includes(n));
  const recorded = new Set([...applied, ...failed]);
  const pending = known.filter((n) => !recorded.has(n));
  return { applied, pending, failed, upToDate: pending.length === 0 && failed.length === 0 };
}

function unique(names: string[]): string[] {
  return [...new Set(names)];
}
