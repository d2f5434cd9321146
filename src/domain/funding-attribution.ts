// Which transfers a programme's commitments drew on. The fund is one pool — the ledger does not
// earmark a yuan to a transfer — so a page that says "where this transfer's money went" states a
// rule: first in, first used. Grants approved (less what was cancelled back into the fund) use up
// the transfers in the order they arrived; what is left of the newest is still uncommitted. Pure.
import { type Money, ZERO } from './money.ts';

export interface Transfer {
  id: string;
  amount: Money;
}

export interface TransferUse {
  id: string;
  /** The part of this transfer the commitments used, first in first used. */
  committed: Money;
  /** The part not yet committed to any grant. */
  uncommitted: Money;
}

/**
 * @param transfers in the order they arrived (received date, then the order recorded), reversed ones left out
 * @param netCommitted approved grants' amounts less the cancelled remainders returned to the fund
 */
export function attributeCommitments(transfers: readonly Transfer[], netCommitted: Money): TransferUse[] {
  let left = netCommitted.isNegative() ? ZERO : netCommitted;
  return transfers.map((t) => {
    const committed = left.greaterThan(t.amount) ? t.amount : left;
    left = left.minus(committed);
    return { id: t.id, committed, uncommitted: t.amount.minus(committed) };
  });
}
