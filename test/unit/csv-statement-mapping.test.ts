// Column mappings: each named preset reads an export laid out as the preset describes (the layouts
// are plausible, not verified against real bank files — see src/bank/statement-csv/presets.ts), the
// generic preset reads them all, and a JSON config file maps a layout no preset knows.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCsvMapping } from '../../src/bank/node/load-csv-mapping.ts';
import { readCsvStatementFile } from '../../src/bank/node/read-csv-statement-file.ts';
import {
  collectCsvStatement,
  CSV_PRESET_NAMES,
  csvPreset,
  CsvMappingError,
  CsvStatementError,
  resolveCsvMapping,
  type CsvMapping,
} from '../../src/bank/statement-csv/index.ts';

async function* chunked(data: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < data.length; i += size) yield data.subarray(i, i + size);
}

const gbk = (text: string): Uint8Array => new Uint8Array(iconv.encode(text, 'gbk'));

function read(text: string, mapping: CsvMapping, size = 64 * 1024) {
  return collectCsvStatement(chunked(gbk(text), size), { mapping });
}

/** What the matcher looks at, for comparing presets. */
function essentials(entries: Awaited<ReturnType<typeof read>>['entries']) {
  return entries.map((e) => ({
    line: e.line,
    bookingDate: e.bookingDate,
    amount: e.amount,
    creditDebit: e.creditDebit,
    reversal: e.reversal,
    counterparty: e.counterparty,
    references: e.references,
    id: e.accountServicerReference,
    time: e.transactionTime,
    valueDate: e.valueDate,
    balanceAfter: e.balanceAfter,
  }));
}

