// The pieces of the bank CSV reader: cell values (dates, amounts, currencies), CSV records, and
// the decoder's choice between UTF-8 and GBK; plus a property: any chunking of any statement built
// from these pieces gives the same events.
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { StatementDecoder } from '../../src/bank/statement-csv/decode.ts';
import { csvPreset, readCsvStatement, type CsvEvent } from '../../src/bank/statement-csv/index.ts';
import { splitRecord } from '../../src/bank/statement-csv/records.ts';
import { currencyCode, parseAmount, parseDate, parseDateTime, parseTime } from '../../src/bank/statement-csv/values.ts';

describe('dates', () => {
  it.each([
    ['2025-09-05', '2025-09-05'],
    ['2025/09/05', '2025-09-05'],
    ['2025/9/5', '2025-09-05'],
    ['2025.9.5', '2025-09-05'],
    ['20250905', '2025-09-05'],
    ['2025年9月5日', '2025-09-05'],
    ['2025年09月05日', '2025-09-05'],
    ['2024-02-29', '2024-02-29'],
  ])('reads %s', (text, date) => {
    expect(parseDate(text)).toEqual({ ok: true, value: date });
  });

  it.each(['2025-02-29', '2025-9-31', '20250931', '2100-01-01', '1989-12-31', '2025-09', '09/05/2025', '2025-09-05x', '', '2025/09-05'])(
    'refuses %s',
    (text) => {
      expect(parseDate(text).ok).toBe(false);
    },
  );

  it('reads a date with a time in the same cell', () => {
    expect(parseDateTime('2025-09-05 10:15:30')).toEqual({ ok: true, value: { date: '2025-09-05', time: '10:15:30' } });
    expect(parseDateTime('2025/9/5 9:05')).toEqual({ ok: true, value: { date: '2025-09-05', time: '09:05:00' } });
    expect(parseDateTime('2025-09-05T10:15:30')).toEqual({ ok: true, value: { date: '2025-09-05', time: '10:15:30' } });
    expect(parseDateTime('20250905101530')).toEqual({ ok: true, value: { date: '2025-09-05', time: '10:15:30' } });
    expect(parseDateTime('20250905 101530')).toEqual({ ok: true, value: { date: '2025-09-05', time: '10:15:30' } });
    expect(parseDateTime('2025-09-05 25:00:00').ok).toBe(false);
  });

  it('reads times', () => {
    expect(['10:15:30', '9:05', '101530', '10:15:30.123456', '10.15.30'].map((t) => parseTime(t))).toEqual([
      { ok: true, value: '10:15:30' },
      { ok: true, value: '09:05:00' },
      { ok: true, value: '10:15:30' },
      { ok: true, value: '10:15:30' },
      { ok: true, value: '10:15:30' },
    ]);
    expect(['24:00:00', '10:60', '1015', 'noon'].map((t) => parseTime(t).ok)).toEqual([false, false, false, false]);
  });
});

describe('amounts', () => {
  it.each([
    ['3500', '3500', false],
    ['3500.5', '3500.5', false],
    ['3500.00', '3500.00', false],
    ['1,234.50', '1234.50', false],
    ['1,234,567.89', '1234567.89', false],
    ['¥1,234.50', '1234.50', false],
    ['￥1,234.50', '1234.50', false],
    ['-1,234.50', '1234.50', true],
    ['−12.00', '12.00', true],
    ['￥-35.00', '35.00', true],
    ['-¥35.00', '35.00', true],
    ['(1,234.50)', '1234.50', true],
    ['（1,234.50）', '1234.50', true],
    ['+3500.00', '3500.00', false],
    ['3500.00元', '3500.00', false],
    ['RMB 3,500.00', '3500.00', false],
    ['1 234.50', '1234.50', false],
    ['0003500.00', '3500.00', false],
    ['999999999999.99', '999999999999.99', false],
  ])('reads %s as %s (negative: %s)', (raw, text, negative) => {
    expect(parseAmount(raw)).toEqual({ ok: true, value: { text, negative, zero: false } });
  });

  it('reads zero, and blank cells and placeholders as no amount', () => {
    expect(parseAmount('0.00')).toEqual({ ok: true, value: { text: '0.00', negative: false, zero: true } });
    expect(parseAmount('-0')).toEqual({ ok: true, value: { text: '0', negative: true, zero: true } });
    expect(['', '-', '--', '—'].map((c) => parseAmount(c))).toEqual([undefined, undefined, undefined, undefined]);
  });

  it.each(['12,34.00', '1,2345.00', ',123.00', '1.234.50', '1.', '.50', '12.345', '1e3', 'abc', '¥', '--5', '(-5)', '1000000000000.00', '3 500,00'])(
    'refuses %s',
    (raw) => {
      expect(parseAmount(raw)?.ok).toBe(false);
    },
  );
});

describe('currencies', () => {
  it.each([
    ['人民币', 'CNY'],
    ['人民币元', 'CNY'],
    ['RMB', 'CNY'],
    ['cny', 'CNY'],
    ['156', 'CNY'],
    ['人民币(钞)', 'CNY'],
    ['人民币现汇', 'CNY'],
    ['美元', 'USD'],
    ['港币', 'HKD'],
    ['EUR', 'EUR'],
    ['外币', undefined],
    ['人民币美元', undefined],
  ])('%s is %s', (text, code) => {
    expect(currencyCode(text)).toBe(code);
  });
});

