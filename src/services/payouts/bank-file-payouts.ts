// A batch's payouts as the bank-file writers take them: read a page at a time in sequence order,
// each name and account opened from its snapshot only as the writer reaches it.
import type { PrismaClient } from '#prisma';
import type { BankPayout } from '../../bank/outgoing/types.ts';
import type { PiiVault } from '../../privacy/pii-vault.ts';

const PAGE = 1_000;

export function makeBankPayoutSource(db: PrismaClient, vault: PiiVault, batchId: string): () => AsyncIterable<BankPayout> {
  return async function* payouts() {
    let after = 0;
    for (;;) {
      const page = await db.payout.findMany({
        where: { batchId, sequence: { gt: after } },
        orderBy: { sequence: 'asc' },
        take: PAGE,
        select: { sequence: true, reference: true, amount: true, payeeNameSealed: true, payeeAccountSealed: true, payeeBankName: true },
      });
      if (page.length === 0) return;
      const opened = await Promise.all(
        page.map(async (p) => ({
          reference: p.reference,
          amount: p.amount.toFixed(2),
          payeeName: await vault.open('name', p.payeeNameSealed),
          payeeAccount: await vault.open('bank_account', p.payeeAccountSealed),
          payeeBank: { name: p.payeeBankName },
        })),
      );
      yield* opened;
      after = (page[page.length - 1] as { sequence: number }).sequence;
    }
  };
}
