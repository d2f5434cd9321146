// Small factories: each test builds the records it needs; nothing depends on seeded ids.
import { randomUUID } from 'node:crypto';
import type { PrismaClient } from '#prisma';
import type { Role } from '../../src/domain/roles.ts';
import type { Actor, OrganisationKind, ServiceContext } from '../../src/services/context.ts';
import { createUser, issueToken } from '../../src/services/tokens.ts';
import { loadCoverage } from '../../src/services/audit-engagements.ts';
import { todayInChina } from '../../src/domain/dates.ts';
import { createProgramme, type ProgrammeView } from '../../src/services/programmes.ts';
import { testVault } from './vault.ts';

let counter = 0;
const unique = (prefix: string) => `${prefix}-${process.pid}-${++counter}-${randomUUID().slice(0, 6)}`;

export async function makeOrganisation(db: PrismaClient, kind: OrganisationKind, name = unique(kind)) {
  return db.organisation.create({ data: { id: randomUUID(), code: unique(kind), name, kind } });
}

export interface TestUser {
  actor: Actor;
  token: string;
  ctx: ServiceContext;
}

export async function makeUser(db: PrismaClient, organisation: { id: string; kind: OrganisationKind }, role: Role): Promise<TestUser> {
  const { id } = await createUser(db, { organisationId: organisation.id, displayName: unique(role), role });
  const { secret } = await issueToken(db, { userId: id, label: 'test' });
  const actor: Actor = { userId: id, organisationId: organisation.id, organisationKind: organisation.kind, role };
  // As authentication does: an auditor's coverage is its organisation's engagements of today.
  if (role === 'auditor') actor.coverage = await loadCoverage(db, organisation.id);
  return { actor, token: secret, ctx: { db, actor, vault: await testVault() } };
}

/**
 * An audit engagement written directly (the endpoint is tested on its own): `all` programmes, or
 * the ones listed, from `startsOn` (default today, China date) to `endsOn` (default open).
 */
export async function makeEngagement(
  db: PrismaClient,
  input: { auditorOrganisationId: string; createdById: string; programmeIds?: string[]; startsOn?: string; endsOn?: string | null; endedAt?: Date },
) {
  const programmeIds = input.programmeIds ?? [];
  return db.auditEngagement.create({
    data: {
      id: randomUUID(),
      auditorOrganisationId: input.auditorOrganisationId,
      scope: input.programmeIds ? 'programmes' : 'all',
      startsOn: new Date(`${input.startsOn ?? todayInChina()}T00:00:00Z`),
      endsOn: input.endsOn ? new Date(`${input.endsOn}T00:00:00Z`) : null,
      createdById: input.createdById,
      ...(input.endedAt ? { endedAt: input.endedAt, endedById: input.createdById } : {}),
      programmes: { create: programmeIds.map((programmeId) => ({ programmeId })) },
    },
  });
}

/** The auditor of a new audit body engaged on the listed programmes only: to every other programme, an outsider. */
export async function makeAuditorEngagedOn(db: PrismaClient, world: { users: { admin: TestUser } }, programmeIds: string[]): Promise<TestUser> {
  const office = await makeOrganisation(db, 'audit');
  await makeEngagement(db, { auditorOrganisationId: office.id, createdById: world.users.admin.actor.userId, programmeIds });
  return makeUser(db, office, 'auditor');
}

/**
 * A department, a foundation, an audit body and a platform, with one user per role. The audit
 * body holds an open engagement on all programmes, so its auditor sees everything.
 */
export async function makeWorld(db: PrismaClient) {
  const department = await makeOrganisation(db, 'civil_affairs', '青海省民政厅');
  const foundation = await makeOrganisation(db, 'foundation', '青山慈善基金会');
  const auditOffice = await makeOrganisation(db, 'audit');
  const platform = await makeOrganisation(db, 'platform');
  const admin = await makeUser(db, platform, 'admin');
  const engagement = await makeEngagement(db, { auditorOrganisationId: auditOffice.id, createdById: admin.actor.userId, startsOn: '2000-01-01' });
  const users = {
    caseworker: await makeUser(db, department, 'caseworker'),
    approver: await makeUser(db, department, 'approver'),
    finance: await makeUser(db, department, 'finance'),
    foundationViewer: await makeUser(db, foundation, 'foundation_viewer'),
    auditor: await makeUser(db, auditOffice, 'auditor'),
    admin,
  };
  return { department, foundation, auditOffice, platform, engagement, users };
}

export type World = Awaited<ReturnType<typeof makeWorld>>;

export async function makeProgramme(world: World, overrides: Partial<Parameters<typeof createProgramme>[0]['input']> = {}): Promise<ProgrammeView> {
  return createProgramme({
    ctx: world.users.admin.ctx,
    input: {
      code: unique('PRG'),
      name: '青山陪伴·事实无人抚养儿童助学工程',
      funderId: world.foundation.id,
      administratorId: world.department.id,
      firstAcademicYear: '2024-2025',
      lastAcademicYear: '2026-2027',
      instalmentPlan: 'semesters',
      budget: '840000.00',
      bands: ['2024-2025', '2025-2026', '2026-2027'].flatMap((academicYear) =>
        (['higher_vocational', 'junior_college', 'undergraduate'] as const).map((level) => ({
          academicYear,
          level,
          minAmount: '3000.00',
          maxAmount: '5000.00',
        })),
      ),
      ...overrides,
    },
  });
}
