// The 代发 CSV writer: golden bytes, GBK/GB18030 round trips through iconv-lite and papaparse,
// quoting, CRLF, the BOM and summary-line options, refusals (unencodable names, formulas, totals that
// do not add up — the last row held back), determinism and streaming.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import iconv from 'iconv-lite';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { collectBankFile } from '../../src/bank/node/write-bank-file.ts';
import { BankFileError, writeDaifaCsv, type BankPayout, type DaifaCsvBatch, type DaifaCsvOptions } from '../../src/bank/outgoing/index.ts';
import { PURPOSE, SMALL_TOTALS, asAsync, countingSource, generatedPayout, generatedTotals, smallBatch } from '../fixtures/bank/payouts.ts';

const goldenDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/bank');
const batch = (totals: DaifaCsvBatch['totals'] = SMALL_TOTALS): DaifaCsvBatch => ({ purpose: PURPOSE, totals });
const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

async function csvOf(payouts: Iterable<BankPayout> | AsyncIterable<BankPayout>, options: DaifaCsvOptions = {}, header = batch()): Promise<Buffer> {
  return (await collectBankFile(writeDaifaCsv(header, payouts, options))).content;
}

function rows(text: string): string[][] {
  const parsed = Papa.parse<string[]>(text, { header: false, skipEmptyLines: true });
  expect(parsed.errors).toEqual([]);
  return parsed.data;
}

async function failure(run: () => Promise<unknown>): Promise<BankFileError> {
  try {
    await run();
  } catch (err) {
    if (err instanceof BankFileError) return err;
    throw err;
  }
  throw new Error('expected a BankFileError, the batch was accepted');
}

const EXPECTED_ROWS = [
  ['1', '6222020200112233445', '张晓梅', '3500.00', PURPOSE, 'QS2025T1-000001'],
  ['2', '6228480012345678901', '王"小"明, <二> & 三', '3500.50', '助学金, 2025-2026 第1期 (补发)', 'QS2025T1-000002'],
  ['3', '6217000000000000001', '买买提·艾力', '3499.50', PURPOSE, 'QS2025T1-000003'],
];

describe('writeDaifaCsv layout', () => {
  it('matches the golden file (UTF-8, summary line, 收款行 and 备注 columns, CRLF)', async () => {
    const csv = await csvOf(smallBatch(), { summaryLine: true, bankNameColumn: true });
    const golden = readFileSync(path.join(goldenDir, 'daifa-small.utf8.csv'));
    expect(csv.toString('utf8')).toBe(golden.toString('utf8'));
    expect(csv.equals(golden)).toBe(true);
  });

  it('default layout: column header, then one row per payout with 备注 = reference; every line ends in CRLF', async () => {
    const text = (await csvOf(smallBatch())).toString('utf8');
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    expect(rows(text)).toEqual([['序号', '收款账号', '收款户名', '金额', '用途', '备注'], ...EXPECTED_ROWS]);
  });

  it('quotes a name with a comma and quotes (doubling them), and nothing else', async () => {
    const lines = (await csvOf(smallBatch())).toString('utf8').split('\r\n');
    expect(lines[2]).toBe('2,6228480012345678901,"王""小""明, <二> & 三",3500.50,"助学金, 2025-2026 第1期 (补发)",QS2025T1-000002');
    expect(lines[1]).toBe(`1,6222020200112233445,张晓梅,3500.00,${PURPOSE},QS2025T1-000001`);
  });

  it('options: no column header, no 备注, an empty 收款行 for a payout without a bank', async () => {
    const text = (await csvOf(smallBatch(), { columnHeader: false, referenceColumn: false, bankNameColumn: true })).toString('utf8');
    const data = rows(text);
    expect(data).toHaveLength(3);
    expect(data[0]).toEqual(['1', '6222020200112233445', '张晓梅', '3500.00', PURPOSE, '中国农业银行西宁城中支行']);
    expect(data[2]).toEqual(['3', '6217000000000000001', '买买提·艾力', '3499.50', PURPOSE, '']);
  });

  it('summary line: 总笔数 and 总金额 first, from the declared totals', async () => {
    const data = rows((await csvOf(smallBatch(), { summaryLine: true })).toString('utf8'));
    expect(data[0]).toEqual(['总笔数', '3', '总金额', '10500.00']);
    expect(data[1]?.[0]).toBe('序号');
  });

  it('BOM option: UTF-8 with EF BB BF first, for Excel', async () => {
    const csv = await csvOf(smallBatch(), { bom: true });
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(csv.subarray(3).equals(await csvOf(smallBatch()))).toBe(true);
  });
});

