// A programme's money flows, read from its ledger transactions: per kind of transaction, how many
// and how much (reversals taken back out), and from those the figures a foundation asks about
// (src/domain/money-flows.ts). Each figure is therefore the sum of the rows a page lists under
// /programmes/:id/ledger?kind=…, and the balances beside them are the accounts' running balances.
import { z } from 'zod';
import type { LedgerTransactionKind } from '../domain/ledger-postings.ts';
import { type MoneyFlows, kindTotal, moneyFlowsOf } from '../domain/money-flows.ts';
import { formatMoney } from '../domain/money.ts';
import { programmeBalances } from '../ledger/balances.ts';
import type { ServiceContext } from './context.ts';
import { Uuid } from './fields.ts';
import { findProgrammeInScope } from './programmes.ts';
import { requirePermission } from './scope.ts';
import { parseInput } from './validation.ts';

export const ProgrammeMoneyInput = z.strictObject({ programmeId: Uuid });

export interface ProgrammeMoney {
  programmeId: string;
  /** The figures, as money strings. */
  flows: Record<keyof MoneyFlows, string>;
  /** Per kind of transaction: count, amount and the part reversed. */
  kinds: { kind: LedgerTransactionKind; transactions: number; amount: string; reversed: string }[];
  balances: { bank: string; fund: string; payable: string; inTransit: string };
  /** The programme's newest transaction: the figures include it and nothing after it. */
  throughSeq: string | null;
}

/** A programme's ledger transactions of one kind, as the database sums them (text amounts). */
export interface KindRow {
  kind: LedgerTransactionKind;
  transactions: number;
  amount: string;
  reversed: string;
}

export async function programmeMoney({ ctx, input: raw }: { ctx: ServiceContext; input: z.input<typeof ProgrammeMoneyInput> }): Promise<ProgrammeMoney> {
  const input = parseInput(ProgrammeMoneyInput, raw);
  await findProgrammeInScope(ctx.db, ctx, input.programmeId);
  requirePermission(ctx.actor, 'ledger.read');
  // One snapshot: the sums, the balances and the newest sequence number agree with each other.
  return ctx.db.$transaction(
    async (tx) => {
      await tx.$executeRawUnsafe('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
      // A transaction's amount is the sum of its debit lines (equal to its credits: the ledger
      // refuses any other). A reversal is not a flow of its own: it takes back the one it reverses.
      const rows = await tx.$queryRaw<KindRow[]>`
        SELECT t."kind"::text AS kind,
               count(*)::int AS transactions,
               coalesce(sum(d.amount), 0)::text AS amount,
               coalesce(sum(d.amount) FILTER (WHERE r."id" IS NOT NULL), 0)::text AS reversed
        FROM "ledger_transaction" t
        JOIN LATERAL (
          SELECT sum(e."amount") AS amount FROM "ledger_entry" e WHERE e."transaction_id" = t."id" AND e."direction" = 'debit'
        ) d ON true
        LEFT JOIN "ledger_transaction" r ON r."reverses_id" = t."id"
        WHERE t."programme_id" = ${input.programmeId}::uuid AND t."reverses_id" IS NULL
        GROUP BY t."kind"
        ORDER BY t."kind"`;
      const [newest] = await tx.$queryRaw<{ seq: string | null }[]>`
        SELECT max("seq")::text AS seq FROM "ledger_transaction" WHERE "programme_id" = ${input.programmeId}::uuid`;
      const balances = (await programmeBalances(tx, [input.programmeId])).get(input.programmeId);
      const flows = moneyFlowsOf(rows.map((r) => kindTotal(r.kind, r.transactions, r.amount, r.reversed)));
      return {
        programmeId: input.programmeId,
        flows: Object.fromEntries(Object.entries(flows).map(([name, value]) => [name, formatMoney(value)])) as ProgrammeMoney['flows'],
        kinds: rows.map((r) => ({ kind: r.kind, transactions: r.transactions, amount: formatMoney(r.amount), reversed: formatMoney(r.reversed) })),
        balances: {
          bank: formatMoney(balances?.bank ?? 0),
          fund: formatMoney(balances?.fund ?? 0),
          payable: formatMoney(balances?.payable ?? 0),
          inTransit: formatMoney(balances?.inTransit ?? 0),
        },
        throughSeq: newest?.seq ?? null,
      };
    },
    { isolationLevel: 'RepeatableRead' },
  );
}
