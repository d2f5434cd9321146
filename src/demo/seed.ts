// Demo data for a newcomer's first `npm start`: the Qinghai programme's organisations, one user
// and token per role, the programme with its 3,000–5,000 CNY bands, and two years of its history
// modelled on the published figures (src/demo/history.ts): the foundation's transfers, 165
// students, 227 grants totalling 840,000.00 CNY, their payouts and the bank's answers; the
// empowerment track's 83 person-times (src/demo/empowerment.ts) — then the current year's review,
// half done. Only loaded into an empty database; fictional people only.
import { randomUUID } from 'node:crypto';
import type { PrismaClient } from '#prisma';
import type { Role } from '../domain/roles.ts';
import type { PiiVault } from '../privacy/pii-vault.ts';
import type { Actor, OrganisationKind, ServiceContext } from '../services/context.ts';
import { academicYearContaining, formatAcademicYear } from '../domain/academic-year.ts';
import { setBusinessClock, todayInChina } from '../domain/dates.ts';
import { programmeEmpowermentFigures } from '../services/empowerment-figures.ts';
import { programmeGrantSummary } from '../services/grant-views.ts';
import { createAuditEngagement } from '../services/audit-engagements.ts';
import { createProgramme } from '../services/programmes.ts';
import { createUser, issueToken } from '../services/tokens.ts';
import { hashPassword } from '../domain/password-hash.ts';
import { randomToken } from '../domain/random-token.ts';
import { BANDS } from './amounts.ts';
import { PUBLISHED_EMPOWERMENT_PERSON_TIMES, replayEmpowerment } from './empowerment.ts';
import { COHORTS, DemoHistory } from './history.ts';

export interface DemoToken {
  organisation: string;
  role: Role;
  user: string;
  token: string;
  /** For the pages: the user name and a password made for this demo database only. */
  username: string;
  password: string;
}

const ORGANISATIONS: { code: string; name: string; kind: OrganisationKind }[] = [
  { code: 'QH-MZT', name: '青海省民政厅', kind: 'civil_affairs' },
  { code: 'QINGSHAN-FDN', name: '青山慈善基金会', kind: 'foundation' },
  { code: 'QH-AUDIT', name: '青海省审计厅', kind: 'audit' },
  { code: 'PLATFORM', name: '平台运维 (Platform operations)', kind: 'platform' },
  // A second department and foundation, so that scoping can be seen at work.
  { code: 'GS-MZT', name: '甘肃省民政厅', kind: 'civil_affairs' },
  { code: 'OTHER-FDN', name: '另一家基金会 (Another foundation)', kind: 'foundation' },
];

const USERS: { organisation: string; role: Role; name: string; username: string }[] = [
  { organisation: 'QH-MZT', role: 'caseworker', name: '经办人 示例', username: 'qh.caseworker' },
  { organisation: 'QH-MZT', role: 'approver', name: '审核人 示例', username: 'qh.approver' },
  { organisation: 'QH-MZT', role: 'finance', name: '财务 示例', username: 'qh.finance' },
  { organisation: 'QINGSHAN-FDN', role: 'foundation_viewer', name: '基金会 示例', username: 'qingshan.viewer' },
  { organisation: 'QINGSHAN-FDN', role: 'coordinator', name: '项目专员 示例', username: 'qingshan.coordinator' },
  { organisation: 'QH-AUDIT', role: 'auditor', name: '审计 示例', username: 'qh.auditor' },
  { organisation: 'PLATFORM', role: 'admin', name: '管理员 示例', username: 'platform.admin' },
  { organisation: 'GS-MZT', role: 'finance', name: '甘肃财务 示例', username: 'gs.finance' },
  { organisation: 'OTHER-FDN', role: 'foundation_viewer', name: '另一基金会 示例', username: 'other.viewer' },
];

export async function isEmpty(db: PrismaClient): Promise<boolean> {
  return (await db.organisation.count()) === 0;
}

export interface SeedOptions {
  /** The real clock (default: the system's). The history sets the business clock day by day and restores this one. */
  now?: () => Date;
}

