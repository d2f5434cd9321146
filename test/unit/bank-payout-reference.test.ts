// Payout references: at most 35 characters, only A-Z 0-9 "-", unique by construction, and split back
// into batch code and sequence.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_REFERENCE_LENGTH, isValidBatchCode, isValidPayoutReference, makePayoutReference, parsePayoutReference } from '../../src/bank/outgoing/index.ts';

const batchCode = fc.stringMatching(/^[A-Z0-9](?:[A-Z0-9-]{0,20}[A-Z0-9])?$/);

describe('makePayoutReference', () => {
  it('is the batch code, a hyphen and the zero-padded sequence', () => {
    expect(makePayoutReference('QS2025T1', 1)).toBe('QS2025T1-000001');
    expect(makePayoutReference('QS2025T1', 999_999)).toBe('QS2025T1-999999');
    expect(makePayoutReference('A-B', 42, 3)).toBe('A-B-042');
  });

  it('always gives a valid reference that parses back to its parts', () => {
    fc.assert(
      fc.property(batchCode, fc.integer({ min: 1, max: 999_999 }), (code, sequence) => {
        const reference = makePayoutReference(code, sequence);
        expect(reference.length).toBeLessThanOrEqual(MAX_REFERENCE_LENGTH);
        expect(isValidPayoutReference(reference)).toBe(true);
        expect(reference).toMatch(/^[A-Z0-9-]+$/);
        expect(parsePayoutReference(reference)).toEqual({ batchCode: code, sequence });
      }),
    );
  });

  it('is injective: different (batch, sequence) pairs never give the same reference', () => {
    fc.assert(
      fc.property(batchCode, fc.integer({ min: 1, max: 999_999 }), batchCode, fc.integer({ min: 1, max: 999_999 }), (a, i, b, j) => {
        fc.pre(a !== b || i !== j);
        expect(makePayoutReference(a, i)).not.toBe(makePayoutReference(b, j));
      }),
    );
  });

  it('sorts like the sequence within a batch', () => {
    const refs = [1, 2, 10, 100, 99_999].map((i) => makePayoutReference('B1', i));
    expect([...refs].sort()).toEqual(refs);
  });

  it.each([
    ['lower case', 'qs2025', 1],
    ['a trailing hyphen', 'QS-', 1],
    ['a slash', 'QS/1', 1],
    ['an empty code', '', 1],
    ['sequence 0', 'QS', 0],
    ['a fractional sequence', 'QS', 1.5],
    ['a sequence wider than the width', 'QS', 1_000_000],
    ['a code too long for 35 characters', 'Q'.repeat(29), 1],
  ])('refuses %s', (_what, code, sequence) => {
    expect(() => makePayoutReference(code as string, sequence as number)).toThrow(RangeError);
  });

  it('accepts the longest code that fits', () => {
    expect(makePayoutReference('Q'.repeat(28), 1)).toHaveLength(35);
  });
});

describe('isValidPayoutReference', () => {
  it.each(['QS2025T1-000001', 'a', 'ABC-def-123', 'Z'.repeat(35)])('accepts %j', (value) => {
    expect(isValidPayoutReference(value)).toBe(true);
  });

  it.each(['', 'Z'.repeat(36), '-QS1', 'QS1-', 'QS 1', 'QS/1', 'QS.1', 'QS_1', '助学金1', 'QS1\n', 42, null, undefined])('refuses %j', (value) => {
    expect(isValidPayoutReference(value)).toBe(false);
  });
});

describe('parsePayoutReference', () => {
  it.each([
    ['someone else’s reference', 'E2E REF 1'],
    ['no sequence', 'QS2025T1'],
    ['a sequence of another width', 'QS2025T1-0001'],
    ['a lower-case code', 'qs-000001'],
    ['sequence zero', 'QS-000000'],
  ])('gives undefined for %s', (_what, value) => {
    expect(parsePayoutReference(value)).toBeUndefined();
  });

  it('splits at the last hyphen: batch codes may contain hyphens', () => {
    expect(parsePayoutReference('QS-2025-T1-000007')).toEqual({ batchCode: 'QS-2025-T1', sequence: 7 });
  });

  it('batch codes are upper case A-Z 0-9 with inner hyphens', () => {
    expect(isValidBatchCode('QS-2025-T1')).toBe(true);
    expect(isValidBatchCode('QS--1')).toBe(true);
    expect(isValidBatchCode('qs')).toBe(false);
    expect(isValidBatchCode('-QS')).toBe(false);
  });
});
