import { describe, expect, it } from 'vitest';
import { RecordJoiner } from '../../src/bank/statement-csv/records.ts';

class NotClosed extends Error {
  constructor(
    readonly line: number,
    readonly maxLines: number,
  ) {
    super(`not closed: ${line}`);
  }
}

const joiner = (maxLines = 3, maxChars = 1000) =>
  new RecordJoiner({ maxLines, maxChars }, (line, max) => {
    throw new NotClosed(line, max);
  });

describe('RecordJoiner', () => {
  it('gives a line without an open quote as its own record', () => {
    const j = joiner();
    expect(j.take('a,b,c', 7, ',')).toEqual({ cells: ['a', 'b', 'c'], line: 7 });
    expect(j.open).toBe(false);
    expect(j.openSince).toBeUndefined();
  });

  it('joins a quoted cell across lines and names the line the record began on', () => {
    const j = joiner();
    expect(j.take('1,"西宁市', 4, ',')).toBeNull();
    expect(j.open).toBe(true);
    expect(j.openSince).toBe(4);
    expect(j.take('城东区",3500.00', 5, ',')).toEqual({ cells: ['1', '西宁市\n城东区', '3500.00'], line: 4 });
    expect(j.take('2,x', 6, ',')).toEqual({ cells: ['2', 'x'], line: 6 });
  });

  it('refuses a quote still open after the line limit, at the line where it opened', () => {
    const j = joiner(2);
    expect(j.take('1,"open', 10, ',')).toBeNull();
    expect(j.take('more', 11, ',')).toBeNull();
    expect(() => j.take('still more', 12, ',')).toThrow(expect.objectContaining({ line: 10, maxLines: 2 }));
  });

  it('refuses a quote still open past the character limit', () => {
    const j = joiner(100, 20);
    expect(j.take('1,"0123456789', 1, ',')).toBeNull();
    expect(() => j.take('0123456789', 2, ',')).toThrow(expect.objectContaining({ line: 1 }));
  });
});
