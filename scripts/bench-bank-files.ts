// Benchmark for the bank-file writers (not a test): streams N generated payouts through the
// pain.001.001.09 writer and the 代发 CSV writer (UTF-8 and GBK) into a temporary file with
// writeBankFile (temporary file, fsync, rename, SHA-256), and prints payouts/s, MB/s and memory.
// Memory should stay flat as N grows; if peak RSS grows with N, something is holding the document.
//
//   npx tsx scripts/bench-bank-files.ts [--n 100000] [--format pain001,csv-utf8,csv-gbk]
//
// Each format runs in its own child process, so maxRSS is that format's peak alone. The payouts are
// generated on the fly (nothing is held), so the figures include making them: a lower bound for the
// writer alone.
import { fork } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeBankFile } from '../src/bank/node/write-bank-file.ts';
import { type BankPayout, makePayoutReference, writeDaifaCsv, writePain001 } from '../src/bank/outgoing/index.ts';
import { startMemorySampler } from './lib/memory-sampler.ts';

type Format = 'pain001' | 'csv-utf8' | 'csv-gbk';
const FORMATS: Format[] = ['pain001', 'csv-utf8', 'csv-gbk'];

interface Result {
  format: Format;
  n: number;
  seconds: number;
  bytes: number;
  sha256: string;
  rssBeforeMb: number;
  peakRssMb: number;
  peakHeapMb: number;
  maxRssMb: number;
}

const SURNAMES = ['张', '王', '才让', '李', '马', '买买提·'];

function payout(i: number): BankPayout {
  return {
    reference: makePayoutReference('BENCH2025', i),
    amount: `${3000 + (i % 2001)}.${String(i % 100).padStart(2, '0')}`,
    payeeName: `${SURNAMES[i % SURNAMES.length]}学生${i}`,
    payeeAccount: `62220202${String(i).padStart(11, '0')}`,
    payeeBank: { name: '中国农业银行西宁城中支行', clearingMemberId: '103851000016', clearingSystem: 'CNAPS' },
  };
}

async function* payouts(n: number): AsyncGenerator<BankPayout> {
  for (let i = 1; i <= n; i++) yield payout(i);
}

function totals(n: number): { count: number; controlSum: string } {
  let fen = 0n;
  for (let i = 1; i <= n; i++) fen += BigInt(3000 + (i % 2001)) * 100n + BigInt(i % 100);
  return { count: n, controlSum: `${fen / 100n}.${String(fen % 100n).padStart(2, '0')}` };
}

function chunksFor(format: Format, n: number): AsyncIterable<Uint8Array> {
  const declared = totals(n);
  const purpose = '助学金 2025-2026 第1期';
  if (format === 'pain001') {
    return writePain001(
      {
        messageId: 'BENCH2025-MSG',
        createdAt: '2025-09-01T09:30:00+08:00',
        initiatingParty: { name: '青山陪伴助学基金会' },
        paymentInfoId: 'BENCH2025-PMT',
        requestedExecutionDate: '2025-09-02',
        debtor: { name: '青山陪伴助学基金会', account: '28010001040012345', agent: { bic: 'ABOCCNBJ280', name: '中国农业银行青海省分行' } },
        remittanceInfo: purpose,
        totals: declared,
      },
      payouts(n),
    );
  }
  return writeDaifaCsv({ purpose, totals: declared }, payouts(n), {
    encoding: format === 'csv-gbk' ? 'gbk' : 'utf-8',
    summaryLine: true,
    bankNameColumn: true,
  });
}

const mb = (bytes: number): number => bytes / 1024 / 1024;

async function child(format: Format, n: number): Promise<Result> {
  const dir = await mkdtemp(path.join(tmpdir(), 'bench-bank-'));
  try {
    const memory = startMemorySampler(20);
    const { rssBefore } = memory;
    const started = performance.now();
    const written = await writeBankFile(path.join(dir, `batch.${format === 'pain001' ? 'xml' : 'csv'}`), chunksFor(format, n));
    const seconds = (performance.now() - started) / 1000;
    const { peakRss, peakHeap } = memory.stop();
    return {
      format,
      n,
      seconds,
      bytes: written.bytes,
      sha256: written.sha256,
      rssBeforeMb: mb(rssBefore),
      peakRssMb: mb(peakRss),
      peakHeapMb: mb(peakHeap),
      maxRssMb: process.resourceUsage().maxRSS / 1024,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function runChild(format: Format, n: number): Promise<Result> {
  return new Promise((resolve, reject) => {
    const proc = fork(fileURLToPath(import.meta.url), ['--child', format, '--n', String(n)], { execArgv: process.execArgv });
    let result: Result | undefined;
    proc.on('message', (m) => {
      result = m as Result;
    });
    proc.on('error', reject);
    proc.on('exit', (code) => (code === 0 && result !== undefined ? resolve(result) : reject(new Error(`${format}: child exited with ${code}`))));
  });
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const n = Number(arg('--n') ?? 100_000);
  if (!Number.isInteger(n) || n < 1) throw new Error('--n must be a positive integer');
  const childFormat = arg('--child') as Format | undefined;
  if (childFormat !== undefined) {
    const result = await child(childFormat, n);
    process.send?.(result);
    return;
  }
  const formats = (arg('--format')?.split(',') ?? FORMATS) as Format[];
  console.log(`bank files: ${n.toLocaleString('en')} payouts per format, each in its own process (node ${process.version})`);
  for (const format of formats) {
    if (!FORMATS.includes(format)) throw new Error(`unknown format ${format}`);
    const r = await runChild(format, n);
    console.log(
      `${r.format.padEnd(9)} ${r.seconds.toFixed(2)} s  ${Math.round(r.n / r.seconds)
        .toLocaleString('en')
        .padStart(9)} payouts/s  ` +
        `${mb(r.bytes).toFixed(1)} MB (${(mb(r.bytes) / r.seconds).toFixed(1)} MB/s)  ` +
        `RSS before ${r.rssBeforeMb.toFixed(0)} MB, peak ${r.peakRssMb.toFixed(0)} MB, peak heap ${r.peakHeapMb.toFixed(0)} MB, maxRSS ${r.maxRssMb.toFixed(0)} MB  ` +
        `sha256 ${r.sha256.slice(0, 16)}…`,
    );
  }
}

await main();
