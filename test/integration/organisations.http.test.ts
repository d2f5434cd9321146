import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.ts';
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

describe('organisations', () => {
  it('admin creates, lists with a cursor and reads organisations; the write is audited', async () => {
    const created = await call(app, 'POST', '/api/v1/organisations', { token: world.users.admin.token, body: { code: 'GS-MZT', name: '甘肃省民政厅', kind: 'civil_affairs' } });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ code: 'GS-MZT', name: '甘肃省民政厅', kind: 'civil_affairs' });
    const one = await call(app, 'GET', `/api/v1/organisations/${created.json.id}`, { token: world.users.auditor.token });
    expect(one.json).toEqual(created.json);
    const page = await call(app, 'GET', '/api/v1/organisations?limit=2', { token: world.users.admin.token });
    expect(page.json.items).toHaveLength(2);
    const rest = await call(app, 'GET', `/api/v1/organisations?limit=50&cursor=${page.json.nextCursor}`, { token: world.users.admin.token });
    expect(page.json.items.length + rest.json.items.length).toBe(await db.prisma.organisation.count());
    const foundations = await call(app, 'GET', '/api/v1/organisations?kind=foundation', { token: world.users.admin.token });
    expect(foundations.json.items.every((o: { kind: string }) => o.kind === 'foundation')).toBe(true);
    const audit = await db.prisma.auditEvent.findFirst({ where: { recordId: created.json.id } });
    expect(audit).toMatchObject({ action: 'organisation.create', actorId: world.users.admin.actor.userId });
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
      const res = await call(app, 'POST', '/api/v1/organisations', { token: world.users.admin.token, body });
      expect({ field, status: res.status }).toEqual({ field, status: 400 });
      expect(res.json.errors.map((e: { path: string }) => e.path)).toContain(field);
    }
    const malformed = await call(app, 'POST', '/api/v1/organisations', { token: world.users.admin.token, rawBody: '{' });
    expect(malformed.json.code).toBe('malformed_json');
    const badId = await call(app, 'GET', '/api/v1/organisations/123', { token: world.users.admin.token });
    expect(badId.status).toBe(400);
    const missing = await call(app, 'GET', `/api/v1/organisations/${crypto.randomUUID()}`, { token: world.users.admin.token });
    expect(missing.status).toBe(404);
  });

  it('refuses a duplicate code with 409', async () => {
    await call(app, 'POST', '/api/v1/organisations', { token: world.users.admin.token, body: { code: 'DUP', name: 'a', kind: 'foundation' } });
    const again = await call(app, 'POST', '/api/v1/organisations', { token: world.users.admin.token, body: { code: 'DUP', name: 'b', kind: 'foundation' } });
    expect(again.status).toBe(409);
    expect(again.json.code).toBe('duplicate_organisation_code');
  });

  it('only admins create; only admins and auditors read', async () => {
    for (const user of [world.users.caseworker, world.users.approver, world.users.finance, world.users.foundationViewer, world.users.auditor]) {
      const res = await call(app, 'POST', '/api/v1/organisations', { token: user.token, body: { code: `NOPE-${user.actor.role}`, name: 'x', kind: 'foundation' } });
      expect({ role: user.actor.role, status: res.status }).toEqual({ role: user.actor.role, status: 403 });
    }
    for (const user of [world.users.caseworker, world.users.finance, world.users.foundationViewer]) {
      expect((await call(app, 'GET', '/api/v1/organisations', { token: user.token })).status).toBe(403);
    }
    expect(await db.prisma.organisation.count({ where: { code: { startsWith: 'NOPE' } } })).toBe(0);
  });
});
