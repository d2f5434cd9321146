import { describe, expect, it } from 'vitest';
import { describeReturnReason, returnReasonOf } from '../../src/domain/return-reasons.ts';

describe('return reasons', () => {
  it('names an ISO code in Chinese and English and keeps the bank’s own words', () => {
    expect(returnReasonOf('AC04: account closed by the holder')).toEqual({
      code: 'AC04',
      label: { zh: '账户已销户', en: 'closed account number' },
      detail: 'account closed by the holder',
    });
    expect(describeReturnReason('AC04: account closed by the holder')).toBe('AC04 账户已销户 (closed account number): account closed by the holder');
  });

  it('shows a code alone, and does not repeat text that only restates it', () => {
    expect(describeReturnReason('AC04')).toBe('AC04 账户已销户 (closed account number)');
    expect(describeReturnReason('AC04：账户已销户')).toBe('AC04 账户已销户 (closed account number)');
  });

  it('keeps an unknown code as written, and Chinese text without a code as it is', () => {
    expect(describeReturnReason('ZZ99: something')).toBe('ZZ99: something');
    expect(returnReasonOf('户名不符')).toEqual({ code: null, label: null, detail: '户名不符' });
    expect(describeReturnReason('户名不符')).toBe('户名不符');
  });

  it('is null when the bank gave nothing', () => {
    expect(describeReturnReason(null)).toBeNull();
    expect(describeReturnReason('  ')).toBeNull();
  });
});
