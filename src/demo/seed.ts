// Demo data for a newcomer's first `npm start`: the Qinghai programme's organisations, one user
// and token per role, the programme with its 3,000–5,000 CNY bands, and the foundation's first
// transfers. Only loaded into an empty database; fictional people only.
import { randomUUID } from 'node:crypto';
import type { PrismaClient } from '../generated/prisma/client.ts';
import type { Role } from '../domain/roles.ts';
import type { PiiVault } from '../privacy/pii-vault.ts';
import type { Actor, OrganisationKind, ServiceContext } from '../services/context.ts';
import { academicYearContaining, formatAcademicYear } from '../domain/academic-year.ts';
import { todayInChina } from '../domain/dates.ts';
import { createProgramme } from '../services/programmes.ts';
import { seedDemoStudents } from './demo-students.ts';
import { recordFundingReceipt } from '../services/funding-receipts.ts';
import { createUser, issueToken } from '../services/tokens.ts';

export interface DemoToken {
  organisation: string;
  role: Role;
  user: string;
  token: string;
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

const USERS: { organisation: string; role: Role; name: string }[] = [
  { organisation: 'QH-MZT', role: 'caseworker', name: '经办人 示例' },
  { organisation: 'QH-MZT', role: 'approver', name: '审核人 示例' },
  { organisation: 'QH-MZT', role: 'finance', name: '财务 示例' },
  { organisation: 'QINGSHAN-FDN', role: 'foundation_viewer', name: '基金会 示例' },
  { organisation: 'QH-AUDIT', role: 'auditor', name: '审计 示例' },
  { organisation: 'PLATFORM', role: 'admin', name: '管理员 示例' },
  { organisation: 'GS-MZT', role: 'finance', name: '甘肃财务 示例' },
  { organisation: 'OTHER-FDN', role: 'foundation_viewer', name: '另一基金会 示例' },
];

export async function isEmpty(db: PrismaClient): Promise<boolean> {
  return (await db.organisation.count()) === 0;
}

export async function seedDemo(db: PrismaClient, vault: PiiVault): Promise<DemoToken[]> {
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
    tokens.push({ organisation: u.organisation, role: u.role, user: u.name, token: secret });
    actors.set(`${u.organisation}/${u.role}`, { userId: id, organisationId: org.id, organisationKind: org.kind, role: u.role });
  }
  const ctx = (key: string): ServiceContext => ({ db, vault, actor: actors.get(key) as Actor, requestId: 'demo-seed' });

  // From the programme's first year to the year after the current one, so the demo works in any year.
  const current = academicYearContaining(todayInChina())?.startYear ?? 2026;
  const years = Array.from({ length: Math.max(current + 1, 2027) - 2024 + 1 }, (_, i) => formatAcademicYear(2024 + i));
  const programme = await createProgramme({
    ctx: ctx('PLATFORM/admin'),
    input: {
      code: 'QH-QINGSHAN-ZXGC',
      name: '青山陪伴·事实无人抚养儿童助学工程',
      funderId: (orgs.get('QINGSHAN-FDN') as { id: string }).id,
      administratorId: (orgs.get('QH-MZT') as { id: string }).id,
      firstAcademicYear: years[0] as string,
      lastAcademicYear: years[years.length - 1] as string,
      instalmentPlan: 'semesters',
      budget: '1500000.00',
      // A fictional account at a real bank's branch name; the CNAPS code is fictional too.
      payoutAccount: { accountNumber: '63050161360000000188', accountName: '青海省民政厅', bankName: '中国建设银行西宁城西支行', bankCode: '105851000188' },
      bands: years.flatMap((academicYear) =>
        (['higher_vocational', 'junior_college', 'undergraduate'] as const).map((level) => ({
          academicYear,
          level,
          minAmount: '3000.00',
          maxAmount: '5000.00',
        })),
      ),
    },
  });
  const remitterId = (orgs.get('QINGSHAN-FDN') as { id: string }).id;
  for (const receipt of [
    { amount: '300000.00', receivedOn: '2024-09-02', bankReference: 'QS-2024-0001' },
    { amount: '540000.00', receivedOn: '2025-09-01', bankReference: 'QS-2025-0001' },
  ]) {
    await recordFundingReceipt({ ctx: ctx('QH-MZT/finance'), input: { programmeId: programme.id, remitterId, ...receipt } });
  }
  await seedDemoStudents(ctx('QH-MZT/caseworker'), ctx('QH-MZT/approver'), programme.id);
  return tokens;
}
