// The audit trail page: names instead of ids, filters, a wrong date explained in Chinese, the CSV
// (itself audited), and nothing for a role without the audit right.
import { beforeAll, describe, expect, it } from 'vitest';
import { type PageBrowser, signedInBrowser } from '../support/page-browser.ts';
import { makeApprovedGrants, makePayoutProgramme } from '../support/payouts.ts';
import { useTestApp } from '../support/test-app.ts';

const t = useTestApp();
let auditor: PageBrowser;

const textOf = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

beforeAll(async () => {
  const programme = await makePayoutProgramme(t.world, '20000.00');
  await makeApprovedGrants(t.db.prisma, t.world, programme.id, ['4000.00']);
  auditor = await signedInBrowser(t.app, t.db.prisma, t.world.users.auditor.actor.userId);
}, 120_000);

describe('the audit trail page', () => {
  it('shows who acted by name and organisation, what, on which record, in Beijing time', async () => {
    const res = await auditor.request('GET', '/audit-trail');
    expect(res.status).toBe(200);
    const text = textOf(res.html);
    const approver = await t.db.prisma.appUser.findUniqueOrThrow({ where: { id: t.world.users.approver.actor.userId } });
    expect(text).toContain(`${approver.displayName} 青海省民政厅 批准年度资助 年度资助`);
    expect(text).toMatch(/\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}:\d{2}/);
    // The auditor's own sign-in is the newest event.
    expect(text.indexOf('登录')).toBeLessThan(text.indexOf('批准年度资助'));
  });

  it('filters by action and by Beijing day', async () => {
    const approvals = textOf((await auditor.request('GET', '/audit-trail?action=grant.approve')).html);
    expect(approvals).toContain('批准年度资助');
    expect(approvals).not.toContain('提出年度资助 年度资助');
    const longAgo = textOf((await auditor.request('GET', '/audit-trail?from=2001-01-01&to=2001-01-31')).html);
    expect(longAgo).toContain('没有符合条件的审计事件');
  });

  it('a wrong date is explained in Chinese next to the form (400); an unknown action is no filter', async () => {
    const res = await auditor.request('GET', '/audit-trail?from=2026-13-45');
    expect(res.status).toBe(400);
    expect(textOf(res.html)).toContain('筛选条件有误：日期应写为YYYY-MM-DD');
    expect(res.html).toMatch(/id="from"[^>]*aria-invalid="true"/);
    const reversed = await auditor.request('GET', '/audit-trail?from=2026-03-02&to=2026-03-01');
    expect(reversed.status).toBe(400);
    expect(textOf(reversed.html)).toContain('应晚于起始时间');
    expect((await auditor.request('GET', '/audit-trail?action=drop.table')).status).toBe(200);
  });

  it('downloads the filtered trail as CSV, and the download is itself on the trail', async () => {
    const res = await auditor.request('GET', '/audit-trail.csv?action=grant.approve');
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Disposition')).toBe('attachment; filename="audit-events.csv"');
    const lines = res.html
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toMatch(/^事件编号,发生时间/);
    expect(lines.slice(1).every((l) => l.includes(',grant.approve,'))).toBe(true);
    const exported = await t.db.prisma.auditEvent.findFirst({ where: { action: 'audit_event.export' }, orderBy: { id: 'desc' } });
    expect(exported).toMatchObject({ actorId: t.world.users.auditor.actor.userId });
  });

  it('is the 404 page for roles without the audit right (foundation, caseworker)', async () => {
    for (const role of ['foundationViewer', 'caseworker'] as const) {
      const browser = await signedInBrowser(t.app, t.db.prisma, t.world.users[role].actor.userId);
      for (const path of ['/audit-trail', '/audit-trail.csv']) {
        const res = await browser.request('GET', path);
        expect(res.status, `${role} ${path}`).toBe(404);
        expect(res.html).toContain('页面不存在');
      }
    }
  });
});

describe('events of the command-line tools', () => {
  it('name the tool and the operator who ran it', async () => {
    const { recordAudit } = await import('../../src/services/audit.ts');
    await recordAudit(
      t.db.prisma,
      {
        ...t.world.users.admin.ctx,
        actor: { ...t.world.users.admin.actor, userId: '00000000-0000-0000-0000-000000000000' },
        requestId: 'cli:token:revoke:zhang.wei',
      },
      {
        action: 'token.revoke',
        recordType: 'api_token',
        recordId: 'a-token',
      },
    );
    const text = textOf((await auditor.request('GET', '/audit-trail?action=token.revoke')).html);
    expect(text).toContain('命令行工具 token:revoke（操作员 zhang.wei）');
  });
});