const SAMPLES: Record<string, { text: string; expected: ReturnType<typeof essentials> }> = {
  icbc: {
    text: [
      '中国工商银行 账户历史明细',
      '账号：6222000000000000001,户名：青海省民政厅,币种：人民币',
      '凭证号,本方账号,对方账号,交易时间,借/贷,借方发生额,贷方发生额,对方行名,摘要,用途,对方单位名称,余额,个性化信息',
      'V001,6222000000000000001,6222020200112233445,2025-09-05 10:15:30,借,"3,500.00",,中国建设银行,代发,QS2025-000000123,张晓梅,"536,500.00",',
      'V002,6222000000000000001,6222020200112233445,2025-09-10 16:00:00,贷,,"3,500.00",中国建设银行,退汇,QS2025-000000123,张晓梅,"540,000.00",账户已销户',
      '合计：2笔,,,,,"3,500.00","3,500.00",,,,,,',
    ].join('\r\n'),
    expected: [
      {
        line: 4,
        bookingDate: '2025-09-05',
        amount: '3500.00',
        creditDebit: 'DBIT',
        reversal: false,
        counterparty: { name: '张晓梅', account: '6222020200112233445' },
        references: ['QS2025-000000123'],
        id: 'V001',
        time: '2025-09-05T10:15:30',
        valueDate: null,
        balanceAfter: '536500.00',
      },
      {
        line: 5,
        bookingDate: '2025-09-10',
        amount: '3500.00',
        creditDebit: 'CRDT',
        reversal: false,
        counterparty: { name: '张晓梅', account: '6222020200112233445' },
        references: ['QS2025-000000123'],
        id: 'V002',
        time: '2025-09-10T16:00:00',
        valueDate: null,
        balanceAfter: '540000.00',
      },
    ],
  },
  ccb: {
    text: [
      '中国建设银行单位客户账户明细',
      '账号,6222000000000000002,账户名称,青海省民政厅',
      '起始日期：20250901,终止日期：20250930',
      '交易时间,借方发生额（支取）,贷方发生额（收入）,余额,币种,对方户名,对方账号,对方开户机构,记账日期,摘要,备注,账户明细编号-交易流水号',
      '20250905 101530,3500.00,0.00,536500.00,人民币,张晓梅,6222020200112233445,中国建设银行西宁分行,20250905,代发,QS2025-000000123,32000000001-1',
      '20250906 090000,-3500.00,0.00,540000.00,人民币,张晓梅,6222020200112233445,中国建设银行西宁分行,20250906,冲正,QS2025-000000123,32000000002-1',
    ].join('\n'),
    expected: [
      {
        line: 5,
        bookingDate: '2025-09-05',
        amount: '3500.00',
        creditDebit: 'DBIT',
        reversal: false,
        counterparty: { name: '张晓梅', account: '6222020200112233445' },
        references: ['QS2025-000000123'],
        id: '32000000001-1',
        time: '2025-09-05T10:15:30',
        valueDate: null,
        balanceAfter: '536500.00',
      },
      {
        line: 6,
        bookingDate: '2025-09-06',
        amount: '3500.00',
        creditDebit: 'CRDT',
        reversal: true,
        counterparty: { name: '张晓梅', account: '6222020200112233445' },
        references: ['QS2025-000000123'],
        id: '32000000002-1',
        time: '2025-09-06T09:00:00',
        valueDate: null,
        balanceAfter: '540000.00',
      },
    ],
  },
  boc: {
    text: [
      '交易类型,付款人账号,付款人名称,收款人账号,收款人名称,交易日期,交易时间,交易货币,交易金额,交易后余额,起息日期,交易流水号,用途,附言',
      '转账支出,6222000000000000003,青海省民政厅,6222020200112233445,张晓梅,2025/09/05,10:15:30,CNY,-3500.00,536500.00,2025/09/05,BOC0001,助学金,QS2025-000000123',
      '转账收入,3301040160000000001,青山慈善基金会,6222000000000000003,青海省民政厅,2025/09/12,11:00:00,CNY,300000.00,836500.00,2025/09/12,BOC0002,拨款,',
      '',
    ].join('\r\n'),
    expected: [
      {
        line: 2,
        bookingDate: '2025-09-05',
        amount: '3500.00',
        creditDebit: 'DBIT',
        reversal: false,
        counterparty: { name: '张晓梅', account: '6222020200112233445' },
        references: ['QS2025-000000123'],
        id: 'BOC0001',
        time: '2025-09-05T10:15:30',
        valueDate: '2025-09-05',
        balanceAfter: '536500.00',
      },
      {
        line: 3,
        bookingDate: '2025-09-12',
        amount: '300000.00',
        creditDebit: 'CRDT',
        reversal: false,
        counterparty: { name: '青山慈善基金会', account: '3301040160000000001' },
        references: [],
        id: 'BOC0002',
        time: '2025-09-12T11:00:00',
        valueDate: '2025-09-12',
        balanceAfter: '836500.00',
      },
    ],
  },
  abc: {
    text: [
      '账户：6222000000000000004   户名：青海省民政厅',
      '交易日期,交易时间,交易金额,本次余额,对方户名,对方账号,交易行,交易渠道,交易用途',
      '20250905,101530,-3500.00,536500.00,张晓梅,6222020200112233445,西宁城东支行,网银,青山陪伴助学金QS2025-000000123',
      '20250912,110000,+300000.00,836500.00,青山慈善基金会,3301040160000000001,西宁城东支行,柜台,拨款',
    ].join('\n'),
    expected: [
      {
        line: 3,
        bookingDate: '2025-09-05',
        amount: '3500.00',
        creditDebit: 'DBIT',
        reversal: false,
        counterparty: { name: '张晓梅', account: '6222020200112233445' },
        references: ['QS2025-000000123'],
        id: null,
        time: '2025-09-05T10:15:30',
        valueDate: null,
        balanceAfter: '536500.00',
      },
      {
        line: 4,
        bookingDate: '2025-09-12',
        amount: '300000.00',
        creditDebit: 'CRDT',
        reversal: false,
        counterparty: { name: '青山慈善基金会', account: '3301040160000000001' },
        references: [],
        id: null,
        time: '2025-09-12T11:00:00',
        valueDate: null,
        balanceAfter: '836500.00',
      },
    ],
  },
};

