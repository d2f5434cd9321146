// Each funding transfer of a programme and what became of it: how much of it grants have drawn on,
// first in first used (src/domain/funding-attribution.ts), and how much is still uncommitted. The
// commitments are read from the ledger: the fund account holds what was received and not committed
// (cancelled remainders flow back into it), so received − fund balance is what grants hold now.
import { z } from 'zod';
import { attributeCommitments } from '../domain/funding-attribution.ts';
import { ZERO, formatMoney, money } from '../domain/money.ts';
import { programmeBalances } from '../ledger/balances.ts';
import type { ServiceContext } from './context.ts';
import { Uuid } from './fields.ts';
import { type FundingReceiptView, listFundingReceipts } from './funding-receipts.ts';
import { parseInput } from './validation.ts';

export const FundingUseInput = z.strictObject({ programmeId: Uuid });

export interface FundingUse {
  /** Oldest first. Reversed receipts are listed with nothing attributed to them. */
  receipts: (FundingReceiptView & { committed: string; uncommitted: string })[];
  received: string;
  /** Approved grants less cancelled remainders: what the transfers have been drawn on for. */
  netCommitted: string;
  fundBalance: string;
}

export async function programmeFundingUse({ ctx, input: raw }: { ctx: ServiceContext; input: z.input<typeof FundingUseInput> }): Promise<FundingUse> {
  const input = parseInput(FundingUseInput, raw);
  const all: FundingReceiptView[] = [];
  let cursor: string | undefined;
  do {
    // listFundingReceipts checks scope and permission; it lists newest first.
    const page = await listFundingReceipts({ ctx, input: { programmeId: input.programmeId, limit: 200, ...(cursor ? { cursor } : {}) } });
    all.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  const oldestFirst = all.reverse();
  const live = oldestFirst.filter((r) => r.status === 'recorded');
  const received = live.reduce((sum, r) => sum.plus(r.amount), ZERO);
  const fund = (await programmeBalances(ctx.db, [input.programmeId])).get(input.programmeId)?.fund ?? ZERO;
  const netCommitted = received.minus(fund);
  const uses = new Map(
    attributeCommitments(
      live.map((r) => ({ id: r.id, amount: money(r.amount) })),
      netCommitted,
    ).map((u) => [u.id, u]),
  );
  return {
    receipts: oldestFirst.map((r) => {
      const use = uses.get(r.id);
      return { ...r, committed: formatMoney(use?.committed ?? ZERO), uncommitted: formatMoney(use?.uncommitted ?? ZERO) };
    }),
    received: formatMoney(received),
    netCommitted: formatMoney(netCommitted),
    fundBalance: formatMoney(fund),
  };
}
