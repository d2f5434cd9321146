// Bad input: a file that is not a statement, missing columns,
// undecodable bytes, another currency, dates out of range — and the other ways a line can be
// unusable. Each is a CsvStatementError with a code, the line, and a message naming both.
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import {
  csvPreset,
  CsvStatementError,
  readCsvStatement,
  resolveCsvMapping,
  type CsvEvent,
  type CsvStatementErrorCode,
  type ReadCsvStatementOptions,
} from '../../src/bank/statement-csv/index.ts';

const generic = csvPreset('generic-cn');

async function* chunked(data: Uint8Array | string, size: number): AsyncGenerator<Uint8Array | string> {
  for (let i = 0; i < data.length; i += size) yield data.slice(i, i + size);
}

const gbk = (text: string): Uint8Array => new Uint8Array(iconv.encode(text, 'gbk'));
const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
const bytes = (...parts: (Uint8Array | number[])[]): Uint8Array => new Uint8Array(Buffer.concat(parts.map((p) => Buffer.from(p))));

/** Reads to the end; returns the error and the events yielded before it. */
async function failure(
  data: Uint8Array | string,
  options: Partial<ReadCsvStatementOptions> = {},
  size = 64 * 1024,
): Promise<{ error: CsvStatementError; before: CsvEvent[] }> {
  const before: CsvEvent[] = [];
  try {
    for await (const e of readCsvStatement(chunked(data, size), { mapping: generic, ...options })) before.push(e);
  } catch (err) {
    if (err instanceof CsvStatementError) return { error: err, before };
    throw err;
  }
  throw new Error('expected a CsvStatementError, the input was accepted');
}

async function expectFailure(
  data: Uint8Array | string,
  code: CsvStatementErrorCode,
  line: number | undefined,
  message: RegExp,
  options: Partial<ReadCsvStatementOptions> = {},
): Promise<CsvStatementError> {
  const { error } = await failure(data, options);
  expect({ code: error.code, line: error.line }).toEqual({ code, line });
  expect(error.message).toMatch(message);
  // The same error whatever the chunking.
  const small = await failure(data, options, 3);
  expect({ code: small.error.code, line: small.error.line, message: small.error.message }).toEqual({ code, line, message: error.message });
  return error;
}

const TITLE = ['账号：6222000000000000001,户名：青海省民政厅', '币种：人民币,起始日期：2025-09-01,终止日期：2025-09-30'];
const HEADER = '交易日期,摘要,借方发生额,贷方发生额,余额,对方账号,对方户名,附言,交易流水号';
const ROW = (date = '2025-09-05', debit = '3500.00', credit = '', extra = ''): string =>
  `${date},代发,${debit},${credit},,6222020200112233445,张晓梅,QS2025-000000123,BK1${extra}`;

/** Title lines 1–2, header line 3, then the given lines from line 4. */
function statement(...rows: string[]): string {
  return [...TITLE, HEADER, ...rows].join('\r\n');
}

