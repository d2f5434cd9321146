// npm run demo:bank-answer -- <batch file> [--fail <payout reference>[=<reason>]]… [--date YYYY-MM-DD] [--out <file>]
//
// For the demo: plays the bank. Reads the file finance downloaded from a batch page (pain.001 or
// 代发 CSV) and writes the 代发 result file (GBK) a bank would give back, every payout 成功 except
// those named with --fail. Finance then uploads that file on the batch page as the bank's answer.
// Never for real money: a real answer comes from the bank.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { answerPaymentOrders } from '../src/demo/bank-simulator.ts';
import { readPaymentOrders } from '../src/demo/payment-orders.ts';
import { todayInChina } from '../src/domain/dates.ts';
import { runCli } from './lib/open-database.ts';

const DEFAULT_REASON = '账户已销户 (account closed)';

runCli('demo:bank-answer', async () => {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { fail: { type: 'string', multiple: true }, date: { type: 'string' }, out: { type: 'string' } },
  });
  const [input] = positionals;
  if (!input) {
    console.error('用法 Usage: npm run demo:bank-answer -- <batch file> [--fail <reference>[=<reason>]]… [--date YYYY-MM-DD] [--out <file>]');
    return 2;
  }
  const date = values.date ?? todayInChina();
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) throw new Error('--date must be YYYY-MM-DD');
  const failures = new Map(
    (values.fail ?? []).map((f) => {
      const [reference, reason] = f.split('=', 2);
      return [reference!, reason || DEFAULT_REASON] as const;
    }),
  );
  const file = readPaymentOrders(readFileSync(input));
  const { lines, csv } = answerPaymentOrders(file, { date, failures });
  const out = values.out ?? path.join(path.dirname(input), `${path.basename(input).replace(/\.[^.]+$/, '')}.bank-answer.gbk.csv`);
  writeFileSync(out, csv);
  const failed = lines.filter((l) => l.status === '失败').length;
  console.log(
    `模拟银行回执 Simulated bank answer (demo only): ${lines.length} 笔 payouts, ${lines.length - failed} 成功 settled, ${failed} 失败 failed, ${date}`,
  );
  console.log(`已写入 Written: ${out}`);
  console.log('请在批次页面"上传银行回单"处上传此文件 (upload it on the batch page as the bank\'s answer).');
  return 0;
});
