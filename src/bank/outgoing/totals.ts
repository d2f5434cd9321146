// The declared count and sum, checked as the payouts stream past. Both file formats write the totals
// before the first payout (pain.001's NbOfTxs/CtrlSum, the 代发 summary line), so they are taken on
// trust from the caller and verified here: one payout too many fails at once, a missing one or a sum
// that is off fails in `finish`, which the writers call before they hand out the file's last bytes.
import { type Money, ZERO, formatMoney } from '../../domain/money.ts';
import { BankFileError } from './errors.ts';
import { checkAmount } from './fields.ts';
import type { AmountInput, DeclaredTotals } from './types.ts';

export class DeclaredTotalsCheck {
  private count = 0;
  private sum: Money = ZERO;
  private readonly seen: Set<string> | undefined;

  constructor(
    private readonly declaredCount: number,
    private readonly declaredSum: Money,
    checkUniqueReferences: boolean,
  ) {
    this.seen = checkUniqueReferences ? new Set() : undefined;
  }

  /** Counts one payout; returns its 1-based position. Throws past the declared count or on a repeated reference. */
  add(reference: string, amount: Money): number {
    const index = ++this.count;
    if (index > this.declaredCount) {
      throw new BankFileError(`the batch was declared with ${this.declaredCount} payouts and has more`, { index, reference });
    }
    if (this.seen !== undefined) {
      if (this.seen.has(reference)) throw new BankFileError('the reference is used by an earlier payout of the batch', { index, reference });
      this.seen.add(reference);
    }
    this.sum = this.sum.plus(amount);
    return index;
  }

  /** The position the next payout will have, for errors raised before `add`. */
  get nextIndex(): number {
    return this.count + 1;
  }

  /** Throws unless exactly the declared number of payouts, adding up exactly to the declared sum, were added. */
  finish(): void {
    if (this.count !== this.declaredCount) {
      throw new BankFileError(`the batch was declared with ${this.declaredCount} payouts and has ${this.count}`);
    }
    if (!this.sum.equals(this.declaredSum)) {
      throw new BankFileError(`the batch was declared to sum to ${formatMoney(this.declaredSum)} and its payouts sum to ${formatMoney(this.sum)}`);
    }
  }
}

/**
 * The totals of a list of payout amounts, in the form the writers take. For callers that have the
 * amounts at hand (a database SUM does the same for a batch that is streamed from the database).
 */
export function totalsOf(amounts: Iterable<AmountInput>): DeclaredTotals {
  let count = 0;
  let sum: Money = ZERO;
  for (const amount of amounts) {
    count++;
    sum = sum.plus(checkAmount(amount, { index: count, field: 'amount' }).value);
  }
  return { count, controlSum: formatMoney(sum) };
}
