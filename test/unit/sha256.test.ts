// The portable SHA-256 gives the digests Node's own gives, whole or fed piece by piece.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sha256Hex, sha256Stream } from '../../src/domain/sha256.ts';

describe('sha256', () => {
  it('hashes the empty string and "abc" to the published digests (FIPS 180-2)', () => {
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('hashes Chinese text as its UTF-8 bytes, as Node does', () => {
    const text = '青山陪伴·事实无人抚养儿童助学工程';
    expect(sha256Hex(text)).toBe(createHash('sha256').update(text, 'utf8').digest('hex'));
  });

  it('gives the same digest fed in pieces of any size as in one piece', () => {
    const bytes = new Uint8Array(100_000).map((_, i) => (i * 31) % 251);
    for (const size of [1, 63, 64, 65, 4096]) {
      const stream = sha256Stream();
      for (let i = 0; i < bytes.length; i += size) stream.update(bytes.subarray(i, i + size));
      expect(stream.hex()).toBe(createHash('sha256').update(bytes).digest('hex'));
    }
    expect(sha256Hex(bytes)).toBe(createHash('sha256').update(bytes).digest('hex'));
  });
});
