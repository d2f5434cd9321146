// Payouts in transit past their programme's business days, through the API: finance's list to take
// up with the bank (GET /programmes/{id}/payouts/overdue), and the admin's setting of those days
// (PUT /programmes/{id}/settings).
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { setBusinessClock } from '../../src/domain/dates.ts';
import { createPayoutBatch } from '../../src/services/payouts/batches.ts';
import { TEST_TODAY } from '../support/business-clock.ts';
import { makeOrganisation, makeProgramme, makeUser } from '../support/fixtures.ts';
import { exportAndSendBatch, makeApprovedGrants, makePayoutProgramme, TODAY } from '../support/payouts.ts';
import { useTestApp } from '../support/test-app.ts';

const t = useTestApp();
let programmeId: string;
let references: string[];
let batchCode: string;

const on = (date: string) => setBusinessClock(() => new Date(`${date}T04:00:00.000Z`));

beforeAll(async () => {
  // Two payouts sent on Thursday 2026-11-26 (their requested execution date): due by Tuesday 2026-12-01.
  programmeId = (await makePayoutProgramme(t.world)).id;
  await makeApprovedGrants(t.db.prisma, t.world, programmeId, ['3000.00', '4000.00']);
  const batch = await createPayoutBatch({ ctx: t.world.users.finance.ctx, input: { programmeId, cutoffOn: TODAY() } });
  await exportAndSendBatch(t.world.users.finance.ctx, batch.id);
  batchCode = batch.code;
  references = (await t.db.prisma.payout.findMany({ where: { batchId: batch.id }, orderBy: { reference: 'asc' } })).map((p) => p.reference);
});

afterEach(() => on(TEST_TODAY));

describe('GET /programmes/{id}/payouts/overdue', () => {
  it('lists nothing within the business days, and each payout past them with its dates and how late, students masked', async () => {
    const within = await t.as.finance.get(`/api/v1/programmes/${programmeId}/payouts/overdue`);
    expect(within.status).toBe(200);
    expect(within.json).toMatchObject({ programmeId, asOf: TEST_TODAY, transitBusinessDays: 3, items: [], yearsWithoutCalendar: [] });

    on('2026-12-03');
    const late = await t.as.finance.get(`/api/v1/programmes/${programmeId}/payouts/overdue`);
    expect(late.status).toBe(200);
    expect(late.json.items.map((i: Record<string, unknown>) => [i.reference, i.requestedExecutionOn, i.dueOn, i.businessDaysOverdue])).toEqual(
      references.map((r) => [r, '2026-11-26', '2026-12-01', 2]),
    );
    const first = late.json.items[0];
    expect(first.batch.code).toBe(batchCode);
    expect(first.amount).toMatch(/^\d+\.\d{2}$/);
    expect(first.student.nameMasked).toMatch(/\*/);
    // The auditor and the admin see the same list.
    expect((await t.as.auditor.get(`/api/v1/programmes/${programmeId}/payouts/overdue`)).json.items).toHaveLength(2);
    expect((await t.as.admin.get(`/api/v1/programmes/${programmeId}/payouts/overdue`)).json.items).toHaveLength(2);
  });

  it('the programme’s own business days decide', async () => {
    on('2026-12-03');
    expect((await t.as.admin.put(`/api/v1/programmes/${programmeId}/settings`, { transitBusinessDays: 10 })).status).toBe(200);
    try {
      expect((await t.as.finance.get(`/api/v1/programmes/${programmeId}/payouts/overdue`)).json.items).toEqual([]);
    } finally {
      await t.as.admin.put(`/api/v1/programmes/${programmeId}/settings`, { transitBusinessDays: 3 });
    }
  });

  it('wrong role → 403; another organisation’s programme → 404; not a programme id → 400', async () => {
    for (const user of [t.world.users.caseworker, t.world.users.approver, t.world.users.foundationViewer]) {
      const res = await t.as(user).get(`/api/v1/programmes/${programmeId}/payouts/overdue`);
      expect({ role: user.actor.role, status: res.status }).toEqual({ role: user.actor.role, status: 403 });
    }
    const otherDepartment = await makeOrganisation(t.db.prisma, 'civil_affairs');
    const otherFinance = await makeUser(t.db.prisma, otherDepartment, 'finance');
    expect((await t.as(otherFinance).get(`/api/v1/programmes/${programmeId}/payouts/overdue`)).status).toBe(404);
    expect((await t.as.finance.get('/api/v1/programmes/not-an-id/payouts/overdue')).status).toBe(400);
  });

  it('is described in the OpenAPI document', async () => {
    const doc = await t.anonymous.get('/openapi.json');
    expect(doc.json.paths['/api/v1/programmes/{programmeId}/payouts/overdue']?.get?.summary).toMatch(/in transit/);
    expect(doc.json.paths['/api/v1/programmes/{programmeId}/settings']?.put?.summary).toMatch(/business days/);
    expect(doc.json.components.schemas.Programme.properties.transitBusinessDays).toBeDefined();
  });
});

describe('PUT /programmes/{id}/settings', () => {
  it('sets the business days in transit (1–30), audited; the programme shows them', async () => {
    const programme = await makeProgramme(t.world);
    expect(programme.transitBusinessDays).toBe(3);
    const res = await t.as.admin.put(`/api/v1/programmes/${programme.id}/settings`, { transitBusinessDays: 5 });
    expect(res.status).toBe(200);
    expect(res.json.transitBusinessDays).toBe(5);
    expect((await t.as.finance.get(`/api/v1/programmes/${programme.id}`)).json.transitBusinessDays).toBe(5);
    const audit = await t.db.prisma.auditEvent.findFirst({ where: { recordId: programme.id, action: 'programme.update' } });
    expect(audit).not.toBeNull();
  });

  it('refuses bad input naming the field, and changes nothing', async () => {
    const programme = await makeProgramme(t.world);
    for (const value of [0, 31, 2.5, '3', null]) {
      const res = await t.as.admin.put(`/api/v1/programmes/${programme.id}/settings`, { transitBusinessDays: value });
      expect({ value, status: res.status }).toEqual({ value, status: 400 });
      expect(res.json.errors.map((e: { path: string }) => e.path)).toContain('transitBusinessDays');
    }
    expect((await t.as.admin.put(`/api/v1/programmes/${programme.id}/settings`, { transitBusinessDays: 3, surprise: 1 })).status).toBe(400);
    expect((await t.db.prisma.programme.findUniqueOrThrow({ where: { id: programme.id } })).transitBusinessDays).toBe(3);
  });

  it('wrong role → 403; another department’s admin → 404', async () => {
    const programme = await makeProgramme(t.world);
    for (const user of [t.world.users.finance, t.world.users.caseworker, t.world.users.auditor]) {
      const res = await t.as(user).put(`/api/v1/programmes/${programme.id}/settings`, { transitBusinessDays: 4 });
      expect({ role: user.actor.role, status: res.status }).toEqual({ role: user.actor.role, status: 403 });
    }
    const otherDepartment = await makeOrganisation(t.db.prisma, 'civil_affairs');
    const otherAdmin = await makeUser(t.db.prisma, otherDepartment, 'admin');
    expect((await t.as(otherAdmin).put(`/api/v1/programmes/${programme.id}/settings`, { transitBusinessDays: 4 })).status).toBe(404);
    expect((await t.db.prisma.programme.findUniqueOrThrow({ where: { id: programme.id } })).transitBusinessDays).toBe(3);
  });
});