describe('CSV records', () => {
  it.each([
    ['a,b,c', ['a', 'b', 'c']],
    ['a,,', ['a', '', '']],
    ['"a,b",c', ['a,b', 'c']],
    ['"say ""hi""",x', ['say "hi"', 'x']],
    ['="6222",x', ['="6222"', 'x']],
    ['5"x,y', ['5"x', 'y']],
    ['"abc"def,g', ['abcdef', 'g']],
    ['  "a" ,b', ['a ', 'b']],
    ['"",""', ['', '']],
    ['"line one\nline two",z', ['line one\nline two', 'z']],
  ])('%j', (text, cells) => {
    expect(splitRecord(text, ',')).toEqual(cells);
  });

  it('says when a quoted cell is still open', () => {
    expect(splitRecord('a,"open', ',')).toBeNull();
    expect(splitRecord('a,"open ""quoted"" still', ',')).toBeNull();
  });

  it('splits on other delimiters', () => {
    expect(splitRecord('a\t"b\tc"\td', '\t')).toEqual(['a', 'b\tc', 'd']);
  });
});

describe('encoding detection', () => {
  const decode = (chunks: Uint8Array[]): { text: string; encoding: string | undefined } => {
    const decoder = new StatementDecoder('auto');
    let text = '';
    for (const c of chunks) text += decoder.write(c);
    text += decoder.end();
    return { text, encoding: decoder.encoding };
  };

  it('passes ASCII through and decides at the first non-ASCII byte, however late', () => {
    const ascii = 'Date,Debit,Credit\n'.repeat(5000);
    const gbk = new Uint8Array(iconv.encode(`${ascii}2025-09-05,张三\n`, 'gbk'));
    expect(decode([gbk])).toEqual({ text: `${ascii}2025-09-05,张三\n`, encoding: 'gb18030' });
    const utf8 = new TextEncoder().encode(`${ascii}2025-09-05,张三\n`);
    expect(decode([utf8])).toEqual({ text: `${ascii}2025-09-05,张三\n`, encoding: 'utf-8' });
  });

  it('reads a short file that ends inside the sniffing window', () => {
    expect(decode([new Uint8Array(iconv.encode('户名', 'gbk'))])).toEqual({ text: '户名', encoding: 'gb18030' });
    expect(decode([new TextEncoder().encode('户名')])).toEqual({ text: '户名', encoding: 'utf-8' });
  });

  it('removes a UTF-8 byte-order mark only at the start', () => {
    const bom = [0xef, 0xbb, 0xbf];
    expect(decode([new Uint8Array([...bom, 0x61, ...bom])]).text).toBe('a\uFEFF');
  });

  it('is undecided while everything is ASCII', () => {
    expect(decode([new TextEncoder().encode('a,b\n')])).toEqual({ text: 'a,b\n', encoding: undefined });
  });
});

describe('chunking (property)', () => {
  const mapping = csvPreset('generic-cn');
  const names = ['张晓梅', '李娜', '王芳', '赵丽颖', '欧阳娜娜', '𠀀氏'];
  const row = fc.record({
    day: fc.integer({ min: 1, max: 30 }),
    yuan: fc.integer({ min: 1, max: 999999 }),
    fen: fc.integer({ min: 0, max: 99 }),
    debit: fc.boolean(),
    name: fc.constantFrom(...names),
    quoted: fc.boolean(),
  });

  async function* pieces(bytes: Uint8Array, cuts: number[]): AsyncGenerator<Uint8Array> {
    let at = 0;
    for (const cut of [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b)) {
      yield bytes.subarray(at, cut);
      at = cut;
    }
    yield bytes.subarray(at);
  }

  async function all(source: AsyncIterable<Uint8Array>): Promise<CsvEvent[]> {
    const out: CsvEvent[] = [];
    for await (const e of readCsvStatement(source, { mapping })) out.push(e);
    return out;
  }

  it('any cut points give the same events, in GBK (GB18030 for the rare character) and UTF-8', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(row, { minLength: 1, maxLength: 8 }), fc.array(fc.nat(), { maxLength: 12 }), fc.boolean(), async (rows, cuts, useGbk) => {
        const lines = rows.map((r, i) => {
          const amount = `${r.yuan.toLocaleString('en')}.${String(r.fen).padStart(2, '0')}`;
          const cell = r.quoted ? `"${amount}"` : amount.replace(/,/g, '');
          return `2025-09-${String(r.day).padStart(2, '0')},${r.debit ? cell : ''},${r.debit ? '' : cell},${r.name},"附言 QS2025-${String(i).padStart(9, '0')}"`;
        });
        const text = ['账户明细', '账号：6222000000000000001', '交易日期,借方发生额,贷方发生额,对方户名,附言', ...lines, `总笔数：${rows.length}`].join('\r\n');
        const bytes = new Uint8Array(useGbk ? iconv.encode(text, 'gb18030') : Buffer.from(text, 'utf8'));
        const whole = await all(pieces(bytes, []));
        expect(whole.filter((e) => e.type === 'entry')).toHaveLength(rows.length);
        expect(await all(pieces(bytes, cuts))).toEqual(whole);
      }),
      { numRuns: 60 },
    );
  });
});
