import { describe, expect, it } from 'vitest';
import { FailureLimiter } from '../../src/http/failure-limiter.ts';

function limiter(options: { maxFailures?: number; windowMs?: number; maxKeys?: number } = {}) {
  const clock = { now: 1_000_000 };
  const l = new FailureLimiter({ maxFailures: 10, windowMs: 300_000, maxKeys: 100, ...options, now: () => clock.now });
  return { l, clock };
}

describe('FailureLimiter', () => {
  it('allows ten failures in the window and refuses the eleventh request, with the seconds left', () => {
    const { l, clock } = limiter();
    for (let i = 0; i < 10; i++) {
      expect(l.check('10.0.0.1')).toEqual({ limited: false });
      l.recordFailure('10.0.0.1');
      clock.now += 1000;
    }
    // Window opened at the first failure, 10 s ago: 290 s left.
    expect(l.check('10.0.0.1')).toEqual({ limited: true, retryAfterSeconds: 290 });
    clock.now += 500;
    expect(l.check('10.0.0.1')).toEqual({ limited: true, retryAfterSeconds: 290 });
  });

  it('counts every failure and every refusal since the start, for metrics, whatever the windows and addresses', () => {
    const { l, clock } = limiter({ maxFailures: 2, windowMs: 60_000, maxKeys: 1 });
    l.recordFailure('a');
    l.recordFailure('a');
    expect(l.check('a').limited).toBe(true);
    expect(l.check('a').limited).toBe(true);
    expect(l.check('b').limited).toBe(false);
    // 'b' pushes 'a' out of the table, and the window passes: the totals stay.
    l.recordFailure('b');
    clock.now += 60_000;
    expect(l.check('b').limited).toBe(false);
    expect({ failures: l.failures, refusals: l.refusals, tracked: l.size }).toEqual({ failures: 3, refusals: 2, tracked: 0 });
  });

  it('keeps each address apart', () => {
    const { l } = limiter({ maxFailures: 2 });
    l.recordFailure('a');
    l.recordFailure('a');
    expect(l.check('a').limited).toBe(true);
    expect(l.check('b').limited).toBe(false);
  });

  it('lets the address in again once the window has passed, with a fresh count', () => {
    const { l, clock } = limiter({ maxFailures: 2, windowMs: 60_000 });
    l.recordFailure('a');
    l.recordFailure('a');
    clock.now += 59_999;
    expect(l.check('a')).toEqual({ limited: true, retryAfterSeconds: 1 });
    clock.now += 1;
    expect(l.check('a')).toEqual({ limited: false });
    l.recordFailure('a');
    expect(l.check('a').limited).toBe(false);
    expect(l.size).toBe(1);
  });

  it('failures spread over more than one window never add up', () => {
    const { l, clock } = limiter({ maxFailures: 3, windowMs: 10_000 });
    for (let i = 0; i < 30; i++) {
      l.recordFailure('slow');
      clock.now += 5_000;
      if (i % 2 === 1) expect(l.check('slow').limited).toBe(false);
    }
  });

  it('stays bounded: expired windows go first, then the oldest', () => {
    const { l, clock } = limiter({ maxFailures: 1, windowMs: 1_000, maxKeys: 3 });
    l.recordFailure('old-1');
    l.recordFailure('old-2');
    clock.now += 2_000;
    l.recordFailure('new-1');
    expect(l.size).toBe(1); // both old windows had expired
    l.recordFailure('new-2');
    l.recordFailure('new-3');
    l.recordFailure('new-4');
    expect(l.size).toBe(3);
    expect(l.check('new-1').limited).toBe(false); // the oldest was evicted
    expect(l.check('new-4').limited).toBe(true);
    for (let i = 0; i < 10_000; i++) l.recordFailure(`flood-${i}`);
    expect(l.size).toBe(3);
  });

  it('refuses nonsensical limits', () => {
    expect(() => new FailureLimiter({ maxFailures: 0, windowMs: 1, maxKeys: 1 })).toThrow(RangeError);
  });
});