describe('a file that is not a statement', () => {
  it('refuses an empty file, and one of blank lines only', async () => {
    await expectFailure('', 'empty', undefined, /^bank CSV: the file is empty$/);
    await expectFailure(utf8('\r\n  \r\n,,,\r\n'), 'empty', undefined, /the file is empty/);
  });

  it('refuses text without a header, naming the mapping', async () => {
    const text = Array.from({ length: 40 }, (_, i) => `这是第${i + 1}行说明文字`).join('\n');
    await expectFailure(gbk(text), 'no-header', 1, /no header row: none of the first 31 non-blank lines names the columns of mapping "generic-cn"/);
    await expectFailure(utf8('hello\nworld\n'), 'no-header', 1, /no header row/);
  });

  it('refuses a header that comes after more title lines than the mapping allows', async () => {
    const mapping = resolveCsvMapping({ extends: 'generic-cn', headerSearchLines: 2 }, 'test');
    await expectFailure(['标题', '说明', '更多说明', HEADER, ROW()].join('\n'), 'no-header', 1, /first 3 non-blank lines/, { mapping });
  });

  it('refuses XML (a camt.053 given as CSV) and HTML', async () => {
    await expectFailure(utf8('<?xml version="1.0"?>\n<Document/>'), 'not-csv', 1, /XML or HTML/);
    await expectFailure(utf8('\uFEFF<html><table><tr><td>交易日期</td></tr></table></html>'), 'not-csv', 1, /XML or HTML/);
  });

  it('refuses Excel workbooks, UTF-16 and binary data', async () => {
    await expectFailure(bytes([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00]), 'not-csv', 1, /Excel workbook \(\.xlsx/);
    await expectFailure(bytes([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), 'not-csv', 1, /Excel 97-2003 workbook/);
    await expectFailure(bytes([0xff, 0xfe], Buffer.from('交易日期', 'utf16le')), 'not-csv', 1, /UTF-16/);
    await expectFailure(bytes(utf8(`${HEADER}\n`), [0x32, 0x00, 0x30, 0x00]), 'not-csv', 2, /binary data \(NUL bytes\)/);
  });
});

describe('missing columns', () => {
  it('names the header line and the columns it lacks, with the names looked for', async () => {
    const text = [...TITLE, '交易日期,摘要,余额,对方账号,对方户名', '2025-09-05,代发,100.00,6222,张三'].join('\n');
    const error = await expectFailure(gbk(text), 'missing-column', 3, /line 3: the header lacks required columns: debit \(借方发生额 \/ 借方金额/);
    expect(error.message).toMatch(/credit \(贷方发生额/);
    expect(error.message).toMatch(/amount \(交易金额 \/ 发生额/);
  });

  it('names a column the mapping requires', async () => {
    const mapping = resolveCsvMapping({ extends: 'generic-cn', required: ['counterpartyAccount', 'references'] }, 'test');
    await expectFailure(
      gbk(['交易日期,借方发生额,贷方发生额,对方户名', '2025-09-05,1.00,,张三'].join('\n')),
      'missing-column',
      1,
      /counterpartyAccount \(对方账号 .*references \(附言 \/ 备注/,
      { mapping },
    );
  });

  it('refuses a line with more cells than the header (an unquoted 3,500.00)', async () => {
    await expectFailure(
      gbk(statement(ROW(), '2025-09-06,代发,3,500.00,,,6222,张三,QS2025-000000124,BK2')),
      'columns',
      5,
      /the line has 10 cells, the header 9/,
    );
  });

  it('refuses a quoted cell that is never closed, naming the line where it opens', async () => {
    await expectFailure(
      gbk(statement(ROW(), '2025-09-06,代发,"3500.00,,,6222,张三,QS2025-000000124,BK2', ROW('2025-09-07'))),
      'syntax',
      5,
      /quoted cell opened on this line is never closed/,
    );
  });
});

describe('undecodable bytes', () => {
  it('explicit UTF-8: GBK bytes are refused at their line', async () => {
    const data = bytes(utf8(`${HEADER}\r\n${ROW()}\r\n`), gbk(ROW('2025-09-06')));
    await expectFailure(data, 'encoding', 3, /line 3: bytes that are not valid UTF-8, the encoding given/, { encoding: 'utf-8' });
  });

  it('explicit GBK: an invalid byte is refused at its line', async () => {
    const data = bytes(gbk(statement(ROW(), '')), [0xff, 0xfe], gbk(ROW('2025-09-06')));
    await expectFailure(data, 'encoding', 5, /line 5: bytes that are not valid GBK\/GB18030, the encoding given/, { encoding: 'gbk' });
  });

  it('detected UTF-8: GBK further down is refused (a file mixing encodings), after the lines before it were read', async () => {
    const rows = Array.from({ length: 60 }, (_, i) => ROW(`2025-09-${String(1 + (i % 28)).padStart(2, '0')}`)).join('\r\n');
    const data = bytes(utf8(`${statement(rows)}\r\n`), gbk(ROW('2025-09-29')));
    const { error, before } = await failure(data, {}, 512);
    expect(error).toMatchObject({ code: 'encoding', line: 64 });
    expect(error.message).toMatch(/not valid UTF-8, although the file began as UTF-8: it mixes encodings/);
    // Events before the error may already have been yielded: the caller must not act on them.
    expect(before.filter((e) => e.type === 'entry').length).toBeGreaterThan(0);
  });

  it('detection: bytes that are neither UTF-8 nor GBK', async () => {
    const data = bytes(gbk('账号：'), [0xff, 0x80, 0xff], gbk(`\r\n${HEADER}\r\n${ROW()}`));
    await expectFailure(data, 'encoding', 1, /neither valid UTF-8 nor valid GBK\/GB18030/);
  });

  it('a GBK character cut off by the end of the file', async () => {
    const data = gbk(statement(ROW(), '2025-09-06,代发,1.00,,,6222,张'));
    await expectFailure(data.subarray(0, data.length - 1), 'encoding', 5, /neither valid UTF-8 nor valid GBK/);
  });

  it('a UTF-8 byte-order mark on a file said to be GBK', async () => {
    await expectFailure(bytes([0xef, 0xbb, 0xbf], gbk(statement(ROW()))), 'encoding', 1, /byte-order mark, but its encoding was given as GBK/, {
      encoding: 'gbk',
    });
  });
});

describe('another currency', () => {
  it('refuses a statement whose title names another currency', async () => {
    const text = ['账号：6222000000000000001', '币种：美元', HEADER, ROW()].join('\n');
    await expectFailure(gbk(text), 'currency', 2, /line 2, column "币种": the currency is USD \("美元"\), the mapping expects CNY/);
  });

  it('refuses a line in another currency', async () => {
    const text = ['交易日期,币种,借方发生额,贷方发生额', '2025-09-05,人民币,1.00,', '2025-09-06,USD,2.00,'].join('\n');
    await expectFailure(gbk(text), 'currency', 3, /line 3, column "币种": the currency is USD \("USD"\), the mapping expects CNY/);
  });

  it('refuses a currency it cannot recognise, rather than assume CNY', async () => {
    await expectFailure(gbk(['币种：外币', HEADER, ROW()].join('\n')), 'currency', 1, /"外币" is not a currency this reader recognises/);
  });

  it('refuses a CNY file when the mapping is for another currency', async () => {
    const mapping = resolveCsvMapping({ extends: 'generic-cn', currency: 'USD' }, 'test');
    await expectFailure(gbk(statement(ROW())), 'currency', 2, /the currency is CNY \("人民币"\), the mapping expects USD/, { mapping });
  });
});

describe('dates out of range', () => {
  it.each([
    ['2025-02-29', /booking date "2025-02-29" is not a date that exists/],
    ['2025/4/31', /"2025\/4\/31" is not a date that exists/],
    ['20251301', /"20251301" is not a date that exists/],
    ['2025年9月31日', /"2025年9月31日" is not a date that exists/],
    ['1899-12-31', /"1899-12-31" is out of range \(years 1990–2099\)/],
    ['2125-09-05', /out of range/],
    ['05/09/2025', /"05\/09\/2025" is not a date \(expected YYYY-MM-DD, YYYY\/MM\/DD, YYYYMMDD or YYYY年M月D日\)/],
  ])('refuses the booking date %s', async (date, message) => {
    const error = await expectFailure(gbk([HEADER, ROW(), ROW(date)].join('\n')), 'date', 3, message);
    expect(error.column).toBe('交易日期');
  });

  it('refuses an entry with an empty booking date', async () => {
    await expectFailure(gbk([HEADER, ROW(), ROW('')].join('\n')), 'date', 3, /the booking date is empty/);
  });

  it('refuses a booking date outside the period the title states', async () => {
    await expectFailure(
      gbk(statement(ROW(), ROW('2025-10-01'))),
      'period',
      5,
      /booking date 2025-10-01 is outside the statement period 2025-09-01 – 2025-09-30/,
    );
    await expectFailure(gbk(statement(ROW('2025-08-31'))), 'period', 4, /outside the statement period/);
  });

  it('refuses a period that ends before it starts, or names a day that does not exist', async () => {
    await expectFailure(
      gbk(['起止日期：2025-09-30 至 2025-09-01', HEADER, ROW()].join('\n')),
      'period',
      1,
      /ends \(2025-09-01\) before it starts \(2025-09-30\)/,
    );
    await expectFailure(gbk(['起始日期：2025-09-31', HEADER, ROW()].join('\n')), 'date', 1, /起始日期: "2025-09-31" is not a date that exists/);
  });

  it('refuses a bad value date or transaction time', async () => {
    await expectFailure(
      gbk(['交易日期,起息日,借方发生额,贷方发生额', '2025-09-05,2025-09-32,1.00,'].join('\n')),
      'date',
      2,
      /column "起息日": value date "2025-09-32" is not a date that exists/,
    );
    await expectFailure(
      gbk(['交易日期,交易时间,借方发生额,贷方发生额', '2025-09-05,25:61:00,1.00,'].join('\n')),
      'date',
      2,
      /column "交易时间": transaction time "25:61:00" is not a time of day/,
    );
  });
});

describe('amounts and directions', () => {
  it.each([
    ['3,50.00', /amount "3,50.00" is not a number/],
    ['35.000', /amount "35.000" has more than two decimals/],
    ['1e3', /amount "1e3" is not a number/],
    ['--5', /more than one sign/],
    ['1234567890123.00', /too large/],
  ])('refuses the amount %s', async (amount, message) => {
    const error = await expectFailure(gbk([HEADER, ROW('2025-09-05', `"${amount}"`)].join('\n')), 'amount', 2, message);
    expect(error.column).toBe('借方发生额');
  });

  it('refuses a line with both a debit and a credit, or with neither', async () => {
    await expectFailure(gbk([HEADER, ROW('2025-09-05', '1.00', '2.00')].join('\n')), 'amount', 2, /both a debit \(1\.00\) and a credit \(2\.00\) on one line/);
    await expectFailure(gbk([HEADER, ROW('2025-09-05', '', '')].join('\n')), 'amount', 2, /no amount: "借方发生额" and "贷方发生额" are both empty/);
    await expectFailure(gbk([HEADER, ROW('2025-09-05', '0.00', '0.00')].join('\n')), 'amount', 2, /both zero/);
  });

  it('refuses a negative amount in a column when the mapping allows no reversals', async () => {
    const mapping = resolveCsvMapping({ extends: 'generic-cn', negativeIsReversal: false }, 'test');
    await expectFailure(
      gbk([HEADER, ROW('2025-09-05', '-1.00')].join('\n')),
      'amount',
      2,
      /negative amount \(1\.00\) in "借方发生额"; the mapping does not allow reversals/,
      { mapping },
    );
  });

  it('refuses an unknown debit/credit flag, and a negative amount flagged as a credit', async () => {
    const head = '交易日期,借贷标志,交易金额';
    await expectFailure(
      gbk([head, '2025-09-05,借,1.00', '2025-09-06,转,1.00'].join('\n')),
      'direction',
      3,
      /column "借贷标志": "转" is not a debit\/credit flag/,
    );
    await expectFailure(gbk([head, '2025-09-05,贷,-1.00'].join('\n')), 'direction', 2, /a negative amount \(-1\.00\) flagged as a credit/);
  });

  it("refuses a line for another account than the statement's", async () => {
    const text = [
      '账号：6222000000000000001',
      '交易日期,本方账号,借方发生额,贷方发生额',
      '2025-09-05,6222000000000000001,1.00,',
      '2025-09-06,6222000000000000009,1.00,',
    ].join('\n');
    await expectFailure(gbk(text), 'account', 4, /the line is for account 6222000000000000009, the statement for 6222000000000000001/);
  });
});

describe('summary lines', () => {
  it('refuses a count that disagrees with the entries (a truncated or edited file)', async () => {
    await expectFailure(gbk(statement(ROW(), ROW('2025-09-06'), '总笔数：3')), 'footer', 6, /line 6: the count of lines stated here is 3, the entries give 2/);
    await expectFailure(gbk(statement(ROW(), '合计：共2笔')), 'footer', 5, /the count of lines stated here is 2, the entries give 1/);
  });

  it('refuses column totals that disagree with the entries', async () => {
    await expectFailure(
      gbk(statement(ROW(), ROW('2025-09-06', '100.00'), '合计,,3500.00,0.00,,,,,')),
      'footer',
      6,
      /the debit total stated here is 3500\.00, the entries give 3600\.00/,
    );
    await expectFailure(gbk(statement(ROW(), '贷方合计：1.00')), 'footer', 5, /the credit total stated here is 1\.00, the entries give 0\.00/);
  });

  it('checks a count stated in the title lines as well', async () => {
    await expectFailure(gbk(['借方笔数：2', HEADER, ROW()].join('\n')), 'footer', 1, /line 1: the count of debits stated here is 2, the entries give 1/);
  });

  it('does not check them when the mapping says checkFooter: false', async () => {
    const mapping = resolveCsvMapping({ extends: 'generic-cn', checkFooter: false }, 'test');
    const events: CsvEvent[] = [];
    for await (const e of readCsvStatement(chunked(gbk(statement(ROW(), '总笔数：3')), 1024), { mapping })) events.push(e);
    expect(events.at(-1)).toMatchObject({ type: 'statement-end', entryCount: 1, footer: { totalCount: 3 } });
  });

  it('refuses an entry after the totals', async () => {
    await expectFailure(
      gbk(statement(ROW(), '合计,,3500.00,0.00,,,,,', ROW('2025-09-06'))),
      'footer',
      6,
      /an entry \(dated 2025-09-06\) after the summary line 5/,
    );
    await expectFailure(gbk(statement(ROW(), '以下空白', ROW('2025-09-06'))), 'footer', 6, /after the summary line 5/);
  });
});

describe('the message', () => {
  it('names the file, the line, the column and the problem', async () => {
    const { error } = await failure(gbk([HEADER, ROW('2025-02-30')].join('\n')), { fileName: '建行-2025-09.csv' });
    expect(error.message).toBe('bank CSV: 建行-2025-09.csv, line 2, column "交易日期": booking date "2025-02-30" is not a date that exists');
    expect(error).toMatchObject({ name: 'CsvStatementError', code: 'date', line: 2, column: '交易日期', fileName: '建行-2025-09.csv' });
    expect(error.reason).toBe('booking date "2025-02-30" is not a date that exists');
  });
});
