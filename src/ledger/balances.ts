// Current balances, read from each account's newest entry (its running balance).
import type { AccountKind } from '../domain/ledger-accounts.ts';
import { type Money, ZERO, money } from '../domain/money.ts';
import type { Tx } from '../db/transaction.ts';

export interface ProgrammeBalances {
  bank: Money;
  fund: Money;
  inTransit: Money;
  /** Sum over every grant's payable account: approved and not yet sent. */
  payable: Money;
}

interface Row {
  programme_id: string;
  kind: AccountKind;
  balance: string | null;
}

export async function programmeBalances(db: Tx, programmeIds: string[]): Promise<Map<string, ProgrammeBalances>> {
  const result = new Map<string, ProgrammeBalances>();
  for (const id of programmeIds) result.set(id, { bank: ZERO, fund: ZERO, inTransit: ZERO, payable: ZERO });
  if (programmeIds.length === 0) return result;
  const rows = await db.$queryRaw<Row[]>`
    SELECT a."programme_id"::text AS programme_id, a."kind"::text AS kind, sum(e."balance_after")::text AS balance
    FROM "ledger_account" a
    LEFT JOIN LATERAL (
      SELECT "balance_after" FROM "ledger_entry" WHERE "account_id" = a."id" ORDER BY "seq" DESC LIMIT 1
    ) e ON true
    WHERE a."programme_id" = ANY(${programmeIds}::uuid[])
    GROUP BY a."programme_id", a."kind"`;
  for (const row of rows) {
    const b = result.get(row.programme_id);
    if (!b) continue;
    const value = row.balance === null ? ZERO : money(row.balance);
    if (row.kind === 'bank') b.bank = value;
    else if (row.kind === 'fund') b.fund = value;
    else if (row.kind === 'in_transit') b.inTransit = value;
    else b.payable = value;
  }
  return result;
}
