// What a demo database holds, with the identifiers and record times that differ from one load to
// the next taken out: the ledger in sequence (kinds, event dates, descriptions, every entry's
// account, amount and running balance) reduced to one hash, the row count of every table, the
// money per account kind, and the people in clear. Two demos with equal projections are the same
// demo, whatever their ids.
import { createHash } from 'node:crypto';
import type { Database } from '../../src/db/client.ts';
import type { PiiVault } from '../../src/privacy/pii-vault.ts';

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

/** Replaces each id by its order of first appearance, so two walks in the same order compare. */
function withoutIds(text: string): string {
  const seen = new Map<string, number>();
  return text.replace(UUID, (id) => {
    if (!seen.has(id)) seen.set(id, seen.size + 1);
    return `#${seen.get(id)}`;
  });
}

export interface DemoProjection {
  ledgerContentHash: string;
  ledgerTransactions: number;
  tableRows: Record<string, number>;
  moneyByAccountKind: Record<string, string>;
  people: string[];
  auditActions: Record<string, number>;
}

export async function projectDemo(db: Database, vault: PiiVault): Promise<DemoProjection> {
  const ledger = await db.prisma.$queryRawUnsafe<{ line: string }[]>(`
    SELECT json_build_array(t."seq", t."kind", t."event_date"::text, t."description", t."source_type",
             (SELECT r."seq" FROM "ledger_transaction" r WHERE r."id" = t."reverses_id"),
             (SELECT json_agg(json_build_array(e."line", a."kind", a."code", e."direction", e."amount"::text, e."balance_after"::text) ORDER BY e."line")
                FROM "ledger_entry" e JOIN "ledger_account" a ON a."id" = e."account_id" WHERE e."transaction_id" = t."id"))::text AS line
    FROM "ledger_transaction" t ORDER BY t."seq"`);
  const ledgerContentHash = createHash('sha256')
    .update(withoutIds(ledger.map((l) => l.line).join('\n')))
    .digest('hex');

  const tables = await db.prisma.$queryRawUnsafe<{ name: string }[]>(
    `SELECT table_name::text AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`,
  );
  const tableRows: Record<string, number> = {};
  for (const { name } of tables) {
    const [c] = await db.prisma.$queryRawUnsafe<{ n: number }[]>(`SELECT count(*)::int AS n FROM "${name}"`);
    tableRows[name] = c?.n ?? 0;
  }

  const money = await db.prisma.$queryRawUnsafe<{ kind: string; debit: string; credit: string }[]>(`
    SELECT a."kind"::text AS kind,
           coalesce(sum(e."amount") FILTER (WHERE e."direction" = 'debit'), 0)::text AS debit,
           coalesce(sum(e."amount") FILTER (WHERE e."direction" = 'credit'), 0)::text AS credit
    FROM "ledger_entry" e JOIN "ledger_account" a ON a."id" = e."account_id" GROUP BY a."kind" ORDER BY 1`);
  const moneyByAccountKind = Object.fromEntries(money.map((m) => [m.kind, `${m.debit} debit, ${m.credit} credit`]));

  const students = await db.prisma.$queryRawUnsafe<{ name_sealed: string; identity_number_sealed: string; bank_account_sealed: string }[]>(
    `SELECT "name_sealed", "identity_number_sealed", "bank_account_sealed" FROM "student"`,
  );
  const people: string[] = [];
  for (const s of students) {
    people.push(
      `${await vault.open('name', s.name_sealed)} ${await vault.open('identity_number', s.identity_number_sealed)} ${await vault.open('bank_account', s.bank_account_sealed)}`,
    );
  }
  people.sort();

  const actions = await db.prisma.$queryRawUnsafe<{ action: string; n: number }[]>(
    `SELECT "action", count(*)::int AS n FROM "audit_event" GROUP BY "action" ORDER BY 1`,
  );
  return {
    ledgerContentHash,
    ledgerTransactions: ledger.length,
    tableRows,
    moneyByAccountKind,
    people,
    auditActions: Object.fromEntries(actions.map((a) => [a.action, a.n])),
  };
}
