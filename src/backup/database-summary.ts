// What a backup's manifest says of its database, read in the backup's own transaction, and what a
// restore compares the restored database with: the migrations, both chains' heads, the row counts.
import { chainHead } from '../checkpoints/chain-heads.ts';
import type { Tx } from '../db/transaction.ts';
import type { DatabaseSummary } from './backup-file.ts';
import { NOT_CARRIED, appliedMigrations } from './table-rows.ts';

export async function summariseDatabase(tx: Tx): Promise<DatabaseSummary> {
  const names = await tx.$queryRawUnsafe<{ name: string }[]>(
    `SELECT table_name::text AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`,
  );
  const tables: DatabaseSummary['tables'] = [];
  for (const { name } of names) {
    if (NOT_CARRIED.has(name)) continue;
    const [row] = await tx.$queryRawUnsafe<{ n: number }[]>(`SELECT count(*)::int AS n FROM "${name}"`);
    tables.push({ name, rows: row?.n ?? 0 });
  }
  const [ledger, audit] = [await chainHead(tx, 'ledger'), await chainHead(tx, 'audit')];
  return { migrations: await appliedMigrations(tx), ledgerHead: ledger, auditHead: audit, tables };
}

export interface SummaryDifference {
  zh: string;
  en: string;
}

const headText = (h: DatabaseSummary['ledgerHead']) => (h ? `${h.sequence}/${h.hash}` : 'none');

/** Where a restored database differs from what its manifest says was backed up (empty: nowhere). */
export function summaryDifferences(expected: DatabaseSummary, restored: DatabaseSummary): SummaryDifference[] {
  const out: SummaryDifference[] = [];
  if (JSON.stringify(expected.migrations) !== JSON.stringify(restored.migrations)) {
    out.push({ zh: '迁移记录与清单不符', en: 'the migration history is not the manifest’s' });
  }
  for (const chain of ['ledgerHead', 'auditHead'] as const) {
    if (headText(expected[chain]) !== headText(restored[chain])) {
      out.push({
        zh: `${chain === 'ledgerHead' ? '账本' : '审计链'}链头与清单不符（清单 ${headText(expected[chain])}，恢复后 ${headText(restored[chain])}）`,
        en: `the ${chain === 'ledgerHead' ? 'ledger' : 'audit'} chain head is not the manifest’s (manifest ${headText(expected[chain])}, restored ${headText(restored[chain])})`,
      });
    }
  }
  const restoredRows = new Map(restored.tables.map((t) => [t.name, t.rows]));
  for (const t of expected.tables) {
    const rows = restoredRows.get(t.name);
    if (rows !== t.rows) {
      out.push({
        zh: `表 ${t.name} 行数与清单不符（清单 ${t.rows}，恢复后 ${rows ?? '无此表'}）`,
        en: `table ${t.name} has ${rows ?? 'no'} rows, the manifest says ${t.rows}`,
      });
    }
  }
  const expectedNames = new Set(expected.tables.map((t) => t.name));
  for (const t of restored.tables) {
    if (!expectedNames.has(t.name)) out.push({ zh: `恢复后多出清单未列的表 ${t.name}`, en: `table ${t.name} is not in the manifest` });
  }
  return out;
}
