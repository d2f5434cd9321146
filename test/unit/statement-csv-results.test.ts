// An account-history CSV read as the bank's answer: debits, money coming back (a credit naming a
// payout, a 退汇 credit, a red-ink reversal of a debit), credits that are not payout results, the
// payee kept for matching, and an ISO return code written as camt's.
import { describe, expect, it } from 'vitest';
import { readBankResultLines } from '../../src/bank/results/read-bank-result-lines.ts';
import { BankResultFileError } from '../../src/bank/results/index.ts';

async function* chunks(text: string): AsyncGenerator<string> {
  yield text;
}

const HEADER = '交易日期,摘要,借方发生额,贷方发生额,余额,对方账号,对方户名,交易流水号,附言';
const csv = (...rows: string[]) => ['中国建设银行 账户明细', '户名：青海省民政厅', HEADER, ...rows, ''].join('\r\n');

describe('account-history CSV as a bank answer (format statement-csv)', () => {
  it('reads debits, returns and the payee; skips funding and corrections of credits', async () => {
    const file = await readBankResultLines(
      chunks(
        csv(
          '2026-11-20,汇入,,50000.00,,1058000011112222,省财政厅,BK1,资助资金拨付',
          '2026-11-26,代发,1500.00,,,6222 0202 0011 2233,张三,BK2,PB20261126-00001-000001',
          '2026-11-26,代发,1600.00,,,6222020200112234,李四,BK3,',
          '2026-11-27,退汇,,1500.00,,6222020200112233,张三,BK4,PB20261126-00001-000001 AC04 账户已销户',
          '2026-11-27,退汇,,1700.00,,6222020200112235,王五,BK5,收款账户冻结',
          '2026-11-28,冲正,-1600.00,,,6222020200112234,李四,BK6,',
          '2026-11-28,冲正,,-100.00,,1058000011112222,省财政厅,BK7,',
        ),
      ),
      { format: 'statement-csv', preset: 'generic-cn' },
    );
    expect(file).toMatchObject({ format: 'statement-csv', messageId: null, account: null, currency: 'CNY' });
    expect(file.lines.map((l) => [l.line, l.kind, l.reference, l.amount, l.reason, l.bankReference])).toEqual([
      [5, 'debit', 'PB20261126-00001-000001', '1500.00', null, 'BK2'],
      [6, 'debit', null, '1600.00', null, 'BK3'],
      [7, 'return', 'PB20261126-00001-000001', '1500.00', 'AC04: 账户已销户', 'BK4'],
      [8, 'return', null, '1700.00', '收款账户冻结', 'BK5'],
      [9, 'return', null, '1600.00', null, 'BK6'],
    ]);
    // The statement reader already drops the spaces banks print accounts with.
    expect(file.lines[0]).toMatchObject({ counterpartyAccount: '6222020200112233', counterpartyName: '张三' });
    expect(file.skipped.map((s) => s.line)).toEqual([4, 10]);
  });

  it('needs its layout; two payout references on one line cannot be told apart', async () => {
    await expect(readBankResultLines(chunks(csv('2026-11-26,代发,1.00,,,,,BK1,x')), { format: 'statement-csv' })).rejects.toThrow(/preset/);
    const two = readBankResultLines(chunks(csv('2026-11-26,代发,1.00,,,,,BK1,PB20261126-00001-000001 PB20261126-00001-000002')), {
      format: 'statement-csv',
      preset: 'generic-cn',
    });
    await expect(two).rejects.toBeInstanceOf(BankResultFileError);
    await expect(readBankResultLines(chunks('<?xml version="1.0"?><Document/>'), { format: 'statement-csv', preset: 'generic-cn' })).rejects.toThrow(/XML/);
  });
});