describe('presets', () => {
  it('has the named presets', () => {
    expect(CSV_PRESET_NAMES).toEqual(['generic-cn', 'icbc', 'ccb', 'boc', 'abc']);
    for (const name of CSV_PRESET_NAMES) expect(csvPreset(name).name).toBe(name);
  });

  it.each(Object.keys(SAMPLES))('%s reads an export in its layout, in 3-byte chunks as whole', async (name) => {
    const sample = SAMPLES[name] as (typeof SAMPLES)[string];
    const doc = await read(sample.text, csvPreset(name));
    expect(doc.statement.source.mapping).toBe(name);
    expect(essentials(doc.entries)).toEqual(sample.expected);
    expect(await read(sample.text, csvPreset(name), 3)).toEqual(doc);
  });

  it('reads the icbc, ccb and abc title lines (one cell, label and value in two cells, several pairs in one cell)', async () => {
    expect((await read(SAMPLES.icbc!.text, csvPreset('icbc'))).statement).toMatchObject({ account: '6222000000000000001', accountName: '青海省民政厅' });
    expect((await read(SAMPLES.ccb!.text, csvPreset('ccb'))).statement).toMatchObject({
      account: '6222000000000000002',
      accountName: '青海省民政厅',
      period: { from: '2025-09-01', to: '2025-09-30' },
    });
    expect((await read(SAMPLES.abc!.text, csvPreset('abc'))).statement).toMatchObject({ account: '6222000000000000004', accountName: '青海省民政厅' });
  });

  it('icbc: the 合计 line with "2笔" and the column sums is checked', async () => {
    const { end } = await read(SAMPLES.icbc!.text, csvPreset('icbc'));
    expect(end.footer).toEqual({ line: 6, totalCount: 2, debitTotal: '3500.00', creditTotal: '3500.00' });
  });

  it.each(Object.keys(SAMPLES))('generic-cn reads the %s layout the same way', async (name) => {
    const sample = SAMPLES[name] as (typeof SAMPLES)[string];
    expect(essentials((await read(sample.text, csvPreset('generic-cn'))).entries)).toEqual(sample.expected);
  });

  it('a preset that does not fit the file says which columns it missed', async () => {
    const err = await read(SAMPLES.abc!.text, csvPreset('ccb')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CsvStatementError);
    expect(err).toMatchObject({ code: 'missing-column', line: 2 });
    expect((err as Error).message).toContain('debit (借方发生额(支取) / 借方发生额)');
  });

  it('refuses an unknown preset, naming the presets', () => {
    expect(() => csvPreset('hsbc')).toThrow(CsvMappingError);
    expect(() => csvPreset('hsbc')).toThrow(/generic-cn, icbc, ccb, boc, abc/);
  });
});

