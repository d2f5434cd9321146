// /readyz says whether this instance should take traffic (database reachable, migrations current,
// not shedding load) and which check failed, and nothing more; /healthz says the process answers,
// even when the database does not.
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { migrationStatus } from '../../src/db/migrations.ts';
import { InFlightLimit } from '../../src/http/in-flight-limit.ts';
import { createLogger } from '../../src/http/logger.ts';
import { MIGRATIONS_TRUSTED_MS, Readiness } from '../../src/http/readiness.ts';
import { openTestDatabase } from '../support/database.ts';
import { call, makeApp } from '../support/http.ts';
import { useTestApp } from '../support/test-app.ts';

let clock = 0;
const limit = new InFlightLimit(1, () => clock);
const t = useTestApp({ inFlight: limit, migrationStatus: () => migrationStatus(t.db.adapterFactory) });

/** The project's migrations, and one more that this database has not had. */
const FUTURE = '29991231000000_not_yet_applied';
const aheadDir = mkdtempSync(join(tmpdir(), 'readyz-migrations-'));
cpSync(resolve(import.meta.dirname, '../../prisma/migrations'), aheadDir, { recursive: true });
mkdirSync(join(aheadDir, FUTURE));
writeFileSync(join(aheadDir, FUTURE, 'migration.sql'), 'SELECT 1;\n');
afterAll(() => rmSync(aheadDir, { recursive: true, force: true }));

describe('/readyz', () => {
  it('is 200 ready when the database answers, the migrations are current and nothing is shed', async () => {
    const res = await t.anonymous.get('/readyz');
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ status: 'ready' });
    expect(res.headers.get('Cache-Control')).toBe('no-store');
  });

  it('is 503 shedding while the instance is at its bound, and for a second after it last refused a request', async () => {
    expect(limit.tryEnter()).toBe(true);
    try {
      const full = await t.anonymous.get('/readyz');
      expect(full.status).toBe(503);
      expect(full.headers.get('Content-Type')).toContain('application/problem+json');
      expect(full.json).toMatchObject({ status: 503, code: 'not_ready', failed: ['shedding'] });
      expect(full.json.detail).toContain('本实例暂不接收请求');
      // A request past the bound is refused; the probe itself never is.
      expect((await t.as.finance.get('/api/v1/programmes')).status).toBe(503);
    } finally {
      limit.leave();
    }
    clock += 999;
    expect((await t.anonymous.get('/readyz')).json.failed).toEqual(['shedding']);
    clock += 1;
    expect((await t.anonymous.get('/readyz')).status).toBe(200);
  });

  it('is 503 migrations when the service has a migration the database lacks, without naming it', async () => {
    const { app } = makeApp(t.db.prisma, t.vault, { migrationStatus: () => migrationStatus(t.db.adapterFactory, { migrationsDir: aheadDir }) });
    const res = await call(app, 'GET', '/readyz');
    expect(res.status).toBe(503);
    expect(res.json).toMatchObject({ code: 'not_ready', failed: ['migrations'] });
    expect(res.text).not.toContain(FUTURE);
    expect(res.text).not.toMatch(/2026\d{10}/);
  });

  it('is 503 database when the database does not answer, with no error text; /healthz still answers', async () => {
    const db = await openTestDatabase();
    const { app, logs } = makeApp(db.prisma, t.vault);
    expect((await call(app, 'GET', '/readyz')).status).toBe(200);
    await db.close();
    const res = await call(app, 'GET', '/readyz');
    expect(res.status).toBe(503);
    expect(res.json).toEqual({
      type: expect.stringContaining('not_ready'),
      title: expect.any(String),
      status: 503,
      code: 'not_ready',
      detail: expect.stringContaining('database'),
      failed: ['database'],
      instance: expect.any(String),
    });
    // The cause is in the service's log, with the request id, not in the answer.
    expect(logs.lines.some((l) => l.includes('readiness: database unreachable') && l.includes(res.json.instance))).toBe(true);
    const health = await call(app, 'GET', '/healthz');
    expect(health.status).toBe(200);
    expect(health.json).toEqual({ status: 'ok' });
  });
});

describe('the migrations check', () => {
  it('trusts "current" for a while, so that probes do not read the history every time; "behind" is read again each time', async () => {
    let now = 0;
    let reads = 0;
    const readiness = (dir?: string) =>
      new Readiness({
        db: t.db.prisma,
        inFlight: new InFlightLimit(10),
        logger: createLogger('silent'),
        now: () => now,
        migrationStatus: () => {
          reads++;
          return migrationStatus(t.db.adapterFactory, dir ? { migrationsDir: dir } : {});
        },
      });
    const current = readiness();
    expect(await current.failed('r1')).toEqual([]);
    now += MIGRATIONS_TRUSTED_MS - 1;
    expect(await current.failed('r2')).toEqual([]);
    expect(reads).toBe(1);
    now += 1;
    expect(await current.failed('r3')).toEqual([]);
    expect(reads).toBe(2);

    reads = 0;
    const behind = readiness(aheadDir);
    expect(await behind.failed('r4')).toEqual(['migrations']);
    expect(await behind.failed('r5')).toEqual(['migrations']);
    expect(reads).toBe(2);
  });
});
