// Benchmark for the streaming bank CSV reader (not a test): writes a GBK statement export with N
// entry lines (title lines, header, entries, 合计 and 总笔数 footer) to a temporary file, streams
// it through readCsvStatement, and prints lines/s and memory. Memory should stay flat as N grows;
// if peak RSS grows with N, something is holding the file. Target: ≥ 100,000 lines/s.
//
//   npx tsx scripts/bench-csv-statement.ts [lines=1000000] [--keep] [--utf8]
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import iconv from 'iconv-lite';
import { formatMoney, money, sumMoney } from '../src/domain/money.ts';
import { csvPreset, readCsvStatement } from '../src/bank/statement-csv/index.ts';
import { startMemorySampler } from './lib/memory-sampler.ts';

const lines = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 1_000_000);
const keep = process.argv.includes('--keep');
const utf8 = process.argv.includes('--utf8');
const encode = (s: string): Buffer => (utf8 ? Buffer.from(s, 'utf8') : iconv.encode(s, 'gbk'));

/** Payouts (debits) with an occasional return (credit), Chinese names and remarks, quoted amounts. */
function line(i: number): { text: string; debit: boolean; cents: bigint } {
  const returned = i % 50 === 49;
  const yuan = 3000 + (i % 2001);
  const fen = i % 100;
  const amount = `${yuan.toLocaleString('en')}.${String(fen).padStart(2, '0')}`;
  const day = String(1 + (i % 30)).padStart(2, '0');
  const ref = `QS2025-${String(i).padStart(9, '0')}`;
  const account = `62220202${String(i).padStart(11, '0')}`;
  const text =
    `2025-09-${day},${String(i % 24).padStart(2, '0')}:15:30,${returned ? '退汇' : '代发'},` +
    `${returned ? `,"${amount}"` : `"${amount}",`},,${account},学生${i},青山陪伴助学金 ${ref} 第一期,BK${String(i).padStart(10, '0')}\r\n`;
  return { text, debit: !returned, cents: BigInt(yuan * 100 + fen) };
}

async function generate(file: string): Promise<{ debitCents: bigint; creditCents: bigint }> {
  const out = createWriteStream(file);
  const write = async (s: string): Promise<void> => {
    if (!out.write(encode(s))) await once(out, 'drain');
  };
  await write(
    '中国建设银行 账户明细\r\n账号：6222000000000000001,户名：青海省民政厅\r\n币种：人民币,起始日期：2025-09-01,终止日期：2025-09-30\r\n' +
      '交易日期,交易时间,摘要,借方发生额,贷方发生额,余额,对方账号,对方户名,附言,交易流水号\r\n',
  );
  let debitCents = 0n;
  let creditCents = 0n;
  let batch = '';
  for (let i = 0; i < lines; i++) {
    const l = line(i);
    if (l.debit) debitCents += l.cents;
    else creditCents += l.cents;
    batch += l.text;
    if (batch.length > 256 * 1024) {
      await write(batch);
      batch = '';
    }
  }
  const yuan = (c: bigint): string => `${c / 100n}.${String(c % 100n).padStart(2, '0')}`;
  await write(`${batch}合计,,,"${yuan(debitCents)}","${yuan(creditCents)}",,,,,\r\n总笔数：${lines}\r\n打印日期：2025-10-02\r\n`);
  out.end();
  await once(out, 'finish');
  return { debitCents, creditCents };
}

const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

async function main(): Promise<void> {
  const dir = await mkdtemp(path.join(tmpdir(), 'bench-csv-'));
  const file = path.join(dir, utf8 ? 'statement-utf8.csv' : 'statement-gbk.csv');
  try {
    let t = performance.now();
    await generate(file);
    const size = (await stat(file)).size;
    console.log(
      `generated ${lines.toLocaleString('en')} entry lines (${utf8 ? 'UTF-8' : 'GBK'}), ${mb(size)} in ${((performance.now() - t) / 1000).toFixed(1)} s: ${file}`,
    );

    const memory = startMemorySampler(25);
    const { rssBefore, sample } = memory;

    t = performance.now();
    let entries = 0;
    let withReference = 0;
    let physicalLines = 0;
    let encoding = '';
    const credits: string[] = [];
    for await (const event of readCsvStatement(createReadStream(file, { highWaterMark: 64 * 1024 }), {
      mapping: csvPreset('generic-cn'),
      fileName: path.basename(file),
    })) {
      if (event.type === 'entry') {
        entries++;
        if (event.references.length > 0) withReference++;
        if (event.creditDebit === 'CRDT') credits.push(event.amount);
        if ((entries & 0x3fff) === 0) sample();
      } else if (event.type === 'statement-end') {
        physicalLines = event.lineCount;
        encoding = event.encoding;
      }
    }
    const seconds = (performance.now() - t) / 1000;
    const { peakRss, peakHeap } = memory.stop();
    if (entries !== lines) throw new Error(`read ${entries} entries, wrote ${lines}`);

    console.log(
      `read ${entries.toLocaleString('en')} entries (${withReference.toLocaleString('en')} with a reference, ${credits.length} returns totalling ${formatMoney(sumMoney(credits.map((c) => money(c))))} CNY; footer checked) ` +
        `from ${physicalLines.toLocaleString('en')} lines, ${encoding}, in ${seconds.toFixed(2)} s`,
    );
    console.log(`throughput: ${Math.round(physicalLines / seconds).toLocaleString('en')} lines/s, ${(size / 1024 / 1024 / seconds).toFixed(1)} MB/s`);
    console.log(
      `memory: RSS before read ${mb(rssBefore)}, peak RSS sampled ${mb(peakRss)}, peak heap used ${mb(peakHeap)}, maxRSS (whole process, incl. generation) ${mb(process.resourceUsage().maxRSS * 1024)}`,
    );
  } finally {
    if (!keep) await rm(dir, { recursive: true, force: true });
  }
}

await main();
