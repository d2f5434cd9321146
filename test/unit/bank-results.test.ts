// The bank result readers (src/bank/results): camt.054 / camt.053 / 代发 result CSV → flat
// result lines. Fixtures in test/fixtures/bank-results; the camt conformance files in
// test/fixtures/conformance/camt are listed, not named, so a file added there is read here too.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { readBankResultFile } from '../../src/bank/node/read-bank-result-file.ts';
import { readBankResults } from '../../src/bank/node/read-bank-results.ts';
import { BankResultFileError, type BankResultFile, type BankResultLine, type ReadBankResultsOptions } from '../../src/bank/results/index.ts';
import { CamtFormatError } from '../../src/bank/camt/index.ts';
import { conformanceDir, projectRoot } from '../support/conformance.ts';

const fixtures = path.join(projectRoot, 'test/fixtures/bank-results');
const camtDir = conformanceDir('camt');
const fixture = (name: string): string => path.join(fixtures, name);

async function* chunksOf(bytes: Uint8Array, size = 64 * 1024): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

const utf8 = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'utf8'));
const gbk = (text: string): Uint8Array => new Uint8Array(iconv.encode(text, 'gbk'));
const read = (bytes: Uint8Array, options: ReadBankResultsOptions = {}, chunk?: number): Promise<BankResultFile> =>
  readBankResults(chunksOf(bytes, chunk), options);

/** The error the promise rejects with, checked to be a BankResultFileError on `line`. */
async function failure(promise: Promise<unknown>, line: number | null): Promise<BankResultFileError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(BankResultFileError);
  const error = err as BankResultFileError;
  expect(error.line, error.message).toBe(line);
  return error;
}

/** A result line; `fields` override the camt fixtures' common values. */
function line(fields: Partial<BankResultLine> & Pick<BankResultLine, 'line' | 'reference' | 'amount' | 'kind'>): BankResultLine {
  return { currency: 'CNY', reason: null, bookingDate: null, bankReference: null, ...fields };
}

