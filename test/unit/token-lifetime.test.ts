import { describe, expect, it } from 'vitest';
import { DAY_MS, DEFAULT_TOKEN_DAYS, MAX_TOKEN_DAYS, tokenExpiry, tokenStatus } from '../../src/domain/token-lifetime.ts';

const now = new Date('2026-03-01T00:00:00.000Z');

describe('tokenExpiry', () => {
  it('defaults to 90 days', () => {
    expect(tokenExpiry({}, now)).toEqual({ ok: true, expiresAt: new Date(now.getTime() + DEFAULT_TOKEN_DAYS * DAY_MS) });
    expect(DEFAULT_TOKEN_DAYS).toBe(90);
  });

  it('takes days from 1 to 366', () => {
    expect(tokenExpiry({ expiresInDays: 1 }, now)).toEqual({ ok: true, expiresAt: new Date('2026-03-02T00:00:00.000Z') });
    expect(tokenExpiry({ expiresInDays: MAX_TOKEN_DAYS }, now).ok).toBe(true);
    for (const days of [0, -1, 367, 10_000, 1.5]) expect(tokenExpiry({ expiresInDays: days }, now)).toMatchObject({ ok: false, path: 'expiresInDays' });
  });

  it('takes an instant in the future, at most 366 days ahead', () => {
    const at = new Date('2026-06-01T00:00:00.000Z');
    expect(tokenExpiry({ expiresAt: at }, now)).toEqual({ ok: true, expiresAt: at });
    expect(tokenExpiry({ expiresAt: now }, now)).toMatchObject({ ok: false, path: 'expiresAt', message: 'must be in the future' });
    expect(tokenExpiry({ expiresAt: new Date(now.getTime() + MAX_TOKEN_DAYS * DAY_MS) }, now).ok).toBe(true);
    expect(tokenExpiry({ expiresAt: new Date(now.getTime() + MAX_TOKEN_DAYS * DAY_MS + 1) }, now)).toMatchObject({ ok: false, path: 'expiresAt' });
  });

  it('refuses both at once', () => {
    expect(tokenExpiry({ expiresAt: new Date('2026-06-01T00:00:00Z'), expiresInDays: 5 }, now)).toMatchObject({ ok: false, path: 'expiresInDays' });
  });
});

describe('tokenStatus', () => {
  it('is revoked before expired, expired at the expiry instant, active otherwise', () => {
    expect(tokenStatus({ revokedAt: null, expiresAt: null }, now)).toBe('active');
    expect(tokenStatus({ revokedAt: null, expiresAt: new Date(now.getTime() + 1) }, now)).toBe('active');
    expect(tokenStatus({ revokedAt: null, expiresAt: now }, now)).toBe('expired');
    expect(tokenStatus({ revokedAt: now, expiresAt: new Date(now.getTime() - 1) }, now)).toBe('revoked');
  });
});
