// Starting a reconciliation from the page: the form, the job followed to its run, the same form
// posted twice starting one run, a missing statement explained next to its field in Chinese, a
// run already under way, a forged post, and the form for roles that may not run one.
import { beforeAll, describe, expect, it } from 'vitest';
import { type PageBrowser, signedInBrowser } from '../support/page-browser.ts';
import { makeApprovedGrants, makePayoutProgramme } from '../support/payouts.ts';
import { useTestApp } from '../support/test-app.ts';

const t = useTestApp();
let auditor: PageBrowser;
let programmeId: string;

const textOf = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
const hidden = (html: string, name: string) => new RegExp(`name="${name}" value="([^"]+)"`).exec(html)![1]!;

/** The form as the page rendered it, with the checks and files chosen. */
async function filledForm(browser: PageBrowser, fields: { checks: string[]; statements?: File[] }) {
  const page = await browser.request('GET', '/reconciliation/new');
  expect(page.status).toBe(200);
  const form = new FormData();
  form.append('csrf', hidden(page.html, 'csrf'));
  form.append('formKey', hidden(page.html, 'formKey'));
  form.append('programmeId', programmeId);
  for (const check of fields.checks) form.append('checks', check);
  for (const file of fields.statements ?? []) form.append('statements', file);
  form.append('csvPreset', 'generic-cn');
  // A file input left empty (a browser sends a file with no name and no bytes; this client, text).
  form.append('remittances', new File([], ''));
  return form;
}

/** Follows the job page (as its refresh would) until it sends the browser on to the run. */
async function followJob(browser: PageBrowser, location: string): Promise<string> {
  for (let i = 0; i < 600; i++) {
    const res = await browser.request('GET', location);
    if (res.status === 303) return res.location!;
    expect(res.status).toBe(200);
    expect(res.html).toContain('http-equiv="refresh"');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('the job did not finish');
}

beforeAll(async () => {
  const programme = await makePayoutProgramme(t.world, '20000.00');
  programmeId = programme.id;
  await makeApprovedGrants(t.db.prisma, t.world, programme.id, ['4000.00']);
  auditor = await signedInBrowser(t.app, t.db.prisma, t.world.users.auditor.actor.userId);
}, 120_000);

describe('running a reconciliation from the page', () => {
  it('starts a job, follows it, and lands on the run with its result; the same form posted again starts nothing more', async () => {
    const form = await filledForm(auditor, { checks: ['ledger', 'rules', 'figures'] });
    const posted = await auditor.request('POST', '/reconciliation/new', form);
    expect(posted.status).toBe(303);
    expect(posted.location).toMatch(/^\/reconciliation\/jobs\/[0-9a-f-]{36}$/);
    const again = await auditor.request('POST', '/reconciliation/new', form);
    expect(again).toMatchObject({ status: 303, location: posted.location });
    expect(await t.db.prisma.reconciliationJob.count({ where: { programmeId } })).toBe(1);

    const runPath = await followJob(auditor, posted.location!);
    expect(runPath).toMatch(/^\/reconciliation\/[0-9a-f-]{36}$/);
    const run = await auditor.request('GET', runPath);
    expect(run.status).toBe(200);
    expect(textOf(run.html)).toContain('无差异：所有检查均通过');
    const user = await t.db.prisma.appUser.findUniqueOrThrow({ where: { id: t.world.users.auditor.actor.userId } });
    expect(textOf(run.html)).toContain(`操作员 ${user.displayName}`);
  });

  it('the bank check without a statement: the form again, the reason in Chinese next to the field, nothing started', async () => {
    const jobs = await t.db.prisma.reconciliationJob.count();
    const res = await auditor.request('POST', '/reconciliation/new', await filledForm(auditor, { checks: ['bank'] }));
    expect(res.status).toBe(400);
    expect(res.html).toMatch(/<p class="field-error" id="statements-error">[^<]*对账单/);
    expect(res.html).toMatch(/id="statements"[^>]*aria-invalid="true"/);
    expect(await t.db.prisma.reconciliationJob.count()).toBe(jobs);
  });

  it('a file that is no statement: the job says why in Chinese, naming the file', async () => {
    const notes = new File(['just some notes, not a statement\n'], 'notes.txt');
    const posted = await auditor.request('POST', '/reconciliation/new', await filledForm(auditor, { checks: ['bank'], statements: [notes] }));
    expect(posted.status).toBe(303);
    let page = await auditor.request('GET', posted.location!);
    for (let i = 0; i < 600 && page.html.includes('http-equiv="refresh"'); i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      page = await auditor.request('GET', posted.location!);
    }
    expect(page.status).toBe(200);
    expect(textOf(page.html)).toContain('对账：未能完成');
    expect(textOf(page.html)).toContain('notes.txt');
  });

  it('another run of the same programme under way: the form again with a link to it', async () => {
    await t.db.prisma.reconciliationJob.create({
      data: {
        id: crypto.randomUUID(),
        programmeId,
        programmeIds: [programmeId],
        checks: ['ledger'],
        inputs: [],
        status: 'running',
        requestedById: t.world.users.admin.actor.userId,
        operator: 'someone else',
        runnerId: crypto.randomUUID(),
        startedAt: new Date(),
      },
    });
    const res = await auditor.request('POST', '/reconciliation/new', await filledForm(auditor, { checks: ['ledger'] }));
    expect(res.status).toBe(409);
    expect(res.html).toMatch(/href="\/reconciliation\/jobs\/[0-9a-f-]{36}">查看进行中的对账/);
    await t.db.prisma.reconciliationJob.updateMany({ where: { programmeId, status: 'running' }, data: { status: 'interrupted', finishedAt: new Date() } });
  });

  it('a post without the session’s token is refused and starts nothing', async () => {
    const jobs = await t.db.prisma.reconciliationJob.count();
    const form = await filledForm(auditor, { checks: ['ledger'] });
    form.set('csrf', 'forged');
    const res = await auditor.request('POST', '/reconciliation/new', form);
    expect(res.status).toBe(403);
    expect(textOf(res.html)).toContain('表单已过期或不是从本系统提交的');
    expect(await t.db.prisma.reconciliationJob.count()).toBe(jobs);
  });

  it('is the 404 page for roles that may not run one, whether they open the form or post to it', async () => {
    const foundation = await signedInBrowser(t.app, t.db.prisma, t.world.users.foundationViewer.actor.userId);
    expect((await foundation.request('GET', '/reconciliation/new')).status).toBe(404);
    const form = new FormData();
    form.append('checks', 'ledger');
    form.append('programmeId', programmeId);
    expect((await foundation.request('POST', '/reconciliation/new', form)).status).toBe(404);
  });

  it('a statement over 64 MiB: the form again saying the limits, nothing started', async () => {
    const jobs = await t.db.prisma.reconciliationJob.count();
    const big = new File([new Uint8Array(64 * 1024 * 1024 + 1)], 'huge.camt053.xml');
    const res = await auditor.request('POST', '/reconciliation/new', await filledForm(auditor, { checks: ['bank'], statements: [big] }));
    expect(res.status).toBe(413);
    expect(textOf(res.html)).toContain('文件过大：每个文件不超过 64 MiB，合计不超过 128 MiB');
    expect(await t.db.prisma.reconciliationJob.count()).toBe(jobs);
  });
});
