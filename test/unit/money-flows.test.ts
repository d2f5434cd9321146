import { describe, expect, it } from 'vitest';
import { kindTotal, moneyFlowsOf } from '../../src/domain/money-flows.ts';

describe('moneyFlowsOf', () => {
  it('sums each kind and takes reversed amounts back out', () => {
    const flows = moneyFlowsOf([
      kindTotal('funding_received', 3, '900000.00', '100000.00'),
      kindTotal('grant_approved', 2, '9000.00', '0'),
      kindTotal('payout_sent', 3, '6000.00', '0'),
      kindTotal('payout_settled', 2, '4000.00', '0'),
      kindTotal('payout_failed', 1, '2000.00', '0'),
      kindTotal('payout_returned', 1, '1500.00', '0'),
      kindTotal('remainder_cancelled', 1, '500.50', '0'),
    ]);
    expect(flows.received.toFixed(2)).toBe('800000.00');
    expect(flows.committed.toFixed(2)).toBe('9000.00');
    expect(flows.sent.toFixed(2)).toBe('6000.00');
    expect(flows.settled.toFixed(2)).toBe('4000.00');
    expect(flows.failed.toFixed(2)).toBe('2000.00');
    expect(flows.returned.toFixed(2)).toBe('1500.00');
    expect(flows.paid.toFixed(2)).toBe('2500.00');
    expect(flows.cancelled.toFixed(2)).toBe('500.50');
  });

  it('is zero for a programme with no transactions, and exact in fen', () => {
    expect(moneyFlowsOf([]).received.toFixed(2)).toBe('0.00');
    const flows = moneyFlowsOf([kindTotal('grant_approved', 3, '0.10', '0'), kindTotal('grant_approved', 1, '0.20', '0')]);
    expect(flows.committed.toFixed(2)).toBe('0.30');
  });
});
