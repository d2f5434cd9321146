// Failed authentication slowed down, through the whole app: the 11th failure from an address in
// five minutes answers 429 with Retry-After, a correct token from that address too (checked before
// the lookup), other addresses are unaffected, successes are not counted, and the window passes.
// The clock is the limiter's, so nothing sleeps.
import { describe, expect, it } from 'vitest';
import { DEFAULT_AUTH_FAILURE_LIMITS } from '../../src/http/app.ts';
import { FailureLimiter } from '../../src/http/failure-limiter.ts';
import { makeUser } from '../support/fixtures.ts';
import { call, makeApp } from '../support/http.ts';
import { testVault } from '../support/vault.ts';
import { useTestApp } from '../support/test-app.ts';

const t = useTestApp();
const clock = { now: Date.parse('2026-03-01T08:00:00Z') };

async function appWith(trustProxy: boolean) {
  const limiter = new FailureLimiter({ ...DEFAULT_AUTH_FAILURE_LIMITS, now: () => clock.now });
  return makeApp(t.db.prisma, await testVault(), { authFailures: limiter, clientAddress: { trustProxy } }).app;
}

const BAD = `sl_${'x'.repeat(43)}`;
const from = (address: string) => ({ 'X-Forwarded-For': address });

describe('failed authentication is rate limited per client address', () => {
  it('refuses the 11th failure, and then a valid token, from that address until the window passes', async () => {
    const app = await appWith(true);
    const good = t.world.users.admin.token;
    for (let i = 0; i < 10; i++) {
      const res = await call(app, 'GET', '/api/v1/me', { token: BAD, headers: from('198.51.100.7') });
      expect(res.status).toBe(401);
      clock.now += 1_000;
    }
    const limited = await call(app, 'GET', '/api/v1/me', { token: BAD, headers: from('198.51.100.7') });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('Content-Type')).toBe('application/problem+json');
    expect(limited.headers.get('Retry-After')).toBe('290');
    expect(limited.json).toMatchObject({ status: 429, code: 'too_many_failed_authentications' });
    expect(limited.headers.get('X-Content-Type-Options')).toBe('nosniff');

    // A correct token is refused too, and never looked up (lastUsedAt stays unset).
    const fresh = await makeUser(t.db.prisma, t.world.department, 'caseworker');
    const refused = await call(app, 'GET', '/api/v1/me', { token: fresh.token, headers: from('198.51.100.7') });
    expect(refused.status).toBe(429);
    expect((await t.db.prisma.apiToken.findFirstOrThrow({ where: { userId: fresh.actor.userId } })).lastUsedAt).toBeNull();

    // Another address is unaffected.
    expect((await call(app, 'GET', '/api/v1/me', { token: good, headers: from('198.51.100.8') })).status).toBe(200);

    clock.now += 289_000;
    expect((await call(app, 'GET', '/api/v1/me', { token: good, headers: from('198.51.100.7') })).headers.get('Retry-After')).toBe('1');
    clock.now += 1_000;
    expect((await call(app, 'GET', '/api/v1/me', { token: good, headers: from('198.51.100.7') })).status).toBe(200);
    expect((await call(app, 'GET', '/api/v1/me', { token: BAD, headers: from('198.51.100.7') })).status).toBe(401);
  });

  it('does not count successful requests, nor let them reset the count', async () => {
    const app = await appWith(true);
    const good = t.world.users.finance.token;
    for (let i = 0; i < 30; i++) expect((await call(app, 'GET', '/api/v1/me', { token: good, headers: from('192.0.2.50') })).status).toBe(200);
    for (let i = 0; i < 9; i++) {
      expect((await call(app, 'GET', '/api/v1/me', { token: BAD, headers: from('192.0.2.50') })).status).toBe(401);
      expect((await call(app, 'GET', '/api/v1/me', { token: good, headers: from('192.0.2.50') })).status).toBe(200);
    }
    expect((await call(app, 'GET', '/api/v1/me', { headers: from('192.0.2.50') })).status).toBe(401);
    expect((await call(app, 'GET', '/api/v1/me', { token: good, headers: from('192.0.2.50') })).status).toBe(429);
  });

  it('without TRUST_PROXY, X-Forwarded-For is ignored: a fresh header per request does not escape the count', async () => {
    const app = await appWith(false);
    for (let i = 0; i < 10; i++) expect((await call(app, 'GET', '/api/v1/me', { token: BAD, headers: from(`203.0.113.${i}`) })).status).toBe(401);
    expect((await call(app, 'GET', '/api/v1/me', { token: BAD, headers: from('203.0.113.99') })).status).toBe(429);
  });

  it('leaves routes outside the API alone', async () => {
    const app = await appWith(true);
    for (let i = 0; i < 11; i++) await call(app, 'GET', '/api/v1/me', { token: BAD, headers: from('192.0.2.99') });
    expect((await call(app, 'GET', '/healthz', { headers: from('192.0.2.99') })).status).not.toBe(429);
    expect((await call(app, 'GET', '/openapi.json', { headers: from('192.0.2.99') })).status).toBe(200);
  });
});
