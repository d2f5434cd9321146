// The bank CSV reader as a stream: what it reads from a typical export (title lines, header,
// entries, footer), in UTF-8 and GBK; chunk boundaries anywhere (even inside a GBK or UTF-8
// character) change nothing; and the layout variations exports have (quoted cells, page breaks,
// notes, red-ink reversals, signed amounts).
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import {
  collectCsvStatement,
  csvPreset,
  readCsvStatement,
  resolveCsvMapping,
  type CsvEntryEvent,
  type CsvEvent,
  type CsvMapping,
  type ReadCsvStatementOptions,
} from '../../src/bank/statement-csv/index.ts';

const generic = csvPreset('generic-cn');

async function* chunked(data: Uint8Array | string, size: number): AsyncGenerator<Uint8Array | string> {
  for (let i = 0; i < data.length; i += size) yield data.slice(i, i + size);
}

async function events(data: Uint8Array | string, size = 64 * 1024, options: Partial<ReadCsvStatementOptions> = {}): Promise<CsvEvent[]> {
  const out: CsvEvent[] = [];
  for await (const e of readCsvStatement(chunked(data, size), { mapping: generic, ...options })) out.push(e);
  return out;
}

function read(data: Uint8Array | string, options: Partial<ReadCsvStatementOptions> & { mapping?: CsvMapping } = {}) {
  return collectCsvStatement(chunked(data, 64 * 1024), { mapping: generic, ...options });
}

const gbk = (text: string): Uint8Array => new Uint8Array(iconv.encode(text, 'gbk'));
const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

/** A statement as a Chinese bank exports it: title lines, header, entries, 合计 and 总笔数. */
const SAMPLE = [
  '中国建设银行 账户明细查询',
  '账号：6222 0000 0000 0000 001,户名：青海省民政厅',
  '币种：人民币,开户行：中国建设银行西宁城东支行',
  '起始日期：2025-09-01,终止日期：2025-09-30',
  '"期初余额：540,000.00"',
  '交易日期,交易时间,起息日,摘要,借方发生额,贷方发生额,余额,对方账号,对方户名,附言,交易流水号',
  '2025-09-05,10:15:30,2025-09-05,代发,"3,500.00",,"536,500.00",6222020200112233445,张晓梅,青山陪伴助学金 QS2025-000000123 第一期,BK0001',
  '2025/9/6,09:05,20250906,代发,"￥4,000.00",0.00,"532,500.00",6222020200112233446,李娜,QS2025-000000124,BK0002',
  '20250910,101530,,退汇,,"3,500.00","536,000.00",6222020200112233445,张晓梅,"退汇 QS2025-000000123 账户已销户",BK0003',
  '2025年9月12日,,,收款,,"300,000.00","836,000.00",3301040160000000001,青山慈善基金会,拨付 2025-2026 学年资助款,BK0004',
  '合计,,,,"7,500.00","303,500.00",,,,,',
  '总笔数：4,借方笔数：2,贷方笔数：2',
  '期末余额：836000.00',
  '打印日期：2025-10-02 08:30:00',
].join('\r\n');

