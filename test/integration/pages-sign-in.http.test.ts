// The sign-in pages through the app in-process: cookies, the CSRF checks (Origin and token), the
// neutral failure, the failed-attempt limit shared with tokens, sign-out, set-password links. The
// same flows run in a real browser in test/browser/.
import { describe, expect, it } from 'vitest';
import { FailureLimiter } from '../../src/http/failure-limiter.ts';
import { issuePasswordSetup } from '../../src/services/credentials.ts';
import { makeOrganisation, makeUser } from '../support/fixtures.ts';
import { makeApprovedGrants, makePayoutProgramme } from '../support/payouts.ts';
import { PASSWORD, PageBrowser } from '../support/page-browser.ts';
import { useTestApp } from '../support/test-app.ts';
import { makeApp } from '../support/http.ts';
import { testVault } from '../support/vault.ts';

const t = useTestApp();

/** The in-process browser of test/support/page-browser.ts, on this file's app unless given another. */
class Browser extends PageBrowser {
  constructor(target: { request: typeof t.app.request } = t.app) {
    super(target);
  }
}

let counter = 0;
async function person(role: 'caseworker' | 'foundation_viewer' | 'auditor' = 'caseworker') {
  const organisation = role === 'foundation_viewer' ? t.world.foundation : role === 'auditor' ? t.world.auditOffice : t.world.department;
  const user = await makeUser(t.db.prisma, organisation, role);
  const issued = await issuePasswordSetup({ ctx: t.world.users.admin.ctx, input: { userId: user.actor.userId, username: `page.${++counter}` } });
  const browser = new Browser();
  const form = await browser.request('GET', issued.link);
  expect(form.status).toBe(200);
  expect(form.html).toContain(issued.username);
  const set = await browser.request('POST', issued.link, { password: PASSWORD, confirmation: PASSWORD });
  expect(set).toMatchObject({ status: 303, location: '/?notice=password_set' });
  return { user, username: issued.username };
}

async function signedIn(username: string) {
  const browser = new Browser();
  const page = await browser.request('GET', '/');
  const res = await browser.request('POST', '/sign-in', { token: Browser.token(page.html), username, password: PASSWORD });
  expect(res).toMatchObject({ status: 303, location: '/home' });
  return browser;
}