describe('camt.054 conformance files', () => {
  // Lines and skipped entries as the rules define them: one line per TxDtls of a booked entry;
  // a batch whose TxDtls carry no amounts cannot be split and is skipped.
  const expected: Record<string, { lines: number; skipped: number }> = {
    'camt054.v2.with-account-name.xml': { lines: 1, skipped: 0 },
    'camt054.v2.xml': { lines: 0, skipped: 1 },
    'camt054.v4.xml': { lines: 3, skipped: 0 },
    'camt054.v8-with-UETR.xml': { lines: 1, skipped: 0 },
    'camt054.v8-with-financial-institution.xml': { lines: 1, skipped: 0 },
    'camt054.v8.xml': { lines: 3, skipped: 0 },
  };
  const files = existsSync(camtDir)
    ? readdirSync(camtDir)
        .filter((f) => /^camt054.*\.xml$/.test(f))
        .sort()
    : [];

  it('finds the conformance folder', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it.each(files)('%s reads without error, with the expected number of lines', async (file) => {
    const want = expected[file];
    if (want === undefined) throw new Error(`${file}: add its expected line count to this test`);
    const result = await readBankResultFile(path.join(camtDir, file));
    expect(result.format).toBe('camt.054');
    expect(result.messageId).toBe('AAAASESS-FP-ACCR001');
    expect(result.account).toBe('CH2801234000123456789');
    expect({ lines: result.lines.length, skipped: result.skipped.length }).toEqual(want);
    for (const l of result.lines) expect(l.kind).toBe('debit');
  });

  it('takes each TxDtls amount of a batch entry, not the entry amount (camt054.v8)', async () => {
    const result = await readBankResultFile(path.join(camtDir, 'camt054.v8.xml'));
    expect(result.lines.map((l) => [l.reference, l.amount, l.currency, l.line])).toEqual([
      ['UXC06170000006PI00001EE00001', '3.1', 'CHF', 63],
      ['UXC06170000006PI00001EE00002', '3.2', 'CHF', 63],
      ['UXC06170000006PI00001EE00002', '3.2', 'CHF', 63],
    ]);
  });

  it('uses the entry amount for a lone TxDtls without one (camt054.v8-with-UETR)', async () => {
    const result = await readBankResultFile(path.join(camtDir, 'camt054.v8-with-UETR.xml'));
    expect(result.lines).toEqual([line({ line: 16, reference: null, amount: '200000', currency: 'SEK', kind: 'debit' })]);
  });

  it('skips a batch entry whose TxDtls have no amounts (camt054.v2)', async () => {
    const result = await readBankResultFile(path.join(camtDir, 'camt054.v2.xml'));
    expect(result.skipped).toEqual([{ line: 58, why: expect.stringContaining('cannot be split') }]);
  });
});

describe('camt.053 conformance files', () => {
  it('accepts several statements about the same account (camt053.v2.multi.statement)', async () => {
    const result = await readBankResultFile(path.join(camtDir, 'camt053.v2.multi.statement.xml'));
    expect(result.format).toBe('camt.053');
    expect(result.account).toBe('NL26VAYB8060476890');
    expect(result.lines.map((l) => [l.line, l.kind, l.reference, l.amount])).toEqual([
      [66, 'return', '000000001', '8.85'],
      [145, 'debit', '000000002', '7.00'],
    ]);
  });

  it('skips a zero TxDtls amount (camt053.v8: TxDtls/Amt 0 under an 8.85 entry)', async () => {
    const result = await readBankResultFile(path.join(camtDir, 'camt053.v8.xml'));
    expect(result.lines).toEqual([]);
    expect(result.skipped).toEqual([{ line: 110, why: expect.stringContaining('zero') }]);
  });

  it('rejects camt053.v2.wrong.xml (a group header and no statement)', async () => {
    const err = await failure(readBankResultFile(path.join(camtDir, 'camt053.v2.wrong.xml')), null);
    expect(err.message).toMatch(/no statement/);
  });
});

describe('camt fixtures', () => {
  it('camt.054 debit notification: a batch of 3 TxDtls, a single entry, pending, funding, NOTPROVIDED, an unsplittable batch', async () => {
    const result = await readBankResultFile(fixture('camt054.v8.debit-batch.xml'));
    expect(result).toMatchObject({ format: 'camt.054', messageId: 'QHBANK-054-20260302-01', account: '110060149018170012345', currency: 'CNY' });
    expect(result.lines).toEqual([
      line({ line: 19, reference: 'QS2026A-000001', amount: '3500.00', kind: 'debit', bookingDate: '2026-03-02', bankReference: 'TX-20260302-0001' }),
      line({ line: 19, reference: 'QS2026A-000002', amount: '4000.00', kind: 'debit', bookingDate: '2026-03-02', bankReference: 'TX-20260302-0002' }),
      // No TxDtls AcctSvcrRef: the entry's.
      line({ line: 19, reference: 'QS2026A-000003', amount: '3000.00', kind: 'debit', bookingDate: '2026-03-02', bankReference: 'BATCH-20260302-0001' }),
      // One TxDtls without an amount: the entry's amount; BookgDt/DtTm read as its calendar date.
      line({ line: 62, reference: 'QS2026A-000004', amount: '2000.00', kind: 'debit', bookingDate: '2026-03-02', bankReference: 'SGL-20260302-0004' }),
      // EndToEndId NOTPROVIDED → null.
      line({ line: 114, reference: null, amount: '12.00', kind: 'debit', bookingDate: '2026-03-02' }),
    ]);
    expect(result.skipped).toEqual([
      { line: 80, why: expect.stringContaining('PDNG') },
      { line: 95, why: expect.stringContaining('credit without return information') },
      { line: 132, why: expect.stringContaining('cannot be split') },
    ]);
  });

  it('camt.054 returns: RtrInf AC04, a DBIT reversal, a CRDT with EndToEndId, a CRDT reversal; a DBIT with RtrInf is skipped', async () => {
    const result = await readBankResultFile(fixture('camt054.v8.return.xml'));
    expect(result).toMatchObject({ format: 'camt.054', messageId: 'QHBANK-054-20260306-07', account: '110060149018170012345' });
    // No Acct/Ccy: the entries' one currency.
    expect(result.currency).toBe('CNY');
    expect(result.lines).toEqual([
      line({
        line: 17,
        reference: 'QS2026A-000002',
        amount: '4000.00',
        kind: 'return',
        reason: 'AC04: Account closed',
        bookingDate: '2026-03-05',
        bankReference: 'RTN-20260305-0001',
      }),
      line({ line: 43, reference: 'QS2026A-000003', amount: '3000.00', kind: 'return', bookingDate: '2026-03-05', bankReference: 'RVS-20260305-0002' }),
      line({ line: 63, reference: 'QS2026A-000001', amount: '3500.00', kind: 'return', bookingDate: '2026-03-06' }),
      line({ line: 104, reference: null, amount: '2000.00', kind: 'return', bookingDate: '2026-03-06', bankReference: 'RVS-20260306-0003' }),
    ]);
    expect(result.skipped).toEqual([{ line: 81, why: expect.stringContaining('debit carrying return information') }]);
  });

  it('camt.053 statement: a batch debit, its return (AC01 and two AddtlInf lines), interest skipped', async () => {
    const result = await readBankResultFile(fixture('camt053.v8.debit-and-return.xml'));
    expect(result).toMatchObject({ format: 'camt.053', messageId: 'QHBANK-053-20260331', account: '110060149018170012345', currency: 'CNY' });
    expect(result.lines).toEqual([
      line({ line: 43, reference: 'QS2026B-000001', amount: '3500.00', kind: 'debit', bookingDate: '2026-03-10', bankReference: 'STM-0310-0001' }),
      line({ line: 43, reference: 'QS2026B-000002', amount: '3500.00', kind: 'debit', bookingDate: '2026-03-10', bankReference: 'STM-0310-0001' }),
      line({
        line: 68,
        reference: 'QS2026B-000002',
        amount: '3500.00',
        kind: 'return',
        reason: 'AC01: Incorrect account number 收款账号不存在',
        bookingDate: '2026-03-14',
        bankReference: 'STM-0314-0002',
      }),
    ]);
    expect(result.skipped).toEqual([{ line: 94, why: expect.stringContaining('credit without return information') }]);
  });

  it('rejects statements about two accounts', async () => {
    const err = await failure(readBankResultFile(fixture('camt053.v8.two-accounts.xml')), null);
    expect(err.message).toMatch(/110060149018170099999.*110060149018170012345.*one account/);
  });

  it('rejects a truncated file with the line it ends on, never a partial list', async () => {
    const err = await failure(readBankResultFile(fixture('camt054.v8.truncated.xml')), 46);
    expect(err.cause).toBeInstanceOf(CamtFormatError);
  });

  it('wraps CamtFormatError, keeping its line', async () => {
    const text = readFileSync(fixture('camt054.v8.debit-batch.xml'), 'utf8');
    const bad = text.replace('<Amt Ccy="CNY">4000.00</Amt>', '<Amt Ccy="CNY">4,000.00</Amt>');
    const at = bad.split('\n').findIndex((l) => l.includes('4,000.00')) + 1;
    const err = await failure(read(utf8(bad)), at);
    expect(err.cause).toBeInstanceOf(CamtFormatError);
    expect(err.message).toContain('4,000.00');
  });

  it('rejects a camt.054 read as camt.053, and XML read as CSV', async () => {
    const bytes = readFileSync(fixture('camt054.v8.debit-batch.xml'));
    const err = await failure(read(bytes, { format: 'camt.053' }), null);
    expect(err.message).toMatch(/camt\.054.*camt\.053 was expected/);
    await failure(read(bytes, { format: 'csv' }), 1);
    expect((await read(bytes, { format: 'camt.054' })).lines).toHaveLength(5);
  });

  it('auto: sniffs XML after a byte-order mark and whitespace; the type comes from the namespace', async () => {
    const text = readFileSync(fixture('camt053.v8.debit-and-return.xml'), 'utf8');
    // The BOM arrives split across 2-byte chunks.
    const withBom = new Uint8Array([0xef, 0xbb, 0xbf, ...utf8(text)]);
    const result = await read(withBom, { format: 'auto' }, 2);
    expect(result.format).toBe('camt.053');
    expect(result.lines).toHaveLength(3);
    // Whitespace may precede the root element when there is no XML declaration.
    const undeclared = `\r\n  ${text.replace(/^<\?xml[^>]*>/, '')}`;
    expect((await read(utf8(undeclared))).format).toBe('camt.053');
  });

  it('reads the same in 7-byte chunks as in one', async () => {
    const bytes = readFileSync(fixture('camt054.v8.debit-batch.xml'));
    expect(await read(bytes, {}, 7)).toEqual(await read(bytes));
  });
});

describe('代发 result CSV', () => {
  const utf8Fixture = readFileSync(fixture('daifa-result.utf8.csv'));
  const gbkFixture = gbk(readFileSync(fixture('daifa-result.gbk-source.csv'), 'utf8'));

  // The payee's account and name are read for matching lines without a reference.
  const utf8Lines: BankResultLine[] = [
    line({
      line: 5,
      reference: 'QS2026A-000001',
      amount: '3500.00',
      kind: 'debit',
      bookingDate: '2026-03-02',
      bankReference: 'B20260302000001',
      counterpartyAccount: '6222020200112233445',
      counterpartyName: '张晓梅',
    }),
    line({
      line: 6,
      reference: 'QS2026A-000002',
      amount: '4000.00',
      kind: 'failed',
      reason: '账户已销户',
      bookingDate: '2026-03-02',
      bankReference: 'B20260302000002',
      counterpartyAccount: '6222020200112233446',
      counterpartyName: '李明',
    }),
    line({
      line: 7,
      reference: 'QS2026A-000003',
      amount: '3000.00',
      kind: 'return',
      reason: '户名不符',
      bookingDate: '2026-03-05',
      bankReference: 'B20260302000003',
      counterpartyAccount: '6222020200112233447',
      counterpartyName: '王芳',
    }),
  ];

  it('UTF-8 fixture: statuses, reasons, references, title account and currency, 合计 checked', async () => {
    const result = await readBankResultFile(fixture('daifa-result.utf8.csv'));
    expect(result).toMatchObject({ format: 'csv', messageId: null, account: '110060149018170012345', currency: 'CNY' });
    expect(result.lines).toEqual(utf8Lines);
    expect(result.skipped).toEqual([{ line: 8, why: expect.stringContaining('处理中') }]);
  });

  it('UTF-8 with a byte-order mark, auto or explicit, in small chunks', async () => {
    const withBom = new Uint8Array([0xef, 0xbb, 0xbf, ...utf8Fixture]);
    expect((await read(withBom, { format: 'csv', encoding: 'auto' }, 5)).lines).toEqual(utf8Lines);
    expect((await read(withBom, { format: 'csv', encoding: 'utf-8' })).lines).toEqual(utf8Lines);
  });

  const gbkLines: BankResultLine[] = [
    // "￥1,200.00" → "1200.00"; the reference found inside the 附言 text.
    line({ line: 5, reference: 'QS2026C-000001', amount: '1200.00', kind: 'debit', counterpartyAccount: '6222020200112233449', counterpartyName: '陈静' }),
    // "失败-户名不符": the detail after the status word is the reason when there is none in 处理说明.
    line({
      line: 6,
      reference: 'QS2026C-000002',
      amount: '1200.00',
      kind: 'failed',
      reason: '户名不符',
      counterpartyAccount: '6222020200112233450',
      counterpartyName: '刘洋',
    }),
    line({
      line: 7,
      reference: 'QS2026C-000003',
      amount: '1200.00',
      kind: 'failed',
      reason: '收款账户冻结',
      counterpartyAccount: '6222020200112233451',
      counterpartyName: '孙悦',
    }),
  ];

  it('GBK fixture (generated with iconv-lite): auto-detected and explicit, a multi-byte character split across chunks', async () => {
    for (const options of [{ encoding: 'auto' }, { encoding: 'gbk' }] as const) {
      const result = await read(gbkFixture, options, 3);
      expect(result).toMatchObject({ format: 'csv', account: '110060149018170012345', currency: 'CNY' });
      expect(result.lines).toEqual(gbkLines);
    }
  });

  it('maps 成功 → debit, 失败 and 拒绝 → failed, 退汇 and 退票 → return, 处理中 → skipped', async () => {
    const csv = [
      '金额,备注,状态',
      '1.00,QS2026A-000001,成功',
      '2.00,QS2026A-000002,失败',
      '3.00,QS2026A-000003,拒绝',
      '4.00,QS2026A-000004,退汇',
      '5.00,QS2026A-000005,退票',
      '6.00,QS2026A-000006,处理中',
    ].join('\n');
    const result = await read(utf8(csv));
    expect(result.lines.map((l) => [l.reference, l.kind])).toEqual([
      ['QS2026A-000001', 'debit'],
      ['QS2026A-000002', 'failed'],
      ['QS2026A-000003', 'failed'],
      ['QS2026A-000004', 'return'],
      ['QS2026A-000005', 'return'],
    ]);
    expect(result.skipped).toEqual([{ line: 7, why: expect.stringContaining('处理中') }]);
  });

  it('takes the reason from 备注 (without the reference) when there is no reason column; never for a debit', async () => {
    const csv = ['金额,备注,状态', '1.00,QS2026A-000001 账户冻结,失败', '2.00,QS2026A-000002 已到账,成功'].join('\n');
    const result = await read(utf8(csv));
    expect(result.lines.map((l) => [l.reference, l.reason])).toEqual([
      ['QS2026A-000001', '账户冻结'],
      ['QS2026A-000002', null],
    ]);
  });

  it('does not take a date or a short number for a reference (用途 "2025-2026")', async () => {
    const csv = ['金额,用途,状态', '1.00,助学金 2025-2026 第1期,成功'].join('\n');
    expect((await read(utf8(csv))).lines[0]?.reference).toBeNull();
  });

  it('checks a labelled summary before the header and an aligned 合计 under 金额', async () => {
    const ok = ['总笔数：2', '序号,金额,备注,状态', '1,1.00,QS2026A-000001,成功', '2,2.50,QS2026A-000002,失败', '合计,,3.50,'].join('\n');
    expect((await read(utf8(ok))).lines).toHaveLength(2);
    const wrongTotal = ok.replace('合计,,3.50,', '合计,,3.60,');
    const err = await failure(read(utf8(wrongTotal)), 5);
    expect(err.message).toMatch(/3\.60.*3\.50/);
  });

  it('passes over a repeated header, a page subtotal and notes under the table; a quoted cell may span lines', async () => {
    const csv = [
      '金额,备注,状态,失败原因',
      '1.00,QS2026A-000001,成功,',
      '本页小计,,,',
      '金额,备注,状态,失败原因',
      '2.00,QS2026A-000002,失败,"账户',
      '冻结"',
      '合计,2,3.00',
      '打印日期：2026-03-02',
    ].join('\r\n');
    const result = await read(utf8(csv));
    expect(result.lines.map((l) => [l.line, l.reference, l.kind, l.reason])).toEqual([
      [2, 'QS2026A-000001', 'debit', null],
      [5, 'QS2026A-000002', 'failed', '账户\n冻结'],
    ]);
  });

  it('a title 币种 sets the file currency', async () => {
    const result = await read(utf8(['币种：美元', '金额,备注,状态', '1.00,QS2026A-000001,成功'].join('\n')));
    expect(result.currency).toBe('USD');
    expect(result.lines[0]?.currency).toBe('USD');
  });

  describe('errors name the line', () => {
    it('more cells than the header (an unquoted 1,234.00)', async () => {
      const err = await failure(read(utf8(['金额,备注,状态', '1,234.00,QS2026A-000001,成功'].join('\n'))), 2);
      expect(err.message).toMatch(/4 cells, the header 3/);
    });

    it('an unknown status', async () => {
      const csv = ['金额,备注,状态', '1.00,QS2026A-000001,成功', '2.00,QS2026A-000002,部分成功'].join('\n');
      const err = await failure(read(utf8(csv)), 3);
      expect(err.message).toContain('部分成功');
    });

    it('a line without a status', async () => {
      await failure(read(utf8(['金额,备注,状态', '1.00,QS2026A-000001,'].join('\n'))), 2);
    });

    it('a header without a status column', async () => {
      const csv = ['付款账号：110060149018170012345', '序号,收款账号,收款户名,金额,用途,备注', '1,6222,张三,1.00,助学金,QS2026A-000001'].join('\n');
      const err = await failure(read(utf8(csv)), 2);
      expect(err.message).toMatch(/status column/);
    });

    it('no header at all', async () => {
      const err = await failure(read(utf8('hello\nworld\n')), null);
      expect(err.message).toMatch(/no header row/);
    });

    it('an amount that is not money', async () => {
      const csv = ['金额,备注,状态', '1.00,QS2026A-000001,成功', '35OO.00,QS2026A-000002,成功'].join('\n');
      const err = await failure(read(utf8(csv)), 3);
      expect(err.message).toContain('35OO.00');
    });

    it('an amount with more than two decimals, a negative one, a missing one', async () => {
      for (const amount of ['1.005', '-1.00', '']) {
        await failure(read(utf8(['金额,备注,状态', `${amount},QS2026A-000001,成功`].join('\n'))), 2);
      }
    });

    it('undecodable bytes, on the line they are on', async () => {
      const head = utf8('金额,备注,状态\n1.00,QS2026A-000001,成功\n');
      // The first lines are UTF-8; line 3 has a GBK 失败.
      const bytes = new Uint8Array([...head, ...gbk('2.00,QS2026A-000002,失败\n')]);
      const err = await failure(read(bytes, { encoding: 'utf-8' }), 3);
      expect(err.message).toMatch(/not valid UTF-8/);
    });

    it('a 合计 count that disagrees with the lines (a file cut short)', async () => {
      const text = readFileSync(fixture('daifa-result.utf8.csv'), 'utf8');
      const cut = text.replace(/^4,.*\r\n/m, '');
      const err = await failure(read(utf8(cut)), 8);
      expect(err.message).toMatch(/declares 4 result line\(s\), but the file has 3/);
    });

    it('a result line after the 合计 line', async () => {
      const csv = ['金额,备注,状态', '1.00,QS2026A-000001,成功', '合计,1,1.00', '2.00,QS2026A-000002,成功'].join('\n');
      await failure(read(utf8(csv)), 4);
    });

    it('two different payout references on one line', async () => {
      const csv = ['金额,用途,备注,状态', '1.00,QS2026A-000009,QS2026A-000001,成功'].join('\n');
      const err = await failure(read(utf8(csv)), 2);
      expect(err.message).toMatch(/two payout references/);
    });

    it('a header and no result lines', async () => {
      await failure(read(utf8('金额,备注,状态\n')), 1);
    });

    it('an empty file', async () => {
      await failure(read(new Uint8Array(0)), null);
      await failure(read(utf8(' \r\n\r\n')), null);
    });

    it('a CSV given as camt', async () => {
      await failure(read(utf8Fixture, { format: 'camt.054' }), 1);
    });

    it('a currency other than the file’s', async () => {
      const csv = ['币种：人民币', '金额,备注,状态,币种', '1.00,QS2026A-000001,成功,美元'].join('\n');
      await failure(read(utf8(csv)), 3);
    });
  });
});

describe('sha256', () => {
  it('is the SHA-256 of the raw bytes, for camt and for CSV', async () => {
    for (const bytes of [readFileSync(fixture('camt054.v8.return.xml')), readFileSync(fixture('daifa-result.gbk-source.csv'))]) {
      const want = createHash('sha256').update(bytes).digest('hex');
      expect((await read(new Uint8Array(bytes), {}, 11)).sha256).toBe(want);
    }
    const gbkBytes = gbk(readFileSync(fixture('daifa-result.gbk-source.csv'), 'utf8'));
    expect((await read(gbkBytes)).sha256).toBe(createHash('sha256').update(gbkBytes).digest('hex'));
  });

  it('hashes string chunks as their UTF-8 bytes', async () => {
    const text = readFileSync(fixture('daifa-result.utf8.csv'), 'utf8');
    async function* strings(): AsyncGenerator<string> {
      yield text.slice(0, 100);
      yield text.slice(100);
    }
    const result = await readBankResults(strings(), { format: 'auto' });
    expect(result.sha256).toBe(createHash('sha256').update(Buffer.from(text, 'utf8')).digest('hex'));
    expect(result.lines).toHaveLength(3);
  });
});
