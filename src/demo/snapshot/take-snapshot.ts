// Reads a freshly replayed demo database into the snapshot's lines (snapshot-format.ts).
import type { PrismaClient } from '#prisma';
import { verifyAuditChain } from '../../audit/verify.ts';
import { verifyLedger } from '../../ledger/verify.ts';
import type { DemoToken } from '../seed.ts';
import { appliedMigrations, readTableRows, type TableRows } from '../../backup/table-rows.ts';
import { SNAPSHOT_FORMAT, type SnapshotHeader, type SnapshotUser } from './snapshot-format.ts';

export interface SnapshotContent {
  header: SnapshotHeader;
  /** Per table, its rows as one JSON array text. */
  tables: TableRows[];
}

export async function takeSnapshot(
  db: PrismaClient,
  made: { madeAt: Date; businessDate: string; academicYear: number; keys: SnapshotHeader['keys']; tokens: DemoToken[] },
): Promise<SnapshotContent> {
  return db.$transaction(
    async (tx) => {
      const ledger = await verifyLedger(tx);
      const audit = await verifyAuditChain(tx);
      if (!ledger.ok || ledger.commitmentProblems.length > 0 || !audit.ok) throw new Error('the replayed demo does not verify; no snapshot taken');
      const { tables, counts, sequences } = await readTableRows(tx);
      const migrations = await appliedMigrations(tx);
      const users: SnapshotUser[] = [];
      for (const t of made.tokens) {
        const [u] = await tx.$queryRaw<{ user_id: string; token_id: string }[]>`
          SELECT u."id"::text AS user_id, k."id"::text AS token_id FROM "app_user" u JOIN "api_token" k ON k."user_id" = u."id"
          WHERE u."username" = ${t.username}`;
        if (!u) throw new Error(`demo user ${t.username} has no token`);
        users.push({ userId: u.user_id, tokenId: u.token_id, organisation: t.organisation, role: t.role, user: t.user, username: t.username });
      }
      const header: SnapshotHeader = {
        format: SNAPSHOT_FORMAT,
        madeAt: made.madeAt.toISOString(),
        businessDate: made.businessDate,
        academicYear: made.academicYear,
        migrations,
        keys: made.keys,
        users,
        sequences,
        tables: counts,
        ledgerHead: ledger.head,
        auditHead: audit.head,
      };
      return { header, tables };
    },
    { timeout: 120_000 },
  );
}

export function snapshotLines(content: SnapshotContent): string {
  const lines = [JSON.stringify(content.header)];
  for (const t of content.tables) lines.push(t.name, t.rowsJson);
  return `${lines.join('\n')}\n`;
}

export function parseSnapshotLines(text: string): SnapshotContent {
  const lines = text.split('\n');
  const header = JSON.parse(lines[0] ?? '') as SnapshotHeader;
  if (header.format !== SNAPSHOT_FORMAT) throw new Error(`not a demo snapshot of format ${SNAPSHOT_FORMAT}`);
  const tables: SnapshotContent['tables'] = [];
  for (let i = 1; i + 1 < lines.length; i += 2) tables.push({ name: lines[i] as string, rowsJson: lines[i + 1] as string });
  return { header, tables };
}
