import { describe, expect, it } from 'vitest';
import { attributeCommitments } from '../../src/domain/funding-attribution.ts';
import { money } from '../../src/domain/money.ts';

const transfers = [
  { id: 'a', amount: money('300000.00') },
  { id: 'b', amount: money('240000.00') },
  { id: 'c', amount: money('100000.00') },
];
const plain = (uses: ReturnType<typeof attributeCommitments>) => uses.map((u) => [u.id, u.committed.toFixed(2), u.uncommitted.toFixed(2)]);

describe('attributeCommitments (first in, first used)', () => {
  it('uses the oldest transfers first and leaves the rest of the newest uncommitted', () => {
    expect(plain(attributeCommitments(transfers, money('400000.50')))).toEqual([
      ['a', '300000.00', '0.00'],
      ['b', '100000.50', '139999.50'],
      ['c', '0.00', '100000.00'],
    ]);
  });

  it('with nothing committed every transfer is wholly uncommitted; fully committed, none is', () => {
    expect(plain(attributeCommitments(transfers, money('0'))).map((r) => r[2])).toEqual(['300000.00', '240000.00', '100000.00']);
    expect(plain(attributeCommitments(transfers, money('640000.00'))).map((r) => r[2])).toEqual(['0.00', '0.00', '0.00']);
  });

  it('never attributes more than a transfer holds, nor a negative amount', () => {
    expect(plain(attributeCommitments(transfers, money('999999.00'))).map((r) => r[1])).toEqual(['300000.00', '240000.00', '100000.00']);
    expect(plain(attributeCommitments(transfers, money('-5.00'))).map((r) => r[1])).toEqual(['0.00', '0.00', '0.00']);
  });
});
