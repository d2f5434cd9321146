import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import { openTestDatabase } from '../support/database.ts';
import { makeOrganisation, makeProgramme, makeUser, makeWorld, type World } from '../support/fixtures.ts';
import { testVault } from '../support/vault.ts';
import { call, makeApp, newKey } from '../support/http.ts';

let db: Database;
let world: World;
let app: ReturnType<typeof makeApp>['app'];

beforeAll(async () => {
  db = await openTestDatabase();
  world = await makeWorld(db.prisma);
  ({ app } = makeApp(db.prisma, await testVault()));
});
afterAll(async () => db?.close());

function programmeBody(overrides: Record<string, unknown> = {}) {
  return {
    code: `P-${newKey().slice(0, 8)}`,
    name: '青山陪伴·事实无人抚养儿童助学工程',
    funderId: world.foundation.id,
    administratorId: world.department.id,
    firstAcademicYear: '2025-2026',
    lastAcademicYear: '2026-2027',
    instalmentPlan: 'semesters',
    budget: '540000.00',
    bands: [
      { academicYear: '2025-2026', level: 'undergraduate', minAmount: '3000.00', maxAmount: '5000.00' },
      { academicYear: '2025-2026', level: 'higher_vocational', minAmount: '3000', maxAmount: '4500.5' },
    ],
    ...overrides,
  };
}

describe('POST /programmes', () => {
  it('creates the programme with its bands and zero balances, opens its accounts and audits it', async () => {
    const res = await call(app, 'POST', '/api/v1/programmes', { token: world.users.admin.token, body: programmeBody() });
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({
      firstAcademicYear: '2025-2026',
      lastAcademicYear: '2026-2027',
      budget: '540000.00',
      currency: 'CNY',
      funder: { id: world.foundation.id, name: '青山慈善基金会' },
      balances: { bank: '0.00', fund: '0.00', payable: '0.00', inTransit: '0.00' },
    });
    expect(res.json.bands).toEqual([
      { academicYear: '2025-2026', level: 'higher_vocational', minAmount: '3000.00', maxAmount: '4500.50' },
      { academicYear: '2025-2026', level: 'undergraduate', minAmount: '3000.00', maxAmount: '5000.00' },
    ]);
    const accounts = await db.prisma.ledgerAccount.findMany({ where: { programmeId: res.json.id }, orderBy: { code: 'asc' } });
    expect(accounts.map((a) => a.code)).toEqual(['bank', 'fund', 'in_transit']);
    expect(await db.prisma.auditEvent.count({ where: { recordId: res.json.id, action: 'programme.create' } })).toBe(1);
  });

  it('rejects bad input naming the field, and writes nothing', async () => {
    const band = { academicYear: '2025-2026', level: 'undergraduate', minAmount: '3000.00', maxAmount: '5000.00' };
    const cases: [Record<string, unknown>, string][] = [
      [{ bands: [{ ...band, minAmount: '3000.001' }] }, 'bands.0.minAmount'],
      [{ bands: [{ ...band, minAmount: '6000.00' }] }, 'bands.0.maxAmount'],
      [{ bands: [{ ...band, academicYear: '2030-2031' }] }, 'bands.0.academicYear'],
      [{ bands: [{ ...band, academicYear: '2025-2027' }] }, 'bands.0.academicYear'],
      [{ bands: [band, band] }, 'bands.1'],
      [{ bands: [{ ...band, level: 'kindergarten' }] }, 'bands.0.level'],
      [{ bands: [] }, 'bands'],
      [{ firstAcademicYear: '2027-2028' }, 'lastAcademicYear'],
      [{ budget: '-1.00' }, 'budget'],
      [{ instalmentPlan: 'weekly' }, 'instalmentPlan'],
      [{ funderId: crypto.randomUUID() }, 'funderId'],
      [{ administratorId: 'x' }, 'administratorId'],
      [{ surprise: true }, 'surprise'],
    ];
    const before = await db.prisma.programme.count();
    for (const [overrides, field] of cases) {
      const res = await call(app, 'POST', '/api/v1/programmes', { token: world.users.admin.token, body: programmeBody(overrides) });
      expect({ field, status: res.status }).toEqual({ field, status: 400 });
      expect(res.json.errors.map((e: { path: string }) => e.path)).toContain(field);
    }
    expect(await db.prisma.programme.count()).toBe(before);
  });

  it('refuses a funder that is not a foundation and an administrator that is not a department (422), and a duplicate code (409)', async () => {
    const wrongFunder = await call(app, 'POST', '/api/v1/programmes', { token: world.users.admin.token, body: programmeBody({ funderId: world.department.id }) });
    expect(wrongFunder.status).toBe(422);
    expect(wrongFunder.json.code).toBe('funder_not_foundation');
    const wrongAdmin = await call(app, 'POST', '/api/v1/programmes', { token: world.users.admin.token, body: programmeBody({ administratorId: world.foundation.id }) });
    expect(wrongAdmin.json.code).toBe('administrator_not_civil_affairs');
    const body = programmeBody();
    await call(app, 'POST', '/api/v1/programmes', { token: world.users.admin.token, body });
    const dup = await call(app, 'POST', '/api/v1/programmes', { token: world.users.admin.token, body });
    expect(dup.status).toBe(409);
  });

  it('is for admins only', async () => {
    for (const user of [world.users.caseworker, world.users.approver, world.users.finance, world.users.foundationViewer, world.users.auditor]) {
      const res = await call(app, 'POST', '/api/v1/programmes', { token: user.token, body: programmeBody() });
      expect({ role: user.actor.role, status: res.status }).toEqual({ role: user.actor.role, status: 403 });
    }
  });
});

