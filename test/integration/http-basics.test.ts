import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import { issueToken } from '../../src/services/tokens.ts';
import { openTestDatabase } from '../support/database.ts';
import { makeWorld, type World } from '../support/fixtures.ts';
import { testVault } from '../support/vault.ts';
import { call, makeApp } from '../support/http.ts';

let db: Database;
let world: World;
let app: ReturnType<typeof makeApp>['app'];

beforeAll(async () => {
  db = await openTestDatabase();
  world = await makeWorld(db.prisma);
  ({ app } = makeApp(db.prisma, await testVault()));
});
afterAll(async () => db?.close());

describe('service endpoints', () => {
  it('/healthz reports the database and the chain head', async () => {
    const res = await call(app, 'GET', '/healthz');
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ status: 'ok', database: 'reachable', ledger: { headSeq: '0', headHash: null } });
  });

  it('/openapi.json is OpenAPI 3.1 and describes the API with bearer auth and problem responses', async () => {
    const res = await call(app, 'GET', '/openapi.json');
    expect(res.status).toBe(200);
    expect(res.json.openapi).toBe('3.1.0');
    expect(Object.keys(res.json.paths)).toEqual(
      expect.arrayContaining(['/api/v1/programmes', '/api/v1/programmes/{programmeId}/funding-receipts', '/api/v1/ledger/verification']),
    );
    expect(res.json.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
    const post = res.json.paths['/api/v1/programmes/{programmeId}/funding-receipts'].post;
    expect(post.responses['422'].content['application/problem+json']).toBeDefined();
    expect(post.parameters.map((p: { name: string }) => p.name.toLowerCase())).toContain('idempotency-key');
  });

  it('/docs is served with its assets from the package, no CDN', async () => {
    const page = await call(app, 'GET', '/docs');
    expect(page.status).toBe(200);
    expect(page.text).not.toMatch(/https?:\/\//);
    for (const asset of ['/docs/assets/swagger-ui-bundle.js', '/docs/assets/swagger-ui.css', '/docs/assets/docs-init.js']) {
      const res = await app.request(asset);
      expect({ asset, status: res.status }).toEqual({ asset, status: 200 });
    }
    expect((await app.request('/docs/assets/package.json')).status).toBe(404);
  });

  it('answers unknown paths with problem+json 404', async () => {
    const res = await call(app, 'GET', '/nowhere');
    expect(res.status).toBe(404);
    expect(res.headers.get('Content-Type')).toContain('application/problem+json');
    expect(res.json).toMatchObject({ status: 404, code: 'not_found' });
  });

  it('sets a request id, echoing a harmless one, and security headers', async () => {
    const mine = await call(app, 'GET', '/healthz', { headers: { 'X-Request-Id': 'abc-123' } });
    expect(mine.headers.get('X-Request-Id')).toBe('abc-123');
    const hostile = await call(app, 'GET', '/healthz', { headers: { 'X-Request-Id': '<script>' } });
    expect(hostile.headers.get('X-Request-Id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(mine.headers.get('X-Content-Type-Options')).toBe('nosniff');
    expect(mine.headers.get('Content-Security-Policy')).toContain("default-src 'self'");
    expect(mine.headers.get('Strict-Transport-Security')).toContain('max-age=');
    expect(mine.headers.get('Referrer-Policy')).toBe('same-origin');
  });

  it('marks API answers as not cacheable', async () => {
    const res = await call(app, 'GET', '/api/v1/me', { token: world.users.finance.token });
    expect(res.status).toBe(200);
    expect(res.headers.get('Cache-Control')).toBe('no-store');
    expect(res.json).toEqual({ userId: world.users.finance.actor.userId, role: 'finance', organisationId: world.department.id, organisationKind: 'civil_affairs' });
  });
});

describe('authentication', () => {
  const expectUnauthenticated = (res: Awaited<ReturnType<typeof call>>) => {
    expect(res.status).toBe(401);
    expect(res.headers.get('Content-Type')).toContain('application/problem+json');
    expect(res.headers.get('WWW-Authenticate')).toBe('Bearer');
    expect(res.json).toMatchObject({ code: 'unauthenticated', detail: 'A valid bearer token is required.' });
  };

  it('refuses a missing, malformed or unknown token with the same vague answer', async () => {
    expectUnauthenticated(await call(app, 'GET', '/api/v1/programmes'));
    expectUnauthenticated(await call(app, 'GET', '/api/v1/programmes', { headers: { Authorization: 'Basic abc' } }));
    expectUnauthenticated(await call(app, 'GET', '/api/v1/programmes', { token: 'sl_not-a-real-token' }));
    expectUnauthenticated(await call(app, 'GET', '/api/v1/programmes', { token: 'something-else' }));
  });

  it('refuses revoked and expired tokens', async () => {
    const revoked = await issueToken(db.prisma, { userId: world.users.finance.actor.userId, label: 'revoked' });
    await db.prisma.apiToken.update({ where: { id: revoked.id }, data: { revokedAt: new Date() } });
    expectUnauthenticated(await call(app, 'GET', '/api/v1/me', { token: revoked.secret }));
    const expired = await issueToken(db.prisma, { userId: world.users.finance.actor.userId, label: 'expired', expiresAt: new Date(Date.now() - 1000) });
    expectUnauthenticated(await call(app, 'GET', '/api/v1/me', { token: expired.secret }));
    const fresh = await issueToken(db.prisma, { userId: world.users.finance.actor.userId, label: 'fresh', expiresAt: new Date(Date.now() + 60_000) });
    expect((await call(app, 'GET', '/api/v1/me', { token: fresh.secret })).status).toBe(200);
  });

  it('stores only the hash of a token and records when it was last used', async () => {
    const issued = await issueToken(db.prisma, { userId: world.users.auditor.actor.userId, label: 'hash-check' });
    const row = await db.prisma.apiToken.findUniqueOrThrow({ where: { id: issued.id } });
    expect(JSON.stringify(row)).not.toContain(issued.secret);
    expect(row.lastUsedAt).toBeNull();
    await call(app, 'GET', '/api/v1/me', { token: issued.secret });
    expect((await db.prisma.apiToken.findUniqueOrThrow({ where: { id: issued.id } })).lastUsedAt).not.toBeNull();
  });

  it('refuses bodies over 1 MiB', async () => {
    const res = await call(app, 'POST', '/api/v1/organisations', { token: world.users.admin.token, rawBody: JSON.stringify({ name: 'x'.repeat(1_100_000) }) });
    expect(res.status).toBe(413);
  });
});
