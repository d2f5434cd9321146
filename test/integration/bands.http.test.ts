// Setting a programme's bands per academic year through the HTTP API: add for a year without
// bands, replace while no grant of that year is approved, refused after (by the service and by a
// database trigger); bad input, wrong roles, other organisations.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { approveGrant } from '../../src/services/grants.ts';
import type { ProgrammeView } from '../../src/services/programmes.ts';
import { makeOrganisation, makeProgramme, makeUser, type TestUser } from '../support/fixtures.ts';
import { fundProgramme, makeProposedGrant } from '../support/grants.ts';
import { useTestApp } from '../support/test-app.ts';

const t = useTestApp();
let other: { admin: TestUser; caseworker: TestUser; viewer: TestUser };

beforeAll(async () => {
  const department = await makeOrganisation(t.db.prisma, 'civil_affairs');
  const foundation = await makeOrganisation(t.db.prisma, 'foundation');
  other = {
    admin: await makeUser(t.db.prisma, t.world.platform, 'admin'),
    caseworker: await makeUser(t.db.prisma, department, 'caseworker'),
    viewer: await makeUser(t.db.prisma, foundation, 'foundation_viewer'),
  };
});

const band = (level: string, minAmount: string, maxAmount: string) => ({ level, minAmount, maxAmount });
const ALL = [band('higher_vocational', '3000.00', '4000.00'), band('junior_college', '3000.00', '4500.00'), band('undergraduate', '3500.00', '5000.00')];
const put = (programmeId: string, year: string, body: unknown, token = t.world.users.admin.token) =>
  t.as(token).put(`/api/v1/programmes/${programmeId}/bands/${year}`, body);

async function counts() {
  return { bands: await t.db.prisma.programmeBand.count(), audits: await t.db.prisma.auditEvent.count() };
}
async function nothingWritten(act: () => Promise<unknown>) {
  const before = await counts();
  const snapshot = await t.db.prisma.programmeBand.findMany({ orderBy: [{ programmeId: 'asc' }, { academicYear: 'asc' }, { level: 'asc' }] });
  await act();
  expect(await counts()).toEqual(before);
  expect(await t.db.prisma.programmeBand.findMany({ orderBy: [{ programmeId: 'asc' }, { academicYear: 'asc' }, { level: 'asc' }] })).toEqual(snapshot);
}

/** A programme whose last year (2026-2027) has no bands yet. */
async function programmeWithoutLastYear(): Promise<ProgrammeView> {
  return makeProgramme(t.world, {
    bands: ['2024-2025', '2025-2026'].flatMap((academicYear) =>
      (['higher_vocational', 'junior_college', 'undergraduate'] as const).map((level) => ({ academicYear, level, minAmount: '3000.00', maxAmount: '5000.00' })),
    ),
  });
}

describe('set a year’s bands', () => {
  it('adds bands for a year without bands, audited; the programme shows them', async () => {
    const p = await programmeWithoutLastYear();
    const res = await put(p.id, '2026-2027', { bands: [ALL[2], ALL[0]] });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ programmeId: p.id, academicYear: '2026-2027', replaced: false, bands: [ALL[0], ALL[2]] });
    const got = await t.as.admin.get(`/api/v1/programmes/${p.id}`);
    expect(got.json.bands.filter((b: { academicYear: string }) => b.academicYear === '2026-2027')).toEqual([
      { academicYear: '2026-2027', ...ALL[0] },
      { academicYear: '2026-2027', ...ALL[2] },
    ]);
    const audit = await t.db.prisma.auditEvent.findFirst({ where: { recordId: p.id, action: 'programme.set_bands' } });
    expect(audit).toMatchObject({
      actorId: t.world.users.admin.actor.userId,
      before: { academicYear: '2026-2027', bands: [] },
      after: { bands: [ALL[0], ALL[2]] },
    });
  });

  it('replaces a year’s bands as a whole while no grant of that year is approved (proposed grants do not block)', async () => {
    const p = await makeProgramme(t.world);
    await makeProposedGrant(t.db.prisma, t.world, p.id, '4000.00');
    const res = await put(p.id, '2026-2027', { bands: ALL });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ replaced: true, bands: ALL });
    expect(await t.db.prisma.programmeBand.count({ where: { programmeId: p.id, academicYear: 2026 } })).toBe(3);
    // Other years untouched.
    expect(await t.db.prisma.programmeBand.findFirst({ where: { programmeId: p.id, academicYear: 2025, level: 'undergraduate' } })).toMatchObject({});
    expect(
      (await t.db.prisma.programmeBand.findFirstOrThrow({ where: { programmeId: p.id, academicYear: 2025, level: 'undergraduate' } })).minAmount.toString(),
    ).toBe('3000');
  });

  it('a proposed grant left outside a replaced band cannot be approved (422 amount_outside_band)', async () => {
    const p = await makeProgramme(t.world);
    await fundProgramme(t.world, p.id, '10000.00');
    const { grant } = await makeProposedGrant(t.db.prisma, t.world, p.id, '3200.00');
    expect((await put(p.id, '2026-2027', { bands: ALL })).status).toBe(200);
    await expect(approveGrant({ ctx: t.world.users.approver.ctx, input: { id: grant.id } })).rejects.toMatchObject({ code: 'amount_outside_band' });
  });

  it('once a grant of the year is approved: 409 bands_locked, and the database refuses INSERT, UPDATE and DELETE too; other years stay open', async () => {
    const p = await programmeWithoutLastYear();
    expect((await put(p.id, '2026-2027', { bands: [ALL[2]] })).status).toBe(200); // undergraduate only
    await fundProgramme(t.world, p.id, '10000.00');
    const { grant } = await makeProposedGrant(t.db.prisma, t.world, p.id, '4000.00');
    await approveGrant({ ctx: t.world.users.approver.ctx, input: { id: grant.id } });
    await nothingWritten(async () => {
      const res = await put(p.id, '2026-2027', { bands: ALL });
      expect(res.status).toBe(409);
      expect(res.json.code).toBe('bands_locked');
      await expect(
        t.db.prisma.$executeRaw`UPDATE "programme_band" SET "max_amount" = 9000 WHERE "programme_id" = ${p.id}::uuid AND "academic_year" = 2026`,
      ).rejects.toThrow(/programme_band_locked/);
      await expect(t.db.prisma.$executeRaw`DELETE FROM "programme_band" WHERE "programme_id" = ${p.id}::uuid AND "academic_year" = 2026`).rejects.toThrow(
        /programme_band_locked/,
      );
      await expect(
        t.db.prisma
          .$executeRaw`INSERT INTO "programme_band" ("programme_id", "academic_year", "level", "min_amount", "max_amount") VALUES (${p.id}::uuid, 2026, 'higher_vocational', 1, 2)`,
      ).rejects.toThrow(/programme_band_locked/);
    });
    // Another year of the same programme can still change.
    expect((await put(p.id, '2025-2026', { bands: ALL })).status).toBe(200);
  });
});

