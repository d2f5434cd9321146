import { describe, expect, it } from 'vitest';
import { makeUser } from '../support/fixtures.ts';
import { useTestApp } from '../support/test-app.ts';

const t = useTestApp();

describe('organisations', () => {
  it('admin creates, lists with a cursor and reads organisations; the write is audited', async () => {
    const created = await t.as.admin.post('/api/v1/organisations', { code: 'GS-MZT', name: '甘肃省民政厅', kind: 'civil_affairs' });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ code: 'GS-MZT', name: '甘肃省民政厅', kind: 'civil_affairs' });
    const one = await t.as.auditor.get(`/api/v1/organisations/${created.json.id}`);
    expect(one.json).toEqual(created.json);
    const page = await t.as.admin.get('/api/v1/organisations?limit=2');
    expect(page.json.items).toHaveLength(2);
    const rest = await t.as.admin.get(`/api/v1/organisations?limit=50&cursor=${page.json.nextCursor}`);
    expect(page.json.items.length + rest.json.items.length).toBe(await t.db.prisma.organisation.count());
    const foundations = await t.as.admin.get('/api/v1/organisations?kind=foundation');
    expect(foundations.json.items.every((o: { kind: string }) => o.kind === 'foundation')).toBe(true);
    const audit = await t.db.prisma.auditEvent.findFirst({ where: { recordId: created.json.id } });
    expect(audit).toMatchObject({ action: 'organisation.create', actorId: t.world.users.admin.actor.userId });
  });

  it('rejects bad input naming the field', async () => {
    const cases: [unknown, string][] = [
      [{ code: 'X', name: 'n', kind: 'bank' }, 'kind'],
      [{ code: 'has space', name: 'n', kind: 'foundation' }, 'code'],
      [{ code: 'OK1', name: '', kind: 'foundation' }, 'name'],
      [{ code: 'OK2', name: 'n', kind: 'foundation', extra: 1 }, 'extra'],
      [{ name: 'n', kind: 'foundation' }, 'code'],
    ];
    for (const [body, field] of cases) {
      const res = await t.as.admin.post('/api/v1/organisations', body);
      expect({ field, status: res.status }).toEqual({ field, status: 400 });
      expect(res.json.errors.map((e: { path: string }) => e.path)).toContain(field);
    }
    const malformed = await t.as.admin.post('/api/v1/organisations', undefined, { rawBody: '{' });
    expect(malformed.json.code).toBe('malformed_json');
    const badId = await t.as.admin.get('/api/v1/organisations/123');
    expect(badId.status).toBe(400);
    const missing = await t.as.admin.get(`/api/v1/organisations/${crypto.randomUUID()}`);
    expect(missing.status).toBe(404);
  });

  it('refuses a duplicate code with 409', async () => {
    await t.as.admin.post('/api/v1/organisations', { code: 'DUP', name: 'a', kind: 'foundation' });
    const again = await t.as.admin.post('/api/v1/organisations', { code: 'DUP', name: 'b', kind: 'foundation' });
    expect(again.status).toBe(409);
    expect(again.json.code).toBe('duplicate_organisation_code');
  });

  it('only admins create; only admins and auditors read', async () => {
    for (const user of [t.world.users.caseworker, t.world.users.approver, t.world.users.finance, t.world.users.foundationViewer, t.world.users.auditor]) {
      const res = await t.as(user).post('/api/v1/organisations', { code: `NOPE-${user.actor.role}`, name: 'x', kind: 'foundation' });
      expect({ role: user.actor.role, status: res.status }).toEqual({ role: user.actor.role, status: 403 });
    }
    for (const user of [t.world.users.caseworker, t.world.users.finance, t.world.users.foundationViewer]) {
      expect((await t.as(user).get('/api/v1/organisations')).status).toBe(403);
    }
    expect(await t.db.prisma.organisation.count({ where: { code: { startsWith: 'NOPE' } } })).toBe(0);
  });

  it('only the platform’s admins create: a department’s admin is refused (403) and nothing is added', async () => {
    const departmentAdmin = await makeUser(t.db.prisma, t.world.department, 'admin');
    const res = await t.as(departmentAdmin).post('/api/v1/organisations', { code: 'NOPE-DEPT', name: 'x', kind: 'platform' });
    expect(res.status).toBe(403);
    expect(await t.db.prisma.organisation.count({ where: { code: 'NOPE-DEPT' } })).toBe(0);
  });
});