describe('GET /programmes — scope', () => {
  it('each role sees exactly the programmes in its scope; outside it a programme answers 404', async () => {
    const ours = await makeProgramme(world);
    const otherDepartment = await makeOrganisation(db.prisma, 'civil_affairs');
    const otherFoundation = await makeOrganisation(db.prisma, 'foundation');
    const theirs = await makeProgramme(world, { funderId: otherFoundation.id, administratorId: otherDepartment.id });
    const otherFinance = await makeUser(db.prisma, otherDepartment, 'finance');
    const otherViewer = await makeUser(db.prisma, otherFoundation, 'foundation_viewer');

    const ids = async (token: string) => {
      const res = await call(app, 'GET', '/api/v1/programmes?limit=200', { token });
      expect(res.status).toBe(200);
      return res.json.items.map((p: { id: string }) => p.id) as string[];
    };
    for (const user of [world.users.caseworker, world.users.approver, world.users.finance, world.users.foundationViewer]) {
      const seen = await ids(user.token);
      expect(seen).toContain(ours.id);
      expect(seen).not.toContain(theirs.id);
      expect((await call(app, 'GET', `/api/v1/programmes/${theirs.id}`, { token: user.token })).status).toBe(404);
      expect((await call(app, 'GET', `/api/v1/programmes/${ours.id}`, { token: user.token })).status).toBe(200);
    }
    for (const user of [otherFinance, otherViewer]) {
      const seen = await ids(user.token);
      expect(seen).toEqual([theirs.id]);
      expect((await call(app, 'GET', `/api/v1/programmes/${ours.id}`, { token: user.token })).status).toBe(404);
    }
    for (const user of [world.users.auditor, world.users.admin]) {
      expect(await ids(user.token)).toEqual(expect.arrayContaining([ours.id, theirs.id]));
    }
  });

  it('paginates with a cursor and filters by academic year and funder', async () => {
    const foundation = await makeOrganisation(db.prisma, 'foundation');
    for (let i = 0; i < 3; i++) await makeProgramme(world, { funderId: foundation.id });
    await makeProgramme(world, { funderId: foundation.id, firstAcademicYear: '2030-2031', lastAcademicYear: '2030-2031', bands: [{ academicYear: '2030-2031', level: 'undergraduate', minAmount: '1.00', maxAmount: '2.00' }] });
    const first = await call(app, 'GET', `/api/v1/programmes?funderId=${foundation.id}&limit=2`, { token: world.users.auditor.token });
    const second = await call(app, 'GET', `/api/v1/programmes?funderId=${foundation.id}&limit=2&cursor=${first.json.nextCursor}`, { token: world.users.auditor.token });
    const all = [...first.json.items, ...second.json.items].map((p: { id: string }) => p.id);
    expect(new Set(all).size).toBe(4);
    expect(second.json.nextCursor).toBeNull();
    const in2030 = await call(app, 'GET', `/api/v1/programmes?funderId=${foundation.id}&academicYear=2030-2031`, { token: world.users.auditor.token });
    expect(in2030.json.items).toHaveLength(1);
    const bad = await call(app, 'GET', '/api/v1/programmes?academicYear=2030', { token: world.users.auditor.token });
    expect(bad.status).toBe(400);
    expect(bad.json.errors[0].path).toBe('academicYear');
    const badLimit = await call(app, 'GET', '/api/v1/programmes?limit=0', { token: world.users.auditor.token });
    expect(badLimit.json.errors[0].path).toBe('limit');
  });
});