describe('bad input', () => {
  it('a year outside the programme’s years → 422 academic_year_outside_programme', async () => {
    const p = await makeProgramme(t.world);
    await nothingWritten(async () => {
      const res = await put(p.id, '2027-2028', { bands: ALL });
      expect(res.status).toBe(422);
      expect(res.json.code).toBe('academic_year_outside_programme');
    });
  });

  it.each([
    ['a malformed year', '2026-27', { bands: ALL }, 'academicYear'],
    ['no bands', '2026-2027', { bands: [] }, 'bands'],
    ['min above max', '2026-2027', { bands: [band('undergraduate', '5000.00', '3000.00')] }, 'bands.0.maxAmount'],
    ['a level twice', '2026-2027', { bands: [ALL[2], ALL[2]] }, 'bands.1.level'],
    ['three decimals', '2026-2027', { bands: [band('undergraduate', '3000.001', '5000.00')] }, 'bands.0.minAmount'],
    ['zero', '2026-2027', { bands: [band('undergraduate', '0.00', '5000.00')] }, 'bands.0.minAmount'],
    ['an unknown level', '2026-2027', { bands: [band('doctoral', '3000.00', '5000.00')] }, 'bands.0.level'],
    ['an unknown field', '2026-2027', { bands: ALL, note: 'x' }, 'note'],
  ])('%s → 400 naming the field', async (_what, year, body, path) => {
    const p = await programmeWithoutLastYear();
    await nothingWritten(async () => {
      const res = await put(p.id, year, body);
      expect(res.status).toBe(400);
      expect(res.json.errors.map((e: { path: string }) => e.path)).toContain(path);
    });
  });
});

describe('roles and scope', () => {
  it('only admins: other roles of the administering department and the funder → 403; out of scope or unknown → 404; no token → 401', async () => {
    const p = await programmeWithoutLastYear();
    await nothingWritten(async () => {
      for (const user of [t.world.users.caseworker, t.world.users.approver, t.world.users.finance, t.world.users.foundationViewer, t.world.users.auditor]) {
        expect((await put(p.id, '2026-2027', { bands: ALL }, user.token)).status, user.actor.role).toBe(403);
      }
      for (const user of [other.caseworker, other.viewer]) expect((await put(p.id, '2026-2027', { bands: ALL }, user.token)).status).toBe(404);
      expect((await put(randomUUID(), '2026-2027', { bands: ALL })).status).toBe(404);
      expect((await t.anonymous.put(`/api/v1/programmes/${p.id}/bands/2026-2027`, { bands: ALL })).status).toBe(401);
    });
    // Any of the platform's admins may.
    expect((await put(p.id, '2026-2027', { bands: ALL }, other.admin.token)).status).toBe(200);
  });

  it('a department’s admin sets the bands of its own department’s programmes only; another’s answers 404 and nothing changes', async () => {
    const p = await programmeWithoutLastYear();
    const ownAdmin = await makeUser(t.db.prisma, t.world.department, 'admin');
    const otherAdmin = await makeUser(t.db.prisma, await makeOrganisation(t.db.prisma, 'civil_affairs'), 'admin');
    await nothingWritten(async () => {
      expect((await put(p.id, '2026-2027', { bands: ALL }, otherAdmin.token)).status).toBe(404);
    });
    expect((await put(p.id, '2026-2027', { bands: ALL }, ownAdmin.token)).status).toBe(200);
  });
});