export async function seedDemo(db: PrismaClient, vault: PiiVault, options: SeedOptions = {}): Promise<DemoToken[]> {
  const orgs = new Map<string, { id: string; kind: OrganisationKind }>();
  for (const o of ORGANISATIONS) {
    const id = randomUUID();
    await db.organisation.create({ data: { id, ...o } });
    orgs.set(o.code, { id, kind: o.kind });
  }
  const tokens: DemoToken[] = [];
  const actors = new Map<string, Actor>();
  for (const u of USERS) {
    const org = orgs.get(u.organisation) as { id: string; kind: OrganisationKind };
    const { id } = await createUser(db, { organisationId: org.id, displayName: u.name, role: u.role });
    const { secret } = await issueToken(db, { userId: id, label: 'demo' });
    // A fresh random password per demo database: printed at start, never the same on two machines.
    const password = `demo-${randomToken(9)}`;
    await db.appUser.update({ where: { id }, data: { username: u.username, passwordHash: await hashPassword(password), passwordChangedAt: new Date() } });
    tokens.push({ organisation: u.organisation, role: u.role, user: u.name, token: secret, username: u.username, password });
    actors.set(`${u.organisation}/${u.role}`, { userId: id, organisationId: org.id, organisationKind: org.kind, role: u.role });
  }
  const ctx = (key: string): ServiceContext => ({ db, vault, actor: actors.get(key) as Actor, requestId: 'demo-seed' });
  // The audit office is engaged on every programme, from before the programme's first year, open-ended.
  await createAuditEngagement({
    ctx: ctx('PLATFORM/admin'),
    input: { auditorOrganisationId: (orgs.get('QH-AUDIT') as { id: string }).id, scope: 'all', startsOn: '2024-01-01', endsOn: null },
  });
  const now = options.now ?? (() => new Date());
  const funderId = (orgs.get('QINGSHAN-FDN') as { id: string }).id;

  try {
    // From the programme's first year to the year after the current one, so the demo works in any year.
    setBusinessClock(now);
    const today = todayInChina();
    const current = academicYearContaining(today)?.startYear ?? 2026;
    const years = Array.from({ length: Math.max(current + 1, 2027) - 2024 + 1 }, (_, i) => formatAcademicYear(2024 + i));
    const programme = await createProgramme({
      ctx: ctx('PLATFORM/admin'),
      input: {
        code: 'QH-QINGSHAN-ZXGC',
        name: '青山陪伴·事实无人抚养儿童助学工程',
        funderId,
        administratorId: (orgs.get('QH-MZT') as { id: string }).id,
        firstAcademicYear: years[0] as string,
        lastAcademicYear: years[years.length - 1] as string,
        instalmentPlan: 'semesters',
        budget: '1500000.00',
        payoutAccount: DEMO_PAYOUT_ACCOUNT,
        // 3,000–5,000 CNY per student and year, as published; per level inside that range.
        bands: years.flatMap((academicYear) =>
          (Object.keys(BANDS) as (keyof typeof BANDS)[]).map((level) => ({
            academicYear,
            level,
            minAmount: `${BANDS[level].min}.00`,
            maxAmount: `${BANDS[level].max}.00`,
          })),
        ),
      },
    });

    const history = new DemoHistory(
      { caseworker: ctx('QH-MZT/caseworker'), approver: ctx('QH-MZT/approver'), finance: ctx('QH-MZT/finance') },
      { id: programme.id, remitterId: funderId, account: DEMO_PAYOUT_ACCOUNT },
    );
    await history.run();
    await checkFigures(ctx('PLATFORM/admin'), programme.id);

    // The empowerment track beside the grants: 83 person-times across 2024–2026 ("80 多人次").
    const graduated = await db.enrolment.findMany({ where: { status: 'graduated' }, select: { studentId: true } });
    await replayEmpowerment(
      { coordinator: ctx('QINGSHAN-FDN/coordinator'), caseworker: ctx('QH-MZT/caseworker') },
      programme.id,
      history.students,
      new Set(graduated.map((e) => e.studentId)),
    );
    await checkEmpowermentFigures(ctx('PLATFORM/admin'), programme.id);

    // The year in progress, on the real day: reviewed, nothing approved yet (see DemoHistory.openYear).
    setBusinessClock(now);
    if (current >= 2026) await history.openYear(todayInChina(), current);
  } finally {
    setBusinessClock(now);
  }
  return tokens;
}

/** The programme's account, at a real bank's branch; the account number and CNAPS code are fictional. */
export const DEMO_PAYOUT_ACCOUNT = {
  accountNumber: '63050161360000000188',
  accountName: '青海省民政厅',
  bankName: '中国建设银行西宁城西支行',
  bankCode: '105851000188',
};

/** The empowerment track must give its published person-times too. */
async function checkEmpowermentFigures(ctx: ServiceContext, programmeId: string): Promise<void> {
  const figures = await programmeEmpowermentFigures({ ctx, input: { programmeId } });
  if (figures.cumulative.total !== PUBLISHED_EMPOWERMENT_PERSON_TIMES) {
    throw new Error(`demo empowerment person-times ${figures.cumulative.total} are not ${PUBLISHED_EMPOWERMENT_PERSON_TIMES}`);
  }
}

/** The history must give the published figures; a plan that does not is a bug, not a demo. */
async function checkFigures(ctx: ServiceContext, programmeId: string): Promise<void> {
  const summary = await programmeGrantSummary({ ctx, input: { programmeId } });
  const seen = [...summary.years.map((y) => [y.academicYear, y.grants, y.committed]), [null, summary.cumulative.grants, summary.cumulative.committed]];
  const expected = [...COHORTS.map((c) => [`${c.year}-${c.year + 1}`, c.grants, `${c.total}.00`]), [null, 227, '840000.00']];
  if (JSON.stringify(seen) !== JSON.stringify(expected)) throw new Error(`demo figures ${JSON.stringify(seen)} are not ${JSON.stringify(expected)}`);
}