describe('config file', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'csv-mapping-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function configFile(name: string, content: unknown): Promise<string> {
    const file = path.join(dir, name);
    await writeFile(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
    return file;
  }

  /** A rural credit union's export that no preset knows: 记帐 spelled with 帐, 收/支 flags, English-free headers. */
  const RCC = [
    '青海省农村信用社 对账单',
    '帐号：62300000000000000005,户名：青海省民政厅,币种：人民币',
    '对账期间：2025年9月1日 至 2025年9月30日',
    '序号,记帐日期,摘要,收支,发生额,余额,对方名称,对方帐号,交易附言,流水',
    '1,2025年9月5日,转账,支,"3,500.00","536,500.00",张晓梅,6222020200112233445,助学金QS2025-000000123,R0001',
    '2,2025年9月6日,转账,收,100.00,"536,600.00",李娜,6222020200112233446,,R0002',
    '共2笔,,,,,,,,,',
  ].join('\r\n');

  const RCC_CONFIG = {
    name: 'qinghai-rcc',
    description: '青海农信 对账单 (seen in the demo only)',
    encoding: 'gbk',
    columns: {
      bookingDate: '记帐日期',
      amount: '发生额',
      direction: '收支',
      balance: '余额',
      counterpartyName: '对方名称',
      counterpartyAccount: '对方帐号',
      references: ['交易附言'],
      transactionId: '流水',
    },
    required: ['counterpartyAccount'],
    directionValues: { debit: ['支'], credit: ['收'] },
    referencePattern: 'QS\\d{4}-\\d{9}',
    labels: { account: ['帐号'], period: ['对账期间'] },
  };

  it('maps a layout no preset knows, from a JSON file', async () => {
    const mapping = await loadCsvMapping(await configFile('qinghai-rcc.json', RCC_CONFIG));
    expect(mapping).toMatchObject({ name: 'qinghai-rcc', encoding: 'gbk', currency: 'CNY', required: ['counterpartyAccount'] });
    const file = path.join(dir, 'rcc-2025-09.csv');
    await writeFile(file, gbk(RCC));
    const doc = await readCsvStatementFile(file, { mapping });
    expect(doc.statement).toMatchObject({
      account: '62300000000000000005',
      period: { from: '2025-09-01', to: '2025-09-30' },
      source: { mapping: 'qinghai-rcc', amountMode: 'amount-and-flag', encoding: 'gb18030', headerLine: 4 },
    });
    expect(essentials(doc.entries)).toEqual([
      {
        line: 5,
        bookingDate: '2025-09-05',
        amount: '3500.00',
        creditDebit: 'DBIT',
        reversal: false,
        counterparty: { name: '张晓梅', account: '6222020200112233445' },
        references: ['QS2025-000000123'],
        id: 'R0001',
        time: undefined,
        valueDate: null,
        balanceAfter: '536500.00',
      },
      {
        line: 6,
        bookingDate: '2025-09-06',
        amount: '100.00',
        creditDebit: 'CRDT',
        reversal: false,
        counterparty: { name: '李娜', account: '6222020200112233446' },
        references: [],
        id: 'R0002',
        time: undefined,
        valueDate: null,
        balanceAfter: '536600.00',
      },
    ]);
    expect(doc.end.footer).toEqual({ line: 7, totalCount: 2 });
  });

  it('extends a preset, replacing only the columns it names', async () => {
    const mapping = await loadCsvMapping(await configFile('icbc-branch.json', { extends: 'icbc', columns: { references: ['个性化信息', '用途'] } }));
    expect(mapping.name).toBe('icbc');
    expect(mapping.columns.debit).toEqual(csvPreset('icbc').columns.debit);
    const { entries } = await read(SAMPLES.icbc!.text, mapping);
    expect(entries.map((e) => e.remittanceInfo)).toEqual([['QS2025-000000123'], ['QS2025-000000123', '账户已销户']]);
  });

  it('a preset name wins over a file of that name', async () => {
    expect((await loadCsvMapping('abc')).name).toBe('abc');
  });

  it.each([
    ['an unknown key (a typo)', { colums: { bookingDate: '日期' } }, /Unrecognized key.*colums/],
    ['no booking date', { columns: { amount: '金额' } }, /columns\.bookingDate/],
    ['no amount', { columns: { bookingDate: '日期' } }, /give "debit" and "credit"/],
    ['an unknown field', { extends: 'generic-cn', columns: { amout: '金额' } }, /amout/],
    ['a bad currency code', { extends: 'generic-cn', currency: 'rmb' }, /currency: must be a three-letter/],
    ['a bad regular expression', { extends: 'generic-cn', referencePattern: 'QS(' }, /referencePattern: not a valid regular expression/],
    ['a pattern matching nothing at all', { extends: 'generic-cn', referencePattern: 'A*' }, /must not match the empty string/],
    ['an unknown preset to extend', { extends: 'hsbc' }, /extends "hsbc", which is not a preset/],
    ['a required field without aliases', { extends: 'boc', required: ['account'] }, /required: "account"/],
    ['a bad encoding', { extends: 'generic-cn', encoding: 'big5' }, /encoding/],
  ])('refuses a config with %s', async (_what, config, message) => {
    const file = await configFile('bad.json', config);
    const err = await loadCsvMapping(file).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CsvMappingError);
    expect((err as Error).message).toMatch(message);
  });

  it('refuses a file that is not JSON, or that does not exist', async () => {
    await expect(loadCsvMapping(await configFile('broken.json', '{ "columns": '))).rejects.toThrow(/not valid JSON/);
    await expect(loadCsvMapping(path.join(dir, 'missing.json'))).rejects.toThrow(/neither a CSV mapping preset .* nor a readable config file/);
  });

  it('resolves a config object given in code the same as from a file', async () => {
    const fromFile = await loadCsvMapping(await configFile('qinghai-rcc.json', RCC_CONFIG));
    const fromObject = resolveCsvMapping(RCC_CONFIG, 'test');
    expect({ ...fromObject, referencePattern: String(fromObject.referencePattern) }).toEqual({
      ...fromFile,
      referencePattern: String(fromFile.referencePattern),
    });
  });
});

describe('a mapping that declares the account of exports naming none', () => {
  it('keeps the account (a preset extended with it), and refuses one that is not an account number', () => {
    expect(resolveCsvMapping({ extends: 'ccb', account: '1058 5800 0123 456789' }, 'test').account).toBe('1058 5800 0123 456789');
    expect(resolveCsvMapping({ extends: 'ccb' }, 'test').account).toBeUndefined();
    expect(() => resolveCsvMapping({ extends: 'ccb', account: '账号' }, 'test')).toThrow(CsvMappingError);
  });
});
