// The demo's stand-in for the bank reads back what the real writers produce (pain.001, 代发 CSV in
// UTF-8 and GBK) and answers with a 代发 result file that the real result reader takes: every
// payout settled but those named to fail, each by its reference, amounts unchanged.
import { describe, expect, it } from 'vitest';
import { collectBankFile } from '../../src/bank/node/write-bank-file.ts';
import { writeDaifaCsv, writePain001 } from '../../src/bank/outgoing/index.ts';
import { formatMoney } from '../../src/domain/money.ts';
import { readBankResultLines } from '../../src/bank/results/index.ts';
import { answerPaymentOrders } from '../../src/demo/bank-simulator.ts';
import { readPaymentOrders } from '../../src/demo/payment-orders.ts';
import { PURPOSE, SMALL_TOTALS, painHeader, smallBatch } from '../fixtures/bank/payouts.ts';

async function* once(bytes: Uint8Array) {
  yield bytes;
}

const pain001 = async () => (await collectBankFile(writePain001(painHeader(), smallBatch()))).content;
const daifa = async (encoding: 'utf-8' | 'gbk') =>
  (await collectBankFile(writeDaifaCsv({ purpose: PURPOSE, totals: SMALL_TOTALS }, smallBatch(), { encoding, summaryLine: true }))).content;

describe('reading back a batch file', () => {
  it('reads every payment of a pain.001 with its reference, account, name and amount, and the paying account', async () => {
    const file = readPaymentOrders(await pain001());
    expect(file.kind).toBe('pain.001');
    expect(file.debtorAccount).toBe(painHeader().debtor.account);
    expect(file.debtorName).toBe(painHeader().debtor.name);
    expect(file.orders).toEqual(
      smallBatch().map((p) => ({ reference: p.reference, accountNumber: p.payeeAccount, name: p.payeeName, amount: formatMoney(p.amount) })),
    );
  });

  it.each(['utf-8', 'gbk'] as const)('reads a 代发 CSV in %s the same way', async (encoding) => {
    const file = readPaymentOrders(await daifa(encoding));
    expect(file.kind).toBe('daifa-csv');
    expect(file.orders.map((o) => [o.reference, o.name, o.amount])).toEqual(smallBatch().map((p) => [p.reference, p.payeeName, formatMoney(p.amount)]));
  });

  it('refuses a file that is neither', () => {
    expect(() => readPaymentOrders(new TextEncoder().encode('a,b\n1,2\n'))).toThrow(/收款账号/);
    expect(() => readPaymentOrders(new TextEncoder().encode('<Document/>'))).toThrow(/no payment/);
  });
});

describe('the simulated answer', () => {
  it('settles every payout but the one named to fail, and the result reader takes it', async () => {
    const file = readPaymentOrders(await pain001());
    const failing = file.orders[1]!.reference;
    const { csv } = answerPaymentOrders(file, { date: '2026-12-07', failures: new Map([[failing, '账户已销户']]) });
    const read = await readBankResultLines(once(csv));
    expect(read.lines.map((l) => [l.reference, l.kind, l.amount, l.bookingDate])).toEqual(
      file.orders.map((o) => [o.reference, o.reference === failing ? 'failed' : 'debit', o.amount, '2026-12-07']),
    );
    expect(read.lines.find((l) => l.reference === failing)?.reason).toBe('账户已销户');
  });

  it('refuses to fail a payout the file does not hold', async () => {
    const file = readPaymentOrders(await pain001());
    expect(() => answerPaymentOrders(file, { date: '2026-12-07', failures: new Map([['NOPE-000001', 'x']]) })).toThrow(/not a payout/);
  });
});