describe('pages: sign-in', () => {
  it('/ is the sign-in page in Chinese, with labelled fields and a sign-in token; never cached', async () => {
    const res = await new Browser().request('GET', '/');
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toContain('text/html');
    expect(res.headers.get('Cache-Control')).toBe('no-store');
    expect(res.html).toContain('<html lang="zh-CN">');
    expect(res.html).toMatch(/<label for="username">用户名/);
    expect(res.html).toMatch(/<label for="password">密码/);
    expect(res.headers.getSetCookie().join()).toMatch(/sl_signin=[^;]+;.*HttpOnly/);
  });

  it('the right password: a session cookie (HttpOnly, SameSite=Lax, not Secure over plain HTTP), then the role’s home page', async () => {
    const { username } = await person();
    const browser = new Browser();
    const page = await browser.request('GET', '/');
    const res = await browser.request('POST', '/sign-in', { token: Browser.token(page.html), username, password: PASSWORD });
    expect(res).toMatchObject({ status: 303, location: '/home' });
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('sl_session='))!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).not.toMatch(/Secure/);
    const home = await browser.request('GET', '/home');
    expect(home.status).toBe(200);
    expect(home.html).toContain('经办人工作台');
    // The caseworker's own pages, linked from home.
    expect(home.html).toContain('<a href="/students">学生</a>');
  });

  it('behind HTTPS the session cookie is Secure', async () => {
    const { username } = await person();
    const browser = new Browser();
    const page = await t.app.request('https://ledger.example/', { headers: { Accept: 'text/html' } });
    const signInCookie = page.headers.getSetCookie()[0]!.split(';')[0]!;
    const res = await t.app.request('https://ledger.example/sign-in', {
      method: 'POST',
      headers: { Origin: 'https://ledger.example', Cookie: signInCookie, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: Browser.token(await page.text()), username, password: PASSWORD }).toString(),
    });
    expect(res.status).toBe(303);
    expect(res.headers.getSetCookie().find((c) => c.startsWith('sl_session='))).toMatch(/; Secure/);
    expect(browser.cookies.size).toBe(0);
  });

  it('a wrong password and an unknown user get the same page and status', async () => {
    const { username } = await person();
    const answers = [];
    for (const [name, password] of [
      [username, 'wrong password!!'],
      ['nobody.at.all', PASSWORD],
    ] as const) {
      const browser = new Browser();
      const page = await browser.request('GET', '/');
      answers.push(await browser.request('POST', '/sign-in', { token: Browser.token(page.html), username: name, password }));
    }
    for (const res of answers) {
      expect(res.status).toBe(401);
      expect(res.html).toContain('用户名或密码不正确');
      expect(res.headers.getSetCookie().some((c) => c.startsWith('sl_session='))).toBe(false);
    }
  });

  it('a post without the right Origin or token is refused (403) and signs nobody in', async () => {
    const { username } = await person();
    const browser = new Browser();
    const page = await browser.request('GET', '/');
    const token = Browser.token(page.html);
    const crossSite = await browser.request('POST', '/sign-in', { token, username, password: PASSWORD }, { Origin: 'https://evil.example' });
    expect(crossSite.status).toBe(403);
    expect(crossSite.html).toContain('表单已过期或来源不明');
    const noToken = await browser.request('POST', '/sign-in', { username, password: PASSWORD });
    expect(noToken.status).toBe(403);
    const signedInBrowser = await signedIn(username);
    const home = await signedInBrowser.request('GET', '/home');
    const forged = await signedInBrowser.request('POST', '/sign-out', { csrf: 'not-the-token' });
    expect(forged.status).toBe(403);
    expect((await signedInBrowser.request('GET', '/home')).status).toBe(200);
    expect(Browser.token(home.html, 'csrf')).toBeTruthy();
  });

  it('sign-out ends the session: the old cookie no longer opens /home', async () => {
    const { username } = await person();
    const browser = await signedIn(username);
    const home = await browser.request('GET', '/home');
    const session = browser.cookies.get('sl_session')!;
    const out = await browser.request('POST', '/sign-out', { csrf: Browser.token(home.html, 'csrf') });
    expect(out).toMatchObject({ status: 303, location: '/?notice=signed_out' });
    const replay = new Browser();
    replay.cookies.set('sl_session', session);
    expect(await replay.request('GET', '/home')).toMatchObject({ status: 303, location: '/?notice=ended' });
    expect((await new Browser().request('GET', '/home')).location).toBe('/');
  });

  it('repeated failures from one address are limited with the same limiter as tokens (429, Retry-After)', async () => {
    const limiter = new FailureLimiter({ maxFailures: 3, windowMs: 60_000, maxKeys: 10 });
    const limited = makeApp(t.db.prisma, await testVault(), { authFailures: limiter }).app;
    const { username } = await person();
    const browser = new Browser(limited);
    for (let i = 0; i < 3; i++) {
      const page = await browser.request('GET', '/');
      expect((await browser.request('POST', '/sign-in', { token: Browser.token(page.html), username, password: 'wrong password!!' })).status).toBe(401);
    }
    const page = await browser.request('GET', '/');
    const res = await browser.request('POST', '/sign-in', { token: Browser.token(page.html), username, password: PASSWORD });
    expect(res.status).toBe(429);
    expect(res.headers.get('Retry-After')).toMatch(/^\d+$/);
    expect(res.html).toContain('登录失败次数过多');
  });

  it('a used or made-up set-password link shows a Chinese page, not the form', async () => {
    for (const path of ['/password/setup/ps_made-up', '/password/setup/x']) {
      const res = await new Browser().request('GET', path);
      expect(res.status).toBe(404);
      expect(res.html).toContain('该链接无效');
    }
  });

  it('an unknown page answers a Chinese 404 page to a browser, problem+json to others', async () => {
    const page = await new Browser().request('GET', '/no-such-page');
    expect(page.status).toBe(404);
    expect(page.html).toContain('页面不存在');
    const api = await t.app.request('/no-such-page');
    expect(api.headers.get('Content-Type')).toContain('application/problem+json');
  });
});

describe('pages: a programme’s money', () => {
  it('the foundation sees its programme: the ledger now and the figures per year, in yuan, from the same services as the API', async () => {
    const programme = await makePayoutProgramme(t.world, '20000.00');
    await makeApprovedGrants(t.db.prisma, t.world, programme.id, ['4000.00', '3500.00']);
    const { username } = await person('foundation_viewer');
    const browser = await signedIn(username);
    const list = await browser.request('GET', '/programmes');
    expect(list.status).toBe(200);
    expect(list.html).toContain(`href="/programmes/${programme.id}"`);
    const page = await browser.request('GET', `/programmes/${programme.id}`);
    expect(page.status).toBe(200);
    expect(page.html).toContain('¥20,000.00'); // received
    expect(page.html).toContain('¥12,500.00'); // not yet committed: 20,000 − 7,500
    expect(page.html).toContain('¥7,500.00'); // committed, by year and cumulatively
    expect(page.html).toMatch(/<th scope="row"><a href="[^"]+\/grants\?year=2026-2027">2026-2027<\/a><\/th><td class="money">2<\/td><td class="money">2<\/td>/);
  });

  it('another foundation’s programme, a made-up id and a malformed one all answer the same 404 page; without a session, the sign-in page', async () => {
    const programme = await makePayoutProgramme(t.world, '1000.00');
    const other = await makeOrganisation(t.db.prisma, 'foundation');
    const stranger = await makeUser(t.db.prisma, other, 'foundation_viewer');
    const issued = await issuePasswordSetup({ ctx: t.world.users.admin.ctx, input: { userId: stranger.actor.userId, username: `stranger.${++counter}` } });
    const setter = new Browser();
    await setter.request('POST', issued.link, { password: PASSWORD, confirmation: PASSWORD });
    const browser = await signedIn(issued.username);
    const answers = await Promise.all(
      [`/programmes/${programme.id}`, '/programmes/00000000-0000-4000-8000-000000000000', '/programmes/not-an-id'].map((path) => browser.request('GET', path)),
    );
    for (const res of answers) {
      expect(res.status).toBe(404);
      expect(res.html).toContain('页面不存在');
      expect(res.html).not.toContain(programme.name);
    }
    const list = await browser.request('GET', '/programmes');
    expect(list.html).not.toContain(programme.id);
    expect(await new Browser().request('GET', `/programmes/${programme.id}`)).toMatchObject({ status: 303, location: '/' });
  });
});

