// Failed authentications counted in PostgreSQL are one count for every instance: two apps on one
// database (two instances behind a load balancer, or two Workers isolates) refuse an address once
// its failures, made on either, reach the limit; a new window starts once the old one has closed;
// concurrent failures all count.
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/http/app.ts';
import { createLogger } from '../../src/http/logger.ts';
import { SharedFailureLimiter } from '../../src/services/auth-failure-window.ts';
import { testVault } from '../support/vault.ts';
import { usePgTestDatabase } from '../support/pg-test-database.ts';

const LIMITS = { maxFailures: 4, windowMs: 60_000 };

describe.skipIf(!process.env.TEST_DATABASE_URL)('failed authentications shared through PostgreSQL', () => {
  const t = usePgTestDatabase(8);

  /** An instance: its own app and limiter object, the shared database; the client address from X-Forwarded-For. */
  async function instance() {
    return createApp({
      db: t.db.prisma,
      vault: await testVault(),
      logger: createLogger('silent'),
      authFailures: new SharedFailureLimiter(t.db.prisma, LIMITS),
      clientAddress: { trustProxy: true },
    });
  }
  const attempt = (app: Awaited<ReturnType<typeof instance>>, address: string, token = 'wrong') =>
    app.request('/api/v1/programmes', { headers: { Authorization: `Bearer ${token}`, 'X-Forwarded-For': address } });

  it('refuses an address on every instance once its failures on any reach the limit', async () => {
    const [a, b] = [await instance(), await instance()];
    expect((await attempt(a, '203.0.113.7')).status).toBe(401);
    expect((await attempt(b, '203.0.113.7')).status).toBe(401);
    expect((await attempt(a, '203.0.113.7')).status).toBe(401);
    expect((await attempt(b, '203.0.113.7')).status).toBe(401);
    // Four failures, two on each: both refuse now, even a valid token, with the time left.
    for (const app of [a, b]) {
      const refused = await attempt(app, '203.0.113.7', t.world.users.finance.token);
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('Retry-After'))).toBeGreaterThan(50);
    }
    // Another address is not affected.
    expect((await attempt(b, '203.0.113.8', t.world.users.finance.token)).status).toBe(200);
  });

  it('counts concurrent failures from one address, each once', async () => {
    const apps = [await instance(), await instance()];
    const answers = await Promise.all(Array.from({ length: 3 }, (_, i) => attempt(apps[i % 2]!, '198.51.100.1')));
    expect(answers.map((r) => r.status)).toEqual([401, 401, 401]);
    const [row] = await t.db.prisma.$queryRaw<{ failures: number }[]>`SELECT failures FROM auth_failure_window WHERE address = '198.51.100.1'`;
    expect(row!.failures).toBe(3);
    expect((await attempt(apps[0]!, '198.51.100.1')).status).toBe(401);
    expect((await attempt(apps[1]!, '198.51.100.1')).status).toBe(429);
  });

  it('opens a new window once the old one has closed', async () => {
    const app = await instance();
    for (let i = 0; i < LIMITS.maxFailures; i++) await attempt(app, '192.0.2.44');
    expect((await attempt(app, '192.0.2.44')).status).toBe(429);
    // The window began over a minute ago (the database's clock decides).
    await t.db.prisma.$executeRaw`UPDATE auth_failure_window SET started_at = now() - interval '61 seconds' WHERE address = '192.0.2.44'`;
    expect((await attempt(app, '192.0.2.44', t.world.users.finance.token)).status).toBe(200);
    expect((await attempt(app, '192.0.2.44')).status).toBe(401);
    const [row] = await t.db.prisma.$queryRaw<{ failures: number; fresh: boolean }[]>`
      SELECT failures, started_at > now() - interval '5 seconds' AS fresh FROM auth_failure_window WHERE address = '192.0.2.44'`;
    expect(row).toEqual({ failures: 1, fresh: true });
  });

  it('deletes expired windows as it goes', async () => {
    const limiter = new SharedFailureLimiter(t.db.prisma, { ...LIMITS, sweepEvery: 2 });
    await t.db.prisma.$executeRaw`
      INSERT INTO auth_failure_window (address, started_at, failures) VALUES ('192.0.2.90', now() - interval '2 minutes', 9)`;
    await limiter.recordFailure('192.0.2.91');
    expect(await t.db.prisma.authFailureWindow.count({ where: { address: '192.0.2.90' } })).toBe(1);
    await limiter.recordFailure('192.0.2.91');
    expect(await t.db.prisma.authFailureWindow.count({ where: { address: '192.0.2.90' } })).toBe(0);
    expect(limiter.failures).toBe(2);
  });
});
