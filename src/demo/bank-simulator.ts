// The demo's stand-in for the bank: given the payouts finance sent (payment-orders.ts), it writes
// the 代发 result file a bank would give back — every payout 成功, but for those named to fail,
// which come back 失败 with the bank's reason. Finance then uploads it on the batch page as it
// would the real bank's answer. For the demo and tests only: real answers come from the bank.
import { parsePayoutReference } from '../bank/outgoing/payout-reference.ts';
import { type ResultLine, daifaResultCsv } from './bank-answers.ts';
import type { PaymentOrderFile } from './payment-orders.ts';

export interface SimulatedAnswer {
  /** The day the bank executed the batch, YYYY-MM-DD. */
  date: string;
  /** Payout references the bank refuses, with its words (e.g. "账户已销户"). */
  failures: ReadonlyMap<string, string>;
}

export function answerPaymentOrders(file: PaymentOrderFile, answer: SimulatedAnswer): { lines: ResultLine[]; csv: Uint8Array } {
  for (const reference of answer.failures.keys()) {
    if (!file.orders.some((o) => o.reference === reference)) throw new Error(`${reference} is not a payout of this file`);
  }
  const day = answer.date.replaceAll('-', '');
  const lines = file.orders.map((order, i): ResultLine => {
    const reason = answer.failures.get(order.reference);
    return {
      reference: order.reference,
      accountNumber: order.accountNumber,
      name: order.name,
      amount: order.amount,
      status: reason === undefined ? '成功' : '失败',
      ...(reason === undefined ? {} : { reason }),
      bankReference: `SIM${day}${String(i + 1).padStart(6, '0')}`,
      date: answer.date,
    };
  });
  const batchCode = parsePayoutReference(file.orders[0]!.reference)?.batchCode ?? '';
  const csv = daifaResultCsv({ account: file.debtorAccount, accountName: file.debtorName ?? '', batchCode, lines });
  return { lines, csv };
}