describe('readCsvStatement: a typical export', () => {
  it('reads the title lines as statement metadata', async () => {
    const { statement } = await read(gbk(SAMPLE));
    expect(statement).toMatchObject({
      type: 'statement',
      index: 1,
      id: 'csv',
      account: '6222000000000000001',
      accountName: '青海省民政厅',
      bank: '中国建设银行西宁城东支行',
      currency: 'CNY',
      period: { from: '2025-09-01', to: '2025-09-30' },
      balances: [{ type: 'OPBD', amount: '540000.00', currency: 'CNY', creditDebit: 'CRDT', date: '2025-09-01', line: 5 }],
      source: { mapping: 'generic-cn', encoding: 'gb18030', delimiter: ',', headerLine: 6, amountMode: 'debit-credit' },
    });
    expect(statement.source.columns).toEqual({
      bookingDate: '交易日期',
      transactionTime: '交易时间',
      valueDate: '起息日',
      debit: '借方发生额',
      credit: '贷方发生额',
      balance: '余额',
      counterpartyAccount: '对方账号',
      counterpartyName: '对方户名',
      transactionId: '交易流水号',
      references: ['摘要', '附言'],
    });
    expect(statement.meta.map((m) => m.label)).toEqual(['账号', '户名', '币种', '开户行', '起始日期', '终止日期', '期初余额']);
  });

  it('reads one entry per line, with dates in every accepted form, exact amounts and references', async () => {
    const { entries } = await read(gbk(SAMPLE));
    expect(entries).toHaveLength(4);
    expect(entries[0]).toEqual({
      type: 'entry',
      statementId: 'csv',
      index: 1,
      line: 7,
      amount: '3500.00',
      currency: 'CNY',
      creditDebit: 'DBIT',
      reversal: false,
      status: 'BOOK',
      bookingDate: '2025-09-05',
      valueDate: '2025-09-05',
      transactionTime: '2025-09-05T10:15:30',
      accountServicerReference: 'BK0001',
      counterparty: { name: '张晓梅', account: '6222020200112233445' },
      references: ['QS2025-000000123'],
      remittanceInfo: ['代发', '青山陪伴助学金 QS2025-000000123 第一期'],
      balanceAfter: '536500.00',
    } satisfies CsvEntryEvent);
    expect(entries.map((e) => [e.line, e.bookingDate, e.valueDate, e.transactionTime, e.amount, e.creditDebit])).toEqual([
      [7, '2025-09-05', '2025-09-05', '2025-09-05T10:15:30', '3500.00', 'DBIT'],
      [8, '2025-09-06', '2025-09-06', '2025-09-06T09:05:00', '4000.00', 'DBIT'],
      [9, '2025-09-10', null, '2025-09-10T10:15:30', '3500.00', 'CRDT'],
      [10, '2025-09-12', null, undefined, '300000.00', 'CRDT'],
    ]);
    expect(entries[2]?.references).toEqual(['QS2025-000000123']);
    expect(entries[2]?.remittanceInfo).toEqual(['退汇', '退汇 QS2025-000000123 账户已销户']);
    // "2025-2026" matches the default pattern too: a candidate, which simply matches no payout.
    expect(entries[3]?.references).toEqual(['2025-2026']);
  });

  it('recognises the footer and trailer lines, checks them, and never takes them as entries', async () => {
    const { end } = await read(gbk(SAMPLE));
    expect(end).toEqual({
      type: 'statement-end',
      statementId: 'csv',
      entryCount: 4,
      totals: { debitCount: 2, creditCount: 2, debitTotal: '7500.00', creditTotal: '303500.00' },
      footer: { line: 11, debitTotal: '7500.00', creditTotal: '303500.00', totalCount: 4, debitCount: 2, creditCount: 2 },
      balances: [{ type: 'CLBD', amount: '836000.00', currency: 'CNY', creditDebit: 'CRDT', date: '2025-09-30', line: 13 }],
      meta: [
        { line: 12, label: '总笔数', value: '4' },
        { line: 12, label: '借方笔数', value: '2' },
        { line: 12, label: '贷方笔数', value: '2' },
        { line: 13, label: '期末余额', value: '836000.00' },
        { line: 14, label: '打印日期', value: '2025-10-02 08:30:00' },
      ],
      lineCount: 14,
      encoding: 'gb18030',
    });
  });

  it('reads the same events from UTF-8, UTF-8 with a byte-order mark, GBK and strings', async () => {
    const fromGbk = await events(gbk(SAMPLE));
    const withEncoding = (list: CsvEvent[], encoding: string) =>
      list.map((e) => (e.type === 'statement' ? { ...e, source: { ...e.source, encoding } } : e.type === 'statement-end' ? { ...e, encoding } : e));
    expect(await events(utf8(SAMPLE))).toEqual(withEncoding(fromGbk, 'utf-8'));
    expect(await events(utf8(`\uFEFF${SAMPLE}`))).toEqual(withEncoding(fromGbk, 'utf-8'));
    expect(await events(SAMPLE)).toEqual(withEncoding(fromGbk, 'text'));
    expect(await events(gbk(SAMPLE), 64 * 1024, { encoding: 'gbk' })).toEqual(fromGbk);
    expect(await events(utf8(SAMPLE), 64 * 1024, { encoding: 'utf-8' })).toEqual(withEncoding(fromGbk, 'utf-8'));
  });

  it('gives identical events whatever the chunk size, even when a chunk boundary splits a character', async () => {
    for (const bytes of [gbk(SAMPLE), utf8(SAMPLE), utf8(`\uFEFF${SAMPLE}`)]) {
      const whole = await events(bytes, bytes.length);
      expect(whole.length).toBe(6);
      for (const size of [1, 2, 3, 5, 7, 13, 64]) expect(await events(bytes, size)).toEqual(whole);
    }
    expect(await events(SAMPLE, 1)).toEqual(await events(SAMPLE, SAMPLE.length));
  });

  it('splits a GBK character across chunks without harm (the cut falls inside 张)', async () => {
    const bytes = gbk(SAMPLE);
    const zhang = iconv.encode('张', 'gbk');
    const at = Buffer.from(bytes).indexOf(zhang) + 1; // between the two bytes of 张
    async function* twoPieces(): AsyncGenerator<Uint8Array> {
      yield bytes.subarray(0, at);
      yield bytes.subarray(at);
    }
    const doc = await collectCsvStatement(twoPieces(), { mapping: generic });
    expect(doc.entries[0]?.counterparty.name).toBe('张晓梅');
    expect(doc).toEqual(await read(bytes));
  });

  it('yields entries before the input has ended (streaming)', async () => {
    const bytes = gbk(SAMPLE);
    const stop = bytes.indexOf(0x0a, Buffer.from(bytes).indexOf(Buffer.from('BK0002')));
    let sentAll = false;
    async function* slow(): AsyncGenerator<Uint8Array> {
      yield bytes.subarray(0, stop + 1);
      sentAll = true;
      yield bytes.subarray(stop + 1);
    }
    const seen: number[] = [];
    // Explicit encoding: with "auto", a file this small would be held whole while the decoder
    // looks at the first kilobyte after the first Chinese character to choose UTF-8 or GBK.
    for await (const e of readCsvStatement(slow(), { mapping: generic, encoding: 'gbk' })) {
      if (e.type === 'entry') {
        if (!sentAll) seen.push(e.line);
      }
    }
    expect(seen).toEqual([7, 8]);
  });

  it('takes the statement id and file name from the caller', async () => {
    const { statement, entries, end } = await read(gbk(SAMPLE), { statementId: 'ccb-2025-09', fileName: '2025-09.csv' });
    expect([statement.id, entries[0]?.statementId, end.statementId]).toEqual(['ccb-2025-09', 'ccb-2025-09', 'ccb-2025-09']);
  });
});

