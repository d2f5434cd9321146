// Users and tokens through the API: issue (secret once), list (never a secret or hash), revoke
// (effective on the next request, idempotent), the same vague 401 for every bad credential, roles
// and organisations (a department's admin sees only its own staff; others answer 404).
import { beforeAll, describe, expect, it } from 'vitest';
import { DAY_MS } from '../../src/domain/token-lifetime.ts';
import { hashToken } from '../../src/services/tokens.ts';
import { type TestUser, makeOrganisation, makeUser } from '../support/fixtures.ts';
import type { call } from '../support/http.ts';
import { useTestApp } from '../support/test-app.ts';

const t = useTestApp();
/** The department's own admin (not the platform's). */
let departmentAdmin: TestUser;
let otherDepartment: Awaited<ReturnType<typeof makeOrganisation>>;
let otherAdmin: TestUser;

beforeAll(async () => {
  departmentAdmin = await makeUser(t.db.prisma, t.world.department, 'admin');
  otherDepartment = await makeOrganisation(t.db.prisma, 'civil_affairs', '甘肃省民政厅');
  otherAdmin = await makeUser(t.db.prisma, otherDepartment, 'admin');
});

const admin = () => t.world.users.admin.token;

async function newUser(token: string, body: Record<string, unknown>) {
  const res = await t.as(token).post('/api/v1/users', body);
  expect(res.status, res.text).toBe(201);
  return res.json as { id: string; organisationId: string; role: string };
}

async function issue(token: string, userId: string, body: Record<string, unknown> = { label: 'laptop' }) {
  return t.as(token).post(`/api/v1/users/${userId}/tokens`, body);
}

/** A 401 body without its request id, which differs per request by design. */
function vague(res: Awaited<ReturnType<typeof call>>) {
  expect(res.status).toBe(401);
  const { instance: _, ...rest } = res.json;
  return { body: rest, wwwAuthenticate: res.headers.get('WWW-Authenticate'), contentType: res.headers.get('Content-Type') };
}

