// Reads a freshly replayed demo database into the snapshot's lines (snapshot-format.ts).
import type { PrismaClient } from '../../generated/prisma/client.ts';
import { verifyAuditChain } from '../../audit/verify.ts';
import { verifyLedger } from '../../ledger/verify.ts';
import type { DemoToken } from '../seed.ts';
import { NOT_SNAPSHOTTED, SNAPSHOT_FORMAT, type SnapshotHeader, type SnapshotUser } from './snapshot-format.ts';

export interface SnapshotContent {
  header: SnapshotHeader;
  /** Per table, its rows as one JSON array text. */
  tables: { name: string; rowsJson: string }[];
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
      const names = await tx.$queryRawUnsafe<{ name: string }[]>(
        `SELECT table_name::text AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`,
      );
      const tables: SnapshotContent['tables'] = [];
      const counts: SnapshotHeader['tables'] = [];
      for (const { name } of names) {
        if (NOT_SNAPSHOTTED.has(name)) continue;
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
      const sequences: SnapshotHeader['sequences'] = [];
      for (const { name } of sequenceNames) {
        const [s] = await tx.$queryRawUnsafe<{ last_value: string; is_called: boolean }[]>(`SELECT last_value::text, is_called FROM "${name}"`);
        if (s) sequences.push({ name, lastValue: s.last_value, isCalled: s.is_called });
      }
      const migrations = await tx.$queryRawUnsafe<{ name: string; checksum: string }[]>(
        `SELECT migration_name AS name, checksum FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY migration_name`,
      );
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
