import { describe, expect, it } from 'vitest';
import { makeOrganisation, makeProgramme, makeUser } from '../support/fixtures.ts';
import { newKey } from '../support/http.ts';
import { useTestApp } from '../support/test-app.ts';

const t = useTestApp();

function programmeBody(overrides: Record<string, unknown> = {}) {
  return {
    code: `P-${newKey().slice(0, 8)}`,
    name: '青山陪伴·事实无人抚养儿童助学工程',
    funderId: t.world.foundation.id,
    administratorId: t.world.department.id,
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
    const res = await t.as.admin.post('/api/v1/programmes', programmeBody());
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({
      firstAcademicYear: '2025-2026',
      lastAcademicYear: '2026-2027',
      budget: '540000.00',
      currency: 'CNY',
      funder: { id: t.world.foundation.id, name: '青山慈善基金会' },
      balances: { bank: '0.00', fund: '0.00', payable: '0.00', inTransit: '0.00' },
    });
    expect(res.json.bands).toEqual([
      { academicYear: '2025-2026', level: 'higher_vocational', minAmount: '3000.00', maxAmount: '4500.50' },
      { academicYear: '2025-2026', level: 'undergraduate', minAmount: '3000.00', maxAmount: '5000.00' },
    ]);
    const accounts = await t.db.prisma.ledgerAccount.findMany({ where: { programmeId: res.json.id }, orderBy: { code: 'asc' } });
    expect(accounts.map((a) => a.code)).toEqual(['bank', 'fund', 'in_transit']);
    expect(await t.db.prisma.auditEvent.count({ where: { recordId: res.json.id, action: 'programme.create' } })).toBe(1);
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
      [{ transitBusinessDays: 0 }, 'transitBusinessDays'],
      [{ transitBusinessDays: 31 }, 'transitBusinessDays'],
    ];
    const before = await t.db.prisma.programme.count();
    for (const [overrides, field] of cases) {
      const res = await t.as.admin.post('/api/v1/programmes', programmeBody(overrides));
      expect({ field, status: res.status }).toEqual({ field, status: 400 });
      expect(res.json.errors.map((e: { path: string }) => e.path)).toContain(field);
    }
    expect(await t.db.prisma.programme.count()).toBe(before);
  });

  it('refuses a funder that is not a foundation and an administrator that is not a department (422), and a duplicate code (409)', async () => {
    const wrongFunder = await t.as.admin.post('/api/v1/programmes', programmeBody({ funderId: t.world.department.id }));
    expect(wrongFunder.status).toBe(422);
    expect(wrongFunder.json.code).toBe('funder_not_foundation');
    const wrongAdmin = await t.as.admin.post('/api/v1/programmes', programmeBody({ administratorId: t.world.foundation.id }));
    expect(wrongAdmin.json.code).toBe('administrator_not_civil_affairs');
    const body = programmeBody();
    await t.as.admin.post('/api/v1/programmes', body);
    const dup = await t.as.admin.post('/api/v1/programmes', body);
    expect(dup.status).toBe(409);
  });

  it('a department’s admin creates programmes its department administers only; another department’s → 403, nothing written', async () => {
    const departmentAdmin = await makeUser(t.db.prisma, t.world.department, 'admin');
    const own = await t.as(departmentAdmin).post('/api/v1/programmes', programmeBody());
    expect(own.status).toBe(201);
    const otherDepartment = await makeOrganisation(t.db.prisma, 'civil_affairs');
    const before = await t.db.prisma.programme.count();
    const refused = await t.as(departmentAdmin).post('/api/v1/programmes', programmeBody({ administratorId: otherDepartment.id }));
    expect(refused.status).toBe(403);
    expect(await t.db.prisma.programme.count()).toBe(before);
    // The platform's admins create for any department.
    expect((await t.as.admin.post('/api/v1/programmes', programmeBody({ administratorId: otherDepartment.id }))).status).toBe(201);
  });

  it('is for admins only', async () => {
    for (const user of [t.world.users.caseworker, t.world.users.approver, t.world.users.finance, t.world.users.foundationViewer, t.world.users.auditor]) {
      const res = await t.as(user).post('/api/v1/programmes', programmeBody());
      expect({ role: user.actor.role, status: res.status }).toEqual({ role: user.actor.role, status: 403 });
    }
  });
});

describe('GET /programmes — scope', () => {
  it('each role sees exactly the programmes in its scope; outside it a programme answers 404', async () => {
    const ours = await makeProgramme(t.world);
    const otherDepartment = await makeOrganisation(t.db.prisma, 'civil_affairs');
    const otherFoundation = await makeOrganisation(t.db.prisma, 'foundation');
    const theirs = await makeProgramme(t.world, { funderId: otherFoundation.id, administratorId: otherDepartment.id });
    const otherFinance = await makeUser(t.db.prisma, otherDepartment, 'finance');
    const otherViewer = await makeUser(t.db.prisma, otherFoundation, 'foundation_viewer');

    const ids = async (token: string) => {
      const res = await t.as(token).get('/api/v1/programmes?limit=200');
      expect(res.status).toBe(200);
      return res.json.items.map((p: { id: string }) => p.id) as string[];
    };
    for (const user of [t.world.users.caseworker, t.world.users.approver, t.world.users.finance, t.world.users.foundationViewer]) {
      const seen = await ids(user.token);
      expect(seen).toContain(ours.id);
      expect(seen).not.toContain(theirs.id);
      expect((await t.as(user).get(`/api/v1/programmes/${theirs.id}`)).status).toBe(404);
      expect((await t.as(user).get(`/api/v1/programmes/${ours.id}`)).status).toBe(200);
    }
    for (const user of [otherFinance, otherViewer]) {
      const seen = await ids(user.token);
      expect(seen).toEqual([theirs.id]);
      expect((await t.as(user).get(`/api/v1/programmes/${ours.id}`)).status).toBe(404);
    }
    for (const user of [t.world.users.auditor, t.world.users.admin]) {
      expect(await ids(user.token)).toEqual(expect.arrayContaining([ours.id, theirs.id]));
    }
  });

  it('paginates with a cursor and filters by academic year and funder', async () => {
    const foundation = await makeOrganisation(t.db.prisma, 'foundation');
    for (let i = 0; i < 3; i++) await makeProgramme(t.world, { funderId: foundation.id });
    await makeProgramme(t.world, {
      funderId: foundation.id,
      firstAcademicYear: '2030-2031',
      lastAcademicYear: '2030-2031',
      bands: [{ academicYear: '2030-2031', level: 'undergraduate', minAmount: '1.00', maxAmount: '2.00' }],
    });
    const first = await t.as.auditor.get(`/api/v1/programmes?funderId=${foundation.id}&limit=2`);
    const second = await t.as.auditor.get(`/api/v1/programmes?funderId=${foundation.id}&limit=2&cursor=${first.json.nextCursor}`);
    const all = [...first.json.items, ...second.json.items].map((p: { id: string }) => p.id);
    expect(new Set(all).size).toBe(4);
    expect(second.json.nextCursor).toBeNull();
    const in2030 = await t.as.auditor.get(`/api/v1/programmes?funderId=${foundation.id}&academicYear=2030-2031`);
    expect(in2030.json.items).toHaveLength(1);
    const bad = await t.as.auditor.get('/api/v1/programmes?academicYear=2030');
    expect(bad.status).toBe(400);
    expect(bad.json.errors[0].path).toBe('academicYear');
    const badLimit = await t.as.auditor.get('/api/v1/programmes?limit=0');
    expect(badLimit.json.errors[0].path).toBe('limit');
  });
});