describe('pages: the auditor verifies both chains', () => {
  it('an auditor engaged on every programme sees both chains pass, with their heads and the time of the check', async () => {
    await makePayoutProgramme(t.world, '5000.00');
    const { username } = await person('auditor');
    const browser = await signedIn(username);
    const page = await browser.request('GET', '/verification');
    expect(page.status).toBe(200);
    expect(page.html).toContain('账本哈希链');
    expect(page.html).toContain('通过：序号连续');
    expect(page.html).toContain('通过：审计日志未被修改');
    const [head] = await t.db.prisma.$queryRawUnsafe<{ seq: bigint; hash: string }[]>('SELECT seq, hash FROM ledger_transaction ORDER BY seq DESC LIMIT 1');
    expect(page.html).toContain(head!.hash);
    expect(page.html).toMatch(/核验时间：\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}:\d{2}/);
  });

  it('a tampered ledger is reported on the page, naming the transaction', async () => {
    const { username } = await person('auditor');
    const browser = await signedIn(username);
    const [original] = await t.db.prisma.$queryRawUnsafe<{ description: string }[]>('SELECT description FROM ledger_transaction WHERE seq = 1');
    // As a superuser could, around the triggers; put back afterwards so that later tests see an intact ledger.
    const setDescription = (text: string) =>
      t.db.prisma.$transaction(async (tx) => {
        await tx.$executeRawUnsafe('SET LOCAL session_replication_role = replica');
        await tx.$executeRaw`UPDATE ledger_transaction SET description = ${text} WHERE seq = 1`;
      });
    await setDescription('edited');
    try {
      const page = await browser.request('GET', '/verification');
      expect(page.html).toContain('未通过');
      expect(page.html).toContain('交易 1');
    } finally {
      await setDescription(original!.description);
    }
    expect((await browser.request('GET', '/verification')).html).toContain('通过：序号连续');
  });

  it('a caseworker and a foundation officer get the 404 page', async () => {
    for (const role of ['caseworker', 'foundation_viewer'] as const) {
      const { username } = await person(role);
      const res = await (await signedIn(username)).request('GET', '/verification');
      expect(res.status, role).toBe(404);
      expect(res.html).not.toContain('账本哈希链');
    }
  });
});

describe('pages: one’s own sessions', () => {
  it('lists the person’s live sessions, ends another one (revoked, audited), and ending the current one signs out', async () => {
    const { username } = await person();
    const laptop = await signedIn(username);
    const phone = await signedIn(username);
    const page = await laptop.request('GET', '/account/sessions');
    expect(page.status).toBe(200);
    const ids = [...page.html.matchAll(/action="\/account\/sessions\/([0-9a-f-]{36})\/end"/g)].map((m) => m[1]!);
    expect(ids).toHaveLength(2);
    expect(page.html).toContain('（本次登录）');
    const phoneSession = (await t.db.prisma.webSession.findMany({ where: { id: { in: ids } }, orderBy: { createdAt: 'desc' } }))[0]!;
    const csrf = Browser.token(page.html, 'csrf');
    const ended = await laptop.request('POST', `/account/sessions/${phoneSession.id}/end`, { csrf });
    expect(ended).toMatchObject({ status: 303, location: '/account/sessions' });
    expect((await phone.request('GET', '/home')).location).toBe('/?notice=ended');
    expect(await t.db.prisma.auditEvent.count({ where: { action: 'session.revoke', recordId: phoneSession.id } })).toBe(1);
    const current = ids.find((id) => id !== phoneSession.id)!;
    const out = await laptop.request('POST', `/account/sessions/${current}/end`, { csrf });
    expect(out).toMatchObject({ status: 303, location: '/?notice=signed_out' });
    expect((await laptop.request('GET', '/home')).status).toBe(303);
  });

  it('another person’s session cannot be ended (404 page), nor any without the form’s token (403)', async () => {
    const a = await person();
    const b = await person();
    const browserA = await signedIn(a.username);
    const browserB = await signedIn(b.username);
    const pageB = await browserB.request('GET', '/account/sessions');
    const idB = /action="\/account\/sessions\/([0-9a-f-]{36})\/end"/.exec(pageB.html)![1]!;
    const pageA = await browserA.request('GET', '/account/sessions');
    expect((await browserA.request('POST', `/account/sessions/${idB}/end`, { csrf: Browser.token(pageA.html, 'csrf') })).status).toBe(404);
    expect((await browserB.request('POST', `/account/sessions/${idB}/end`, { csrf: 'wrong' })).status).toBe(403);
    expect((await browserB.request('GET', '/home')).status).toBe(200);
  });
});
