import { describe, expect, it } from 'vitest';
import { issueToken } from '../../src/services/tokens.ts';
import type { call } from '../support/http.ts';
import { useTestApp } from '../support/test-app.ts';

const t = useTestApp();

describe('service endpoints', () => {
  it('/healthz says the process answers, and nothing more', async () => {
    const res = await t.anonymous.get('/healthz');
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ status: 'ok' });
  });

  it('/openapi.json is OpenAPI 3.1 and describes the API with bearer auth and problem responses', async () => {
    const res = await t.anonymous.get('/openapi.json');
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
    const page = await t.anonymous.get('/docs');
    expect(page.status).toBe(200);
    expect(page.text).not.toMatch(/https?:\/\//);
    for (const asset of ['/docs/assets/swagger-ui-bundle.js', '/docs/assets/swagger-ui.css', '/docs/assets/docs-init.js']) {
      const res = await t.app.request(asset);
      expect({ asset, status: res.status }).toEqual({ asset, status: 200 });
    }
    expect((await t.app.request('/docs/assets/package.json')).status).toBe(404);
  });

  it('answers unknown paths with problem+json 404', async () => {
    const res = await t.anonymous.get('/nowhere');
    expect(res.status).toBe(404);
    expect(res.headers.get('Content-Type')).toContain('application/problem+json');
    expect(res.json).toMatchObject({ status: 404, code: 'not_found', detail: '请求的资源不存在 (No such resource.)' });
  });

  it('writes every detail in Chinese with the English beside it: validation, malformed JSON, wrong media type, not found', async () => {
    const answers = [
      await t.as.admin.post('/api/v1/organisations', { name: 'n' }),
      await t.as.admin.post('/api/v1/organisations', undefined, { rawBody: '{' }),
      await t.as.admin.post('/api/v1/organisations', undefined, { rawBody: '{}', headers: { 'Content-Type': 'text/plain' } }),
      await t.as.admin.get(`/api/v1/organisations/${crypto.randomUUID()}`),
    ];
    expect(answers.map((a) => [a.json.code, a.json.detail])).toEqual([
      ['invalid_request', '请求中有字段不符合要求，请按各字段的提示修改 (The request body has invalid fields.)'],
      ['malformed_json', '请求体不是有效的JSON (The request body is not valid JSON.)'],
      ['unsupported_media_type', '不支持该内容类型 (Send the body as application/json.)'],
      ['not_found', '未找到该机构 (organisation not found)'],
    ]);
  });

  it('sets a request id, echoing a harmless one, and security headers', async () => {
    const mine = await t.anonymous.get('/healthz', { headers: { 'X-Request-Id': 'abc-123' } });
    expect(mine.headers.get('X-Request-Id')).toBe('abc-123');
    const hostile = await t.anonymous.get('/healthz', { headers: { 'X-Request-Id': '<script>' } });
    expect(hostile.headers.get('X-Request-Id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(mine.headers.get('X-Content-Type-Options')).toBe('nosniff');
    expect(mine.headers.get('Content-Security-Policy')).toContain("default-src 'self'");
    expect(mine.headers.get('Strict-Transport-Security')).toContain('max-age=');
    expect(mine.headers.get('Referrer-Policy')).toBe('same-origin');
  });

  it('marks API answers as not cacheable', async () => {
    const res = await t.as.finance.get('/api/v1/me');
    expect(res.status).toBe(200);
    expect(res.headers.get('Cache-Control')).toBe('no-store');
    expect(res.json).toEqual({
      userId: t.world.users.finance.actor.userId,
      role: 'finance',
      organisationId: t.world.department.id,
      organisationKind: 'civil_affairs',
    });
  });
});

describe('authentication', () => {
  const expectUnauthenticated = (res: Awaited<ReturnType<typeof call>>) => {
    expect(res.status).toBe(401);
    expect(res.headers.get('Content-Type')).toContain('application/problem+json');
    expect(res.headers.get('WWW-Authenticate')).toBe('Bearer');
    expect(res.json).toMatchObject({ code: 'unauthenticated', detail: '需要有效的登录凭证（令牌） (A valid bearer token is required.)' });
  };

  it('refuses a missing, malformed or unknown token with the same vague answer', async () => {
    expectUnauthenticated(await t.anonymous.get('/api/v1/programmes'));
    expectUnauthenticated(await t.anonymous.get('/api/v1/programmes', { headers: { Authorization: 'Basic abc' } }));
    expectUnauthenticated(await t.as('sl_not-a-real-token').get('/api/v1/programmes'));
    expectUnauthenticated(await t.as('something-else').get('/api/v1/programmes'));
  });

  it('refuses revoked and expired tokens', async () => {
    const revoked = await issueToken(t.db.prisma, { userId: t.world.users.finance.actor.userId, label: 'revoked' });
    await t.db.prisma.apiToken.update({ where: { id: revoked.id }, data: { revokedAt: new Date() } });
    expectUnauthenticated(await t.as(revoked.secret).get('/api/v1/me'));
    const expired = await issueToken(t.db.prisma, { userId: t.world.users.finance.actor.userId, label: 'expired', expiresAt: new Date(Date.now() - 1000) });
    expectUnauthenticated(await t.as(expired.secret).get('/api/v1/me'));
    const fresh = await issueToken(t.db.prisma, { userId: t.world.users.finance.actor.userId, label: 'fresh', expiresAt: new Date(Date.now() + 60_000) });
    expect((await t.as(fresh.secret).get('/api/v1/me')).status).toBe(200);
  });

  it('stores only the hash of a token and records when it was last used', async () => {
    const issued = await issueToken(t.db.prisma, { userId: t.world.users.auditor.actor.userId, label: 'hash-check' });
    const row = await t.db.prisma.apiToken.findUniqueOrThrow({ where: { id: issued.id } });
    expect(JSON.stringify(row)).not.toContain(issued.secret);
    expect(row.lastUsedAt).toBeNull();
    await t.as(issued.secret).get('/api/v1/me');
    expect((await t.db.prisma.apiToken.findUniqueOrThrow({ where: { id: issued.id } })).lastUsedAt).not.toBeNull();
  });

  it('refuses bodies over 1 MiB', async () => {
    const res = await t.as.admin.post('/api/v1/organisations', undefined, { rawBody: JSON.stringify({ name: 'x'.repeat(1_100_000) }) });
    expect(res.status).toBe(413);
    expect(res.json.detail).toBe('请求内容超过1 MiB，请拆分后分次提交 (The request body is larger than 1 MiB.)');
  });
});
