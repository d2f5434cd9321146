import { describe, expect, it } from 'vitest';
import { isStorableText, malformedTextPaths } from '../../src/domain/text.ts';

describe('storable text', () => {
  it('refuses a NUL character and a lone surrogate; accepts Chinese, emoji and rare characters', () => {
    expect(isStorableText('青海湖 银行流水 QS-2025-0001')).toBe(true);
    expect(isStorableText('𠮷 and 😀')).toBe(true);
    expect(isStorableText('ref\u0000x')).toBe(false);
    expect(isStorableText('broken \uD83D end')).toBe(false);
    expect(isStorableText('\uDE00 low first')).toBe(false);
  });

  it('names the path of every bad string in a body, leaving files and other objects alone', () => {
    const file = new Blob(['\u0000']);
    expect(malformedTextPaths({ bankReference: 'ok', note: 'a\u0000b', evidence: [{ number: 'x' }, { number: '\uD800' }], file, count: 3 })).toEqual([
      'note',
      'evidence.1.number',
    ]);
    expect(malformedTextPaths('\u0000')).toEqual(['(body)']);
    expect(malformedTextPaths({ 'bad\u0000key': 'v' })).toEqual(['(key)']);
  });
});