describe('users and tokens', () => {
  it('a platform admin creates a user, issues a token shown once (90 days by default) and the token works', async () => {
    const user = await newUser(admin(), { organisationId: t.world.department.id, displayName: '王芳', role: 'finance' });
    expect(user).toMatchObject({ organisationId: t.world.department.id, organisationCode: t.world.department.code, displayName: '王芳', role: 'finance' });
    const before = Date.now();
    const issued = await issue(admin(), user.id, { label: 'finance laptop' });
    expect(issued.status).toBe(201);
    expect(issued.json).toMatchObject({ user: { id: user.id, role: 'finance' }, label: 'finance laptop', status: 'active', revokedAt: null, lastUsedAt: null });
    expect(issued.json.secret).toMatch(/^sl_[A-Za-z0-9_-]{43}$/);
    expect(issued.json.secret.startsWith(issued.json.prefix)).toBe(true);
    const lifetime = Date.parse(issued.json.expiresAt) - before;
    expect(lifetime).toBeGreaterThan(90 * DAY_MS - 60_000);
    expect(lifetime).toBeLessThanOrEqual(90 * DAY_MS + 60_000);

    const me = await t.as(issued.json.secret).get('/api/v1/me');
    expect(me.json).toMatchObject({ userId: user.id, role: 'finance', organisationId: t.world.department.id });

    // Only the hash is stored; the audit trail has neither.
    const row = await t.db.prisma.apiToken.findUniqueOrThrow({ where: { id: issued.json.id } });
    expect(row.tokenHash).toBe(hashToken(issued.json.secret));
    const audits = await t.db.prisma.auditEvent.findMany({ where: { recordId: { in: [user.id, issued.json.id] } }, orderBy: { id: 'asc' } });
    expect(audits.map((a) => a.action)).toEqual(['user.create', 'token.issue']);
    expect(audits.every((a) => a.actorId === t.world.users.admin.actor.userId)).toBe(true);
    const auditText = JSON.stringify(audits, (_, v) => (typeof v === 'bigint' ? String(v) : v));
    expect(auditText).not.toContain(issued.json.secret);
    expect(auditText).not.toContain(row.tokenHash);
  });

  it('takes expiresInDays or expiresAt', async () => {
    const user = await newUser(admin(), { organisationId: t.world.department.id, displayName: '李明', role: 'caseworker' });
    const now = Date.now();
    const inDays = await issue(admin(), user.id, { label: 'a', expiresInDays: 7 });
    expect(Math.abs(Date.parse(inDays.json.expiresAt) - (now + 7 * DAY_MS))).toBeLessThan(60_000);
    const at = new Date(now + 30 * DAY_MS).toISOString();
    const exact = await issue(admin(), user.id, { label: 'b', expiresAt: at });
    expect(exact.json.expiresAt).toBe(at);
  });

  it('lists tokens with their state and never a secret or hash; filters and pages', async () => {
    const user = await newUser(admin(), { organisationId: t.world.department.id, displayName: '张伟', role: 'approver' });
    const a = (await issue(admin(), user.id, { label: 'one' })).json;
    const b = (await issue(admin(), user.id, { label: 'two' })).json;
    const c = (await issue(admin(), user.id, { label: 'three' })).json;
    await t.db.prisma.apiToken.update({ where: { id: b.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    await t.as.admin.post(`/api/v1/tokens/${c.id}/revocation`);

    const all = await t.as.admin.get(`/api/v1/tokens?userId=${user.id}`);
    expect(all.status).toBe(200);
    expect(all.json.items.map((t: { label: string; status: string }) => [t.label, t.status])).toEqual([
      ['three', 'revoked'],
      ['two', 'expired'],
      ['one', 'active'],
    ]);
    const hashes = await t.db.prisma.apiToken.findMany({ select: { tokenHash: true } });
    const everything = await t.as.admin.get('/api/v1/tokens?limit=200');
    for (const secret of [a.secret, b.secret, c.secret]) expect(everything.text).not.toContain(secret);
    for (const { tokenHash } of hashes) expect(everything.text).not.toContain(tokenHash);
    expect(everything.text).not.toMatch(/secret|hash/i);
    expect(Object.keys(everything.json.items[0]).sort()).toEqual([
      'createdAt',
      'expiresAt',
      'id',
      'label',
      'lastUsedAt',
      'prefix',
      'revokedAt',
      'status',
      'user',
    ]);

    for (const status of ['active', 'expired', 'revoked'] as const) {
      const res = await t.as.admin.get(`/api/v1/tokens?userId=${user.id}&status=${status}`);
      expect(res.json.items.map((t: { status: string }) => t.status)).toEqual([status]);
    }
    const first = await t.as.admin.get(`/api/v1/tokens?userId=${user.id}&limit=2`);
    expect(first.json.items).toHaveLength(2);
    const second = await t.as.admin.get(`/api/v1/tokens?userId=${user.id}&limit=2&cursor=${first.json.nextCursor}`);
    expect([...first.json.items, ...second.json.items].map((t: { id: string }) => t.id)).toEqual([c.id, b.id, a.id]);
    expect(second.json.nextCursor).toBeNull();

    // lastUsedAt appears once the token is used.
    await t.as(a.secret).get('/api/v1/me');
    const used = await t.as.admin.get(`/api/v1/tokens?userId=${user.id}&status=active`);
    expect(used.json.items[0].lastUsedAt).not.toBeNull();
  });

  it('revocation takes effect on the next request; revoking again keeps the first instant and writes one audit row', async () => {
    const user = await newUser(admin(), { organisationId: t.world.department.id, displayName: '赵敏', role: 'caseworker' });
    const token = (await issue(admin(), user.id)).json;
    expect((await t.as(token.secret).get('/api/v1/me')).status).toBe(200);
    const first = await t.as.admin.post(`/api/v1/tokens/${token.id}/revocation`);
    expect(first.status).toBe(200);
    expect(first.json).toMatchObject({ id: token.id, status: 'revoked' });
    expect(first.json.secret).toBeUndefined();
    expect((await t.as(token.secret).get('/api/v1/me')).status).toBe(401);
    const second = await t.as.admin.post(`/api/v1/tokens/${token.id}/revocation`);
    expect(second.status).toBe(200);
    expect(second.json.revokedAt).toBe(first.json.revokedAt);
    expect(await t.db.prisma.auditEvent.count({ where: { recordId: token.id, action: 'token.revoke' } })).toBe(1);
  });

  it('an admin may revoke its own token, and is then refused', async () => {
    const self = await makeUser(t.db.prisma, t.world.platform, 'admin');
    const own = await t.db.prisma.apiToken.findFirstOrThrow({ where: { userId: self.actor.userId } });
    const res = await t.as(self).post(`/api/v1/tokens/${own.id}/revocation`);
    expect(res.status).toBe(200);
    expect((await t.as(self).get('/api/v1/tokens')).status).toBe(401);
  });

  it('answers expired, revoked, unknown, malformed and missing credentials with the same 401', async () => {
    const user = await newUser(admin(), { organisationId: t.world.department.id, displayName: '周杰', role: 'approver' });
    const expired = (await issue(admin(), user.id)).json;
    await t.db.prisma.apiToken.update({ where: { id: expired.id }, data: { expiresAt: new Date(Date.now() - 1) } });
    const revoked = (await issue(admin(), user.id)).json;
    await t.as.admin.post(`/api/v1/tokens/${revoked.id}/revocation`);

    const unknown = vague(await t.as(`sl_${'A'.repeat(43)}`).get('/api/v1/me'));
    expect(unknown.body).toMatchObject({ status: 401, code: 'unauthenticated' });
    expect(unknown.wwwAuthenticate).toBe('Bearer');
    expect(vague(await t.as(expired.secret).get('/api/v1/me'))).toEqual(unknown);
    expect(vague(await t.as(revoked.secret).get('/api/v1/me'))).toEqual(unknown);
    expect(vague(await t.anonymous.get('/api/v1/me'))).toEqual(unknown);
    expect(vague(await t.anonymous.get('/api/v1/me', { headers: { Authorization: 'Bearer a b' } }))).toEqual(unknown);
    expect(vague(await t.as('no-prefix').get('/api/v1/me'))).toEqual(unknown);
  });

  it('sends the security headers on a 401 and on a 200', async () => {
    for (const res of [await t.anonymous.get('/api/v1/tokens'), await t.as.admin.get('/api/v1/tokens')]) {
      expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff');
      expect(res.headers.get('Strict-Transport-Security')).toMatch(/max-age=\d+/);
      expect(res.headers.get('Content-Security-Policy')).toContain("frame-ancestors 'none'");
      expect(res.headers.get('X-Frame-Options')).toBe('SAMEORIGIN');
      expect(res.headers.get('Cache-Control')).toBe('no-store');
    }
  });

  it('refuses bad input naming the field', async () => {
    const user = await newUser(admin(), { organisationId: t.world.department.id, displayName: '孙丽', role: 'finance' });
    const userCases: [Record<string, unknown>, string][] = [
      [{ organisationId: t.world.department.id, displayName: 'x', role: 'janitor' }, 'role'],
      [{ organisationId: t.world.department.id, displayName: '', role: 'finance' }, 'displayName'],
      [{ organisationId: 'not-a-uuid', displayName: 'x', role: 'finance' }, 'organisationId'],
      [{ organisationId: crypto.randomUUID(), displayName: 'x', role: 'finance' }, 'organisationId'],
      // A foundation holds no finance officer (createUser's rule).
      [{ organisationId: t.world.foundation.id, displayName: 'x', role: 'finance' }, 'role'],
      [{ organisationId: t.world.department.id, displayName: 'x', role: 'finance', password: 'x' }, 'password'],
    ];
    for (const [body, field] of userCases) {
      const res = await t.as.admin.post('/api/v1/users', body);
      expect({ field, status: res.status }).toEqual({ field, status: 400 });
      expect(res.json.errors.map((e: { path: string }) => e.path)).toContain(field);
    }
    const past = new Date(Date.now() - DAY_MS).toISOString();
    const farAway = new Date(Date.now() + 400 * DAY_MS).toISOString();
    const tokenCases: [Record<string, unknown>, string][] = [
      [{ label: 'x', expiresInDays: 0 }, 'expiresInDays'],
      [{ label: 'x', expiresInDays: 10000 }, 'expiresInDays'],
      [{ label: 'x', expiresInDays: 1.5 }, 'expiresInDays'],
      [{ label: 'x'.repeat(101) }, 'label'],
      [{ label: '' }, 'label'],
      [{}, 'label'],
      [{ label: 'x', expiresAt: 'tomorrow' }, 'expiresAt'],
      [{ label: 'x', expiresAt: past }, 'expiresAt'],
      [{ label: 'x', expiresAt: farAway }, 'expiresAt'],
      [{ label: 'x', expiresAt: farAway, expiresInDays: 5 }, 'expiresInDays'],
    ];
    for (const [body, field] of tokenCases) {
      const res = await issue(admin(), user.id, body);
      expect({ field, status: res.status }).toEqual({ field, status: 400 });
      expect(res.json.errors.map((e: { path: string }) => e.path)).toContain(field);
    }
    expect(await t.db.prisma.apiToken.count({ where: { userId: user.id } })).toBe(0);
    const badFilter = await t.as.admin.get('/api/v1/tokens?status=lost');
    expect(badFilter.json.errors.map((e: { path: string }) => e.path)).toContain('status');
    expect((await t.as.admin.get('/api/v1/tokens?cursor=nonsense')).status).toBe(400);
    expect((await t.as.admin.post(`/api/v1/tokens/${crypto.randomUUID()}/revocation`)).status).toBe(404);
    expect((await issue(admin(), crypto.randomUUID())).status).toBe(404);
  });

  it('refuses every role but admin (403) and writes nothing', async () => {
    const victim = await t.db.prisma.apiToken.findFirstOrThrow({ where: { userId: t.world.users.finance.actor.userId } });
    const u = t.world.users;
    for (const user of [u.caseworker, u.approver, u.finance, u.foundationViewer, u.auditor]) {
      const role = user.actor.role;
      const answers = [
        await t.as(user).post('/api/v1/users', { organisationId: t.world.department.id, displayName: 'x', role: 'caseworker' }),
        await t.as(user).get('/api/v1/users'),
        await issue(user.token, user.actor.userId),
        await t.as(user).get('/api/v1/tokens'),
        await t.as(user).post(`/api/v1/tokens/${victim.id}/revocation`),
      ];
      expect({ role, statuses: answers.map((a) => a.status) }).toEqual({ role, statuses: [403, 403, 403, 403, 403] });
    }
    expect((await t.db.prisma.apiToken.findUniqueOrThrow({ where: { id: victim.id } })).revokedAt).toBeNull();
    expect(await t.db.prisma.apiToken.count({ where: { userId: u.caseworker.actor.userId } })).toBe(1);
  });

  it("a department's admin manages its own staff only: another organisation's users and tokens are not found", async () => {
    // Own organisation: by default and by id.
    const own = await newUser(departmentAdmin.token, { displayName: '本厅 staff', role: 'caseworker' });
    expect(own.organisationId).toBe(t.world.department.id);
    const ownToken = await issue(departmentAdmin.token, own.id);
    expect(ownToken.status).toBe(201);

    // The other department's admin: 404 on the department's user and token, 400 naming the organisation on create.
    expect((await issue(otherAdmin.token, own.id)).status).toBe(404);
    const revoke = await t.as(otherAdmin).post(`/api/v1/tokens/${ownToken.json.id}/revocation`);
    expect(revoke.status).toBe(404);
    expect(revoke.text).not.toContain(own.id);
    const elsewhere = await t.as(otherAdmin).post('/api/v1/users', { organisationId: t.world.department.id, displayName: 'x', role: 'caseworker' });
    expect(elsewhere.status).toBe(400);
    expect(elsewhere.json.errors).toEqual([{ path: 'organisationId', message: 'no such organisation' }]);
    // …the same answer as an organisation that does not exist.
    const none = await t.as(otherAdmin).post('/api/v1/users', { organisationId: crypto.randomUUID(), displayName: 'x', role: 'caseworker' });
    expect(none.json.errors).toEqual(elsewhere.json.errors);
    // …nor a platform admin.
    const platformAdmin = await t.as(departmentAdmin).post('/api/v1/users', { organisationId: t.world.platform.id, displayName: 'x', role: 'admin' });
    expect(platformAdmin.status).toBe(400);

    const users = await t.as(otherAdmin).get('/api/v1/users?limit=200');
    expect(users.json.items.map((x: { organisationId: string }) => x.organisationId)).toEqual([otherDepartment.id]);
    const filtered = await t.as(otherAdmin).get(`/api/v1/users?organisationId=${t.world.department.id}`);
    expect(filtered.json.items).toEqual([]);
    const tokens = await t.as(otherAdmin).get('/api/v1/tokens?limit=200');
    expect(tokens.json.items.map((t: { user: { organisationId: string } }) => t.user.organisationId)).toEqual([otherDepartment.id]);
    expect((await t.as(otherAdmin).get(`/api/v1/tokens?userId=${own.id}`)).json.items).toEqual([]);

    // The department's admin sees its own organisation; the platform's admin sees both.
    const mine = await t.as(departmentAdmin).get('/api/v1/tokens?limit=200');
    expect(new Set(mine.json.items.map((t: { user: { organisationId: string } }) => t.user.organisationId))).toEqual(new Set([t.world.department.id]));
    expect(mine.json.items.length).toBe(await t.db.prisma.apiToken.count({ where: { user: { organisationId: t.world.department.id } } }));
    const all = await t.as.admin.get('/api/v1/tokens?limit=200');
    expect(all.json.items.length).toBe(Math.min(200, await t.db.prisma.apiToken.count()));
    const revokedByOwn = await t.as(departmentAdmin).post(`/api/v1/tokens/${ownToken.json.id}/revocation`);
    expect(revokedByOwn.status).toBe(200);
  });
});
