// The reconciliation pages: the runs in the reader's scope, one run with its facts, checks and
// breaks, and its three reports downloaded byte for byte as the run wrote them.
import { beforeAll, describe, expect, it } from 'vitest';
import { type PageBrowser, signedInBrowser } from '../support/page-browser.ts';
import { makeApprovedGrants, makePayoutProgramme } from '../support/payouts.ts';
import { makeReconciliationRun } from '../support/reconciliation.ts';
import { useTestApp } from '../support/test-app.ts';

const t = useTestApp();
let auditor: PageBrowser;
let run: Awaited<ReturnType<typeof makeReconciliationRun>>;

const textOf = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

beforeAll(async () => {
  const programme = await makePayoutProgramme(t.world, '20000.00');
  await makeApprovedGrants(t.db.prisma, t.world, programme.id, ['4000.00']);
  run = await makeReconciliationRun(t.db.prisma, { programmeId: programme.id, operator: 'li.na' });
  auditor = await signedInBrowser(t.app, t.db.prisma, t.world.users.auditor.actor.userId);
}, 120_000);

describe('reconciliation pages', () => {
  it('lists the run with its scope, checks, result and operator', async () => {
    const res = await auditor.request('GET', '/reconciliation');
    expect(res.status).toBe(200);
    expect(res.html).toContain(`href="/reconciliation/${run.id}"`);
    expect(textOf(res.html)).toMatch(/账本、业务规则、统计数字 无差异 0 li\.na/);
  });

  it('shows one run: its facts, each check and the report hash', async () => {
    const res = await auditor.request('GET', `/reconciliation/${run.id}`);
    expect(res.status).toBe(200);
    const text = textOf(res.html);
    expect(text).toContain('无差异：所有检查均通过');
    expect(text).toContain(run.reports.json.match(/"reportSha256":\s*"([0-9a-f]{64})"/)![1]!);
    for (const label of ['账本完整性', '业务规则', '项目数字']) expect(text).toContain(label);
  });

  it('downloads the three reports exactly as the run wrote them', async () => {
    const txt = await auditor.request('GET', `/reconciliation/${run.id}/report.txt`);
    expect(txt.status).toBe(200);
    expect(txt.html).toBe(run.reports.text);
    expect((await auditor.request('GET', `/reconciliation/${run.id}/report.json`)).html).toBe(run.reports.json);
    const csv = await auditor.request('GET', `/reconciliation/${run.id}/report.csv`);
    expect(csv.headers.get('Content-Disposition')).toBe(`attachment; filename="reconciliation-${run.id}.csv"`);
    expect(csv.html).toBe(run.reports.csv);
  });

  it('a made-up run and a malformed id answer the 404 page', async () => {
    expect((await auditor.request('GET', '/reconciliation/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await auditor.request('GET', '/reconciliation/nope/report.txt')).status).toBe(404);
  });
});
