// How long a bearer token issued through the API lives, and what state a token is in. Pure rules:
// the service supplies "now", so the limits are tested without a clock.

export const DAY_MS = 86_400_000;
/** A token made through the API without a stated expiry lives this long: forgotten tokens die by themselves. */
export const DEFAULT_TOKEN_DAYS = 90;
/** No token made through the API outlives a year (and a leap day): every token is re-issued at least yearly. */
export const MAX_TOKEN_DAYS = 366;

export type TokenStatus = 'active' | 'expired' | 'revoked';
export const TOKEN_STATUSES = ['active', 'expired', 'revoked'] as const satisfies readonly TokenStatus[];

export type TokenExpiryResult = { ok: true; expiresAt: Date } | { ok: false; path: 'expiresAt' | 'expiresInDays'; message: string };

/**
 * The expiry of a new token: an instant (`expiresAt`) or a number of days from now
 * (`expiresInDays`), never both; neither gives the default. Always in the future, at most
 * MAX_TOKEN_DAYS ahead.
 */
export function tokenExpiry(input: { expiresAt?: Date; expiresInDays?: number }, now: Date): TokenExpiryResult {
  if (input.expiresAt !== undefined && input.expiresInDays !== undefined) {
    return { ok: false, path: 'expiresInDays', message: 'give expiresAt or expiresInDays, not both' };
  }
  if (input.expiresInDays !== undefined) {
    const days = input.expiresInDays;
    if (!Number.isInteger(days) || days < 1 || days > MAX_TOKEN_DAYS) {
      return { ok: false, path: 'expiresInDays', message: `must be a whole number of days from 1 to ${MAX_TOKEN_DAYS}` };
    }
    return { ok: true, expiresAt: new Date(now.getTime() + days * DAY_MS) };
  }
  if (input.expiresAt !== undefined) {
    const at = input.expiresAt.getTime();
    if (Number.isNaN(at)) return { ok: false, path: 'expiresAt', message: 'must be a date-time' };
    if (at <= now.getTime()) return { ok: false, path: 'expiresAt', message: 'must be in the future' };
    if (at > now.getTime() + MAX_TOKEN_DAYS * DAY_MS) return { ok: false, path: 'expiresAt', message: `must be at most ${MAX_TOKEN_DAYS} days ahead` };
    return { ok: true, expiresAt: input.expiresAt };
  }
  return { ok: true, expiresAt: new Date(now.getTime() + DEFAULT_TOKEN_DAYS * DAY_MS) };
}

/** Revocation wins over expiry: a revoked token stays revoked after its expiry passes. */
export function tokenStatus(token: { revokedAt: Date | null; expiresAt: Date | null }, now: Date): TokenStatus {
  if (token.revokedAt) return 'revoked';
  if (token.expiresAt && token.expiresAt.getTime() <= now.getTime()) return 'expired';
  return 'active';
}
