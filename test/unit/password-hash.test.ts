// Password hashes: PBKDF2-SHA256 through Web Crypto with the parameters stored in the hash.
import { pbkdf2Sync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { PASSWORD_ITERATIONS, hashPassword, needsRehash, parsePasswordHash, passwordProblem, verifyPassword } from '../../src/domain/password-hash.ts';

// The policy's 600,000 iterations take a noticeable time; the properties are the same with fewer.
const FAST = 2_000;

describe('password hashes', () => {
  it('the policy is at least 600,000 iterations (OWASP, PBKDF2-HMAC-SHA256)', async () => {
    expect(PASSWORD_ITERATIONS).toBeGreaterThanOrEqual(600_000);
    const stored = await hashPassword('青山助学 correct horse');
    expect(parsePasswordHash(stored)?.iterations).toBe(PASSWORD_ITERATIONS);
    expect(await verifyPassword('青山助学 correct horse', stored)).toBe(true);
  });

  it('stores scheme, iterations, a 16-byte random salt and the 32-byte key; two hashes of one password differ', async () => {
    const a = await hashPassword('battery staple 42', FAST);
    const b = await hashPassword('battery staple 42', FAST);
    expect(a).toMatch(/^pbkdf2-sha256\$2000\$[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{43}=$/);
    expect(a).not.toBe(b);
  });

  it('derives exactly what PBKDF2-HMAC-SHA256 derives (checked against Node’s own implementation)', async () => {
    const stored = await hashPassword('审计员 password', FAST);
    const parts = parsePasswordHash(stored)!;
    const expected = pbkdf2Sync(Buffer.from('审计员 password'.normalize('NFC')), parts.salt, FAST, 32, 'sha256');
    expect(Buffer.from(parts.key).equals(expected)).toBe(true);
  });

  it('verifies the right password only; a tampered or foreign hash never matches', async () => {
    const stored = await hashPassword('the right one!', FAST);
    expect(await verifyPassword('the right one!', stored)).toBe(true);
    expect(await verifyPassword('the right one', stored)).toBe(false);
    expect(await verifyPassword('', stored)).toBe(false);
    const [scheme, iterations, salt, key] = stored.split('$');
    // One character of the stored key changed (to a different one, whatever it was).
    const tampered = `${key![0] === 'A' ? 'B' : 'A'}${key!.slice(1)}`;
    expect(await verifyPassword('the right one!', [scheme, iterations, salt, tampered].join('$'))).toBe(false);
    expect(await verifyPassword('the right one!', `$2b$12$${'x'.repeat(53)}`)).toBe(false);
    expect(await verifyPassword('the right one!', ['pbkdf2-sha256', '10', salt, key].join('$'))).toBe(false);
  });

  it('normalises the password (NFC) so that the same text typed two ways matches', async () => {
    const composed = 'café password';
    const decomposed = 'cafe\u0301 password';
    expect(await verifyPassword(decomposed, await hashPassword(composed, FAST))).toBe(true);
  });

  it('asks for a re-hash when the stored iterations are below the policy', async () => {
    expect(needsRehash(await hashPassword('some password x', FAST))).toBe(true);
    expect(needsRehash(await hashPassword('some password x', FAST), FAST)).toBe(false);
    expect(needsRehash('garbage')).toBe(true);
  });

  it('refuses short, overlong and one-character passwords with a Chinese reason', () => {
    expect(passwordProblem('short')).toMatch(/至少12个字符/);
    expect(passwordProblem('a'.repeat(201))).toMatch(/至多200个字符/);
    expect(passwordProblem('aaaaaaaaaaaaaaaa')).toMatch(/过于简单/);
    expect(passwordProblem('青海湖的春天来得很晚')).toMatch(/至少12个字符/);
    expect(passwordProblem('青海湖的春天来得很晚啊呀')).toBeNull();
  });
});
