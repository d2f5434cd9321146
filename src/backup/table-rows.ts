// Every table's rows as PostgreSQL writes them (row_to_json), and the sequences where they stand:
// what the demo snapshot and an embedded database's backup carry. Rows are handed back to
// PostgreSQL unparsed (json_populate_recordset), so amounts never pass through a JS number.
import type { Tx } from '../db/transaction.ts';

/** Tables never carried: the migrations write their own history into the database they build. */
export const NOT_CARRIED = new Set(['_prisma_migrations']);

export interface TableRows {
  name: string;
  /** The table's rows as one JSON array text. */
  rowsJson: string;
}

export interface SequenceState {
  name: string;
  lastValue: string;
  isCalled: boolean;
}

export interface DatabaseRows {
  tables: TableRows[];
  counts: { name: string; rows: number }[];
  sequences: SequenceState[];
}

/** Reads every table of the public schema and every sequence; run it in one transaction for a consistent picture. */
export async function readTableRows(tx: Tx): Promise<DatabaseRows> {
  const names = await tx.$queryRawUnsafe<{ name: string }[]>(
    `SELECT table_name::text AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`,
  );
  const tables: TableRows[] = [];
  const counts: DatabaseRows['counts'] = [];
  for (const { name } of names) {
    if (NOT_CARRIED.has(name)) continue;
    // Ordered by every column, so the same database always gives the same file.
    const [row] = await tx.$queryRawUnsafe<{ rows: string; n: number }[]>(
      `SELECT coalesce('[' || string_agg(row_to_json(t)::text, ',' ORDER BY row_to_json(t)::text) || ']', '[]') AS rows, count(*)::int AS n FROM "${name}" t`,
    );
    tables.push({ name, rowsJson: row?.rows ?? '[]' });
    counts.push({ name, rows: row?.n ?? 0 });
  }
  const sequenceNames = await tx.$queryRawUnsafe<{ name: string }[]>(
    `SELECT sequence_name::text AS name FROM information_schema.sequences WHERE sequence_schema = 'public' ORDER BY 1`,
  );
  const sequences: SequenceState[] = [];
  for (const { name } of sequenceNames) {
    const [s] = await tx.$queryRawUnsafe<{ last_value: string; is_called: boolean }[]>(`SELECT last_value::text, is_called FROM "${name}"`);
    if (s) sequences.push({ name, lastValue: s.last_value, isCalled: s.is_called });
  }
  return { tables, counts, sequences };
}

/**
 * Replaces every carried table's rows and sets the sequences. The caller turns the triggers off
 * first (session_replication_role = replica): the rows are those the triggers already checked and
 * completed when they were first written, so firing them again would add second copies (running
 * balances, audit chain rows); verifying the result is what proves it.
 */
export async function writeTableRows(tx: Tx, tables: readonly TableRows[], sequences: readonly SequenceState[]): Promise<void> {
  // Rows the migrations wrote (the audit chain's genesis head) give way to the carried ones.
  for (const t of tables) await tx.$executeRawUnsafe(`DELETE FROM "${t.name}"`);
  for (const t of tables) {
    await tx.$executeRawUnsafe(`INSERT INTO "${t.name}" SELECT * FROM json_populate_recordset(NULL::"${t.name}", $1::json)`, t.rowsJson);
  }
  for (const s of sequences) await tx.$executeRawUnsafe(`SELECT setval('"${s.name}"', $1::bigint, $2)`, s.lastValue, s.isCalled);
}

/** The migrations a database was built by, as `_prisma_migrations` records them. */
export async function appliedMigrations(tx: Tx): Promise<{ name: string; checksum: string }[]> {
  return tx.$queryRawUnsafe<{ name: string; checksum: string }[]>(
    `SELECT migration_name AS name, checksum FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY migration_name`,
  );
}