/** Header plus lines, nothing else. */
function table(header: string, ...rows: string[]): string {
  return [header, ...rows].join('\n');
}

const HEADER = '交易日期,摘要,借方发生额,贷方发生额,余额,对方账号,对方户名,附言,交易流水号';

describe('readCsvStatement: layout variations', () => {
  it('reads a file without title lines, with LF line breaks and no final line break', async () => {
    const { statement, entries, end } = await read(table(HEADER, '2025-09-05,代发,3500.00,,,6222,张三,QS2025-000000001,B1'));
    expect(statement.account).toBeNull();
    expect(statement.period).toEqual({ from: null, to: null });
    expect(statement.source.headerLine).toBe(1);
    expect(entries.map((e) => e.line)).toEqual([2]);
    expect(end.footer).toBeUndefined();
    expect(end.lineCount).toBe(2);
  });

  it('keeps a quoted cell with commas, doubled quotes and a line break, and numbers lines as in the file', async () => {
    const text = table(
      HEADER,
      '2025-09-05,代发,3500.00,,,6222,"张三, ""小张""","第一行 QS2025-000000001',
      '第二行",B1',
      '2025-09-06,代发,100.00,,,6223,李四,QS2025-000000002,B2',
    );
    const { entries } = await read(text);
    expect(entries.map((e) => e.line)).toEqual([2, 4]);
    expect(entries[0]?.counterparty.name).toBe('张三, "小张"');
    expect(entries[0]?.remittanceInfo).toEqual(['代发', '第一行 QS2025-000000001\n第二行']);
    expect(entries[0]?.references).toEqual(['QS2025-000000001']);
    expect(await events(utf8(text), 1)).toEqual(await events(utf8(text)));
  });

  it('reads tab-separated exports and Excel\'s ="…" text guard, tabs and spaces around cells', async () => {
    const text = [
      '交易日期\t借方发生额\t贷方发生额\t对方账号\t对方户名\t附言',
      '2025-09-05\t 3500.00 \t\t="6222020200112233445"\t张三\t QS2025-000000001\t',
    ].join('\n');
    const { statement, entries } = await read(text);
    expect(statement.source.delimiter).toBe('\t');
    expect(entries[0]).toMatchObject({ amount: '3500.00', counterparty: { account: '6222020200112233445' } });
  });

  it('skips blank lines, a header repeated on a new page and page subtotals (本页合计)', async () => {
    const text = table(
      HEADER,
      '2025-09-05,代发,3500.00,,,6222,张三,QS2025-000000001,B1',
      ',,,,,,,,',
      '本页合计,,3500.00,0.00,,,,,',
      '',
      HEADER,
      '2025-09-06,代发,100.00,,,6223,李四,QS2025-000000002,B2',
      '合计,,3600.00,0.00,,,,,',
    );
    const { entries, end } = await read(text);
    expect(entries.map((e) => e.line)).toEqual([2, 7]);
    expect(end.footer).toEqual({ line: 8, debitTotal: '3600.00', creditTotal: '0.00' });
  });

  it('ends the entries at a note line and reads a closing balance given after them', async () => {
    const text = table(HEADER, '2025-09-05,代发,3500.00,,,6222,张三,QS2025-000000001,B1', '注：本明细仅供对账参考', '期末余额：1,000.00');
    const { entries, end } = await read(text);
    expect(entries).toHaveLength(1);
    expect(end.balances).toEqual([{ type: 'CLBD', amount: '1000.00', currency: 'CNY', creditDebit: 'CRDT', date: null, line: 4 }]);
    expect(end.meta).toEqual([
      { line: 3, label: '注', value: '本明细仅供对账参考' },
      { line: 4, label: '期末余额', value: '1,000.00' },
    ]);
  });

  it('reads a negative amount in the debit or credit column as a red-ink reversal', async () => {
    const text = table(
      HEADER,
      '2025-09-05,代发,3500.00,,,6222,张三,QS2025-000000001,B1',
      '2025-09-05,冲正,-3500.00,,,6222,张三,冲正 QS2025-000000001,B2',
      '2025-09-06,冲正,,(200.00),,6223,李四,QS2025-000000002,B3',
      '合计,,0.00,-200.00,,,,,',
    );
    const { entries, end } = await read(text);
    expect(entries.map((e) => [e.amount, e.creditDebit, e.reversal])).toEqual([
      ['3500.00', 'DBIT', false],
      ['3500.00', 'CRDT', true],
      ['200.00', 'DBIT', true],
    ]);
    // Totals as the bank's columns add them: the footer agrees.
    expect(end.totals).toEqual({ debitCount: 2, creditCount: 1, debitTotal: '0.00', creditTotal: '-200.00' });
    // A reversed debit still names the payee as its counterparty.
    expect(entries[1]?.counterparty).toEqual({ name: '张三', account: '6222' });
  });

  it('reads a signed amount (negative = debit), and an amount with a 借贷 flag', async () => {
    const signed = await read(
      table(
        '交易日期,交易金额,本次余额,对方户名,对方账号,附言',
        '2025-09-05,-3500.00,100.00,张三,6222,QS2025-000000001',
        '2025-09-06,+200.00,300.00,李四,6223,',
      ),
    );
    expect(signed.statement.source.amountMode).toBe('signed-amount');
    expect(signed.entries.map((e) => [e.amount, e.creditDebit, e.balanceAfter])).toEqual([
      ['3500.00', 'DBIT', '100.00'],
      ['200.00', 'CRDT', '300.00'],
    ]);

    const flagged = await read(
      table('交易日期,借贷标志,交易金额,对方户名', '2025-09-05,借,3500.00,张三', '2025-09-06,贷,200.00,李四', '2025-09-07,D,-1.00,王五'),
    );
    expect(flagged.statement.source.amountMode).toBe('amount-and-flag');
    expect(flagged.entries.map((e) => [e.amount, e.creditDebit])).toEqual([
      ['3500.00', 'DBIT'],
      ['200.00', 'CRDT'],
      ['1.00', 'DBIT'],
    ]);
  });

  it('takes the counterparty from the payee of a debit and the payer of a credit when the file lists both parties', async () => {
    const text = table(
      '交易日期,交易金额,付款人账号,付款人名称,收款人账号,收款人名称,用途',
      '2025-09-05,-3500.00,6222000000000000001,青海省民政厅,6222020200112233445,张晓梅,QS2025-000000123',
      '2025-09-06,300000.00,3301040160000000001,青山慈善基金会,6222000000000000001,青海省民政厅,拨款',
    );
    const { entries } = await read(text);
    expect(entries.map((e) => e.counterparty)).toEqual([
      { name: '张晓梅', account: '6222020200112233445' },
      { name: '青山慈善基金会', account: '3301040160000000001' },
    ]);
  });

  it('takes the account from a per-line own-account column when the title has none', async () => {
    const { statement } = await read(table('交易日期,本方账号,借方发生额,贷方发生额', '2025-09-05,6222 0000 0001,1.00,', '2025-09-06,6222 0000 0001,,2.00'));
    expect(statement.account).toBe('622200000001');
  });

  it('extracts references with a configured pattern, full-width characters folded', async () => {
    const mapping = resolveCsvMapping({ extends: 'generic-cn', referencePattern: 'QS\\d{4}-\\d{9}' }, 'test');
    const { entries } = await read(
      table('交易日期,借方发生额,贷方发生额,附言,备注', '2025-09-05,1.00,,ＱＳ２０２５－０００００００１２ 第一期 2025-2026,QS2025-000000012'),
      { mapping },
    );
    expect(entries[0]?.references).toEqual(['QS2025-000000012']);
  });

  it('reads placeholders in optional cells as empty', async () => {
    const { entries } = await read(table('交易日期,起息日,交易时间,借方发生额,贷方发生额', '2025-09-05,--,—,1.00,-'));
    expect(entries[0]).toMatchObject({ valueDate: null, amount: '1.00', creditDebit: 'DBIT' });
    expect(entries[0]?.transactionTime).toBeUndefined();
  });

  it('reads a statement with no entries', async () => {
    const { statement, entries, end } = await read(['账号：6222', HEADER, '合计,,0.00,0.00,,,,,', '总笔数：0'].join('\n'));
    expect(statement.account).toBe('6222');
    expect(entries).toEqual([]);
    expect(end).toMatchObject({ entryCount: 0, footer: { line: 3, totalCount: 0 } });
  });
});
