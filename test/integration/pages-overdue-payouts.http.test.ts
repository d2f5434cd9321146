// Payouts in transit past their programme's business days, on finance's pages: the programme's
// bank-answer page and the home block list them (reference, masked student, amount, batch,
// requested execution date, business days overdue); roles that do not follow payouts up do not
// see the list; another department gets the 404 page.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { setBusinessClock } from '../../src/domain/dates.ts';
import { createPayoutBatch } from '../../src/services/payouts/batches.ts';
import { TEST_TODAY } from '../support/business-clock.ts';
import { financeBrowsers, textOf } from '../support/finance-pages.ts';
import type { PageBrowser } from '../support/page-browser.ts';
import { exportAndSendBatch, makeApprovedGrants, makePayoutProgramme, TODAY } from '../support/payouts.ts';
import { useTestApp } from '../support/test-app.ts';

const t = useTestApp();
let finance: PageBrowser, caseworker: PageBrowser, otherFinance: PageBrowser;
let programme: { id: string; name: string };
let payouts: { reference: string; amount: string; nameMasked: string }[];
let batchCode: string;

const on = (date: string) => setBusinessClock(() => new Date(`${date}T04:00:00.000Z`));

beforeAll(async () => {
  ({ finance, caseworker, otherFinance } = await financeBrowsers(t));
  programme = await makePayoutProgramme(t.world);
  await makeApprovedGrants(t.db.prisma, t.world, programme.id, ['3000.00', '4000.00']);
  const batch = await createPayoutBatch({ ctx: t.world.users.finance.ctx, input: { programmeId: programme.id, cutoffOn: TODAY() } });
  await exportAndSendBatch(t.world.users.finance.ctx, batch.id);
  batchCode = batch.code;
  const rows = await t.db.prisma.payout.findMany({ where: { batchId: batch.id }, orderBy: { reference: 'asc' } });
  const students = await t.db.prisma.student.findMany({ where: { id: { in: rows.map((p) => p.studentId) } } });
  payouts = rows.map((p) => ({
    reference: p.reference,
    amount: p.amount.toFixed(2),
    nameMasked: students.find((s) => s.id === p.studentId)!.nameMasked,
  }));
}, 120_000);

afterEach(() => on(TEST_TODAY));

const resultsPage = () => `/programmes/${programme.id}/bank-results`;

describe('overdue payouts in transit on the bank-answer page', () => {
  it('within the business days: the page says there are none', async () => {
    const page = await finance.request('GET', resultsPage());
    expect(page.status).toBe(200);
    expect(textOf(page.html)).toContain('没有逾期的在途付款');
  });

  it('past them: each payout with its masked student, amount, batch, requested execution date and business days overdue', async () => {
    on('2026-12-04');
    const page = await finance.request('GET', resultsPage());
    expect(page.status).toBe(200);
    const text = textOf(page.html);
    expect(text).toContain('在途逾期，银行未入账');
    for (const p of payouts) {
      expect(text).toContain(p.reference);
      expect(text).toContain(p.nameMasked);
    }
    expect(text).toContain(batchCode);
    expect(text).toContain('2026-11-26');
    expect(text).toContain('2026-12-01');
    // Wednesday, Thursday: 2 business days after Tuesday's due day… and Friday: 3.
    expect(page.html).toMatch(/<td class="money">3<\/td>/);
  });

  it('a role that does not follow payouts up sees the page without the list; another department gets the 404 page', async () => {
    on('2026-12-04');
    const page = await caseworker.request('GET', resultsPage());
    expect(page.status).toBe(200);
    expect(textOf(page.html)).not.toContain('在途逾期');
    expect((await otherFinance.request('GET', resultsPage())).status).toBe(404);
  });
});

describe("overdue payouts in transit on finance's home", () => {
  it('the block lists them under their programme; nothing when none is overdue', async () => {
    const before = await finance.request('GET', '/home');
    expect(textOf(before.html)).not.toContain(`${programme.name}：在途逾期`);
    on('2026-12-04');
    const home = await finance.request('GET', '/home');
    expect(home.status).toBe(200);
    const text = textOf(home.html);
    expect(text).toContain(`${programme.name}：在途逾期，银行未入账`);
    for (const p of payouts) expect(text).toContain(p.reference);
    // The list is on the page: not among the things still done through the API only.
    expect(text).not.toContain('(payout.follow_up)');
    // Another department's finance officer does not see them.
    expect(textOf((await otherFinance.request('GET', '/home')).html)).not.toContain(payouts[0]!.reference);
  });
});