describe('writeDaifaCsv encodings', () => {
  it('GBK round trip: decoded with iconv-lite and parsed with papaparse, every field is back', async () => {
    const csv = await csvOf(smallBatch(), { encoding: 'gbk', summaryLine: true, bankNameColumn: true });
    expect(csv.includes(Buffer.from('张晓梅', 'utf8'))).toBe(false); // really GBK, not UTF-8
    expect(csv.includes(iconv.encode('张晓梅', 'gbk'))).toBe(true);
    const data = rows(iconv.decode(csv, 'gbk'));
    expect(data[0]).toEqual(['总笔数', '3', '总金额', '10500.00']);
    expect(data.slice(2).map((r) => [r[0], r[1], r[2], r[3], r[4], r[6]])).toEqual(EXPECTED_ROWS);
    expect(data[3]?.[5]).toBe('Bank of China, "Xining"');
  });

  it('GBK is the UTF-8 text, re-encoded: same lines', async () => {
    const gbk = iconv.decode(await csvOf(smallBatch(), { encoding: 'gbk' }), 'gbk');
    expect(gbk).toBe((await csvOf(smallBatch())).toString('utf8'));
  });

  it('a name GBK cannot encode is refused (not written as "?"), and GB18030 or UTF-8 take it', async () => {
    const payouts = smallBatch();
    payouts[1] = { ...payouts[1]!, payeeName: '𠮷野家' };
    const error = await failure(() => csvOf(payouts, { encoding: 'gbk' }));
    expect(error.message).toMatch(/GBK cannot encode/);
    expect(error.index).toBe(2);
    expect(error.field).toBe('payeeName');
    expect(error.message).not.toContain('𠮷野家');
    const gb18030 = await csvOf(payouts, { encoding: 'gb18030' });
    expect(rows(iconv.decode(gb18030, 'gb18030'))[2]?.[2]).toBe('𠮷野家');
    expect(rows((await csvOf(payouts)).toString('utf8'))[2]?.[2]).toBe('𠮷野家');
  });

  it('refuses a BOM for GBK and an unknown encoding', async () => {
    expect((await failure(() => csvOf(smallBatch(), { encoding: 'gbk', bom: true }))).field).toBe('options.bom');
    expect((await failure(() => csvOf(smallBatch(), { encoding: 'big5' as never }))).field).toBe('options.encoding');
  });
});

describe('writeDaifaCsv refusals', () => {
  it.each([
    ['=HYPERLINK("x")', 'payeeName'],
    ['+86', 'payeeName'],
    ['@SUM(A1)', 'remittanceInfo'],
    ['-1', 'remittanceInfo'],
  ])('a text field starting like a formula: %s', async (value, field) => {
    const payouts = smallBatch();
    payouts[0] = { ...payouts[0]!, [field]: value };
    const error = await failure(() => csvOf(payouts));
    expect(error.message).toMatch(/may not start with/);
    expect(error.field).toBe(field);
  });

  it('a name with a line break, an account with spaces, an amount with three decimals', async () => {
    for (const [change, field] of [
      [{ payeeName: '张\r\n三' }, 'payeeName'],
      [{ payeeAccount: '6222 0202' }, 'payeeAccount'],
      [{ amount: '1.005' }, 'amount'],
    ] as [Partial<BankPayout>, string][]) {
      const payouts = smallBatch();
      payouts[2] = { ...payouts[2]!, ...change };
      const error = await failure(() => csvOf(payouts));
      expect(error.field).toBe(field);
      expect(error.index).toBe(3);
    }
  });

  async function partial(payouts: BankPayout[], totals: DaifaCsvBatch['totals']): Promise<{ error: BankFileError; text: string }> {
    const chunks: Uint8Array[] = [];
    const error = await failure(async () => {
      for await (const chunk of writeDaifaCsv(batch(totals), payouts, { chunkChars: 1 })) chunks.push(chunk);
    });
    return { error, text: Buffer.concat(chunks).toString('utf8') };
  }

  it('count short of the declared: throws, and the last row was never handed out', async () => {
    const { error, text } = await partial(smallBatch().slice(0, 2), SMALL_TOTALS);
    expect(error.message).toMatch(/declared with 3 payouts and has 2/);
    expect(text).toContain('QS2025T1-000001');
    expect(text).not.toContain('QS2025T1-000002');
  });

  it('one more than declared: throws at that payout', async () => {
    const { error } = await partial(smallBatch(), { count: 2, controlSum: '7000.50' });
    expect(error.index).toBe(3);
  });

  it('sum off by one fen: throws, last row held back', async () => {
    const { error, text } = await partial(smallBatch(), { count: 3, controlSum: '10499.99' });
    expect(error.message).toMatch(/sum to 10499\.99 and its payouts sum to 10500\.00/);
    expect(text).not.toContain('QS2025T1-000003');
  });
});

describe('writeDaifaCsv determinism and streaming', () => {
  it('same input → same SHA-256, whatever the chunk size, source kind and encoding run', async () => {
    for (const encoding of ['utf-8', 'gbk'] as const) {
      const first = sha256(await csvOf(smallBatch(), { encoding, summaryLine: true }));
      expect(sha256(await csvOf(smallBatch(), { encoding, summaryLine: true }))).toBe(first);
      expect(sha256(await csvOf(asAsync(smallBatch()), { encoding, summaryLine: true, chunkChars: 5 }))).toBe(first);
    }
  });

  it('10,000 payouts in GBK: first chunk before the source is exhausted, bounded read-ahead, exact totals', async () => {
    const n = 10_000;
    const { source, pulled } = countingSource(n);
    const pulledAtChunk: number[] = [];
    const chunks: Uint8Array[] = [];
    for await (const chunk of writeDaifaCsv(batch(generatedTotals(n)), source, { encoding: 'gbk', summaryLine: true })) {
      pulledAtChunk.push(pulled());
      chunks.push(chunk);
    }
    expect(pulledAtChunk[0]).toBeLessThan(2_000); // ~64 Ki characters per chunk, ~80 per row
    const steps = pulledAtChunk.slice(1).map((p, i) => p - pulledAtChunk[i]!);
    expect(Math.max(...steps)).toBeLessThan(2_000);
    expect(chunks.length).toBeGreaterThan(5);

    const data = rows(iconv.decode(Buffer.concat(chunks), 'gbk'));
    expect(data).toHaveLength(n + 2);
    expect(data[0]).toEqual(['总笔数', String(n), '总金额', generatedTotals(n).controlSum]);
    const last = generatedPayout(n);
    expect(data[n + 1]).toEqual([String(n), last.payeeAccount, last.payeeName, last.amount, PURPOSE, last.reference]);
  });
});
