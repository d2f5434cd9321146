// What the finance page tests share: the hidden fields of one form on a page (a page may carry
// several: send and cancel on a batch), the text a person reads, and the programme's balances
// straight from the ledger.
import { formatMoney } from '../../src/domain/money.ts';
import type { PrismaClient } from '#prisma';
import { programmeBalances } from '../../src/ledger/balances.ts';
import { makeOrganisation, makeUser } from './fixtures.ts';
import { type PageBrowser, signedInBrowser } from './page-browser.ts';
import type { TestApp } from './test-app.ts';

/** The text of a page without tags, spaces folded: what a person reads. */
export const textOf = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

/** The CSRF token and form key of the form posting to `action` on the page. */
export function formKeysOf(html: string, action: string): { csrf: string; formKey: string } {
  const escaped = action.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const m = new RegExp(`action="${escaped}"[^>]*><input type="hidden" name="csrf" value="([^"]+)"/><input type="hidden" name="formKey" value="([^"]+)"`).exec(
    html,
  );
  if (!m) throw new Error(`no form posting to ${action} on the page`);
  return { csrf: m[1]!, formKey: m[2]! };
}

/** Opens `page` and returns the keys of its form posting to `action` (default: the page itself). */
export async function openForm(browser: PageBrowser, page: string, action = page) {
  const res = await browser.request('GET', page);
  if (res.status !== 200) throw new Error(`GET ${page} → ${res.status}`);
  return { ...formKeysOf(res.html, action), html: res.html };
}

/** The CSRF token of a signed-in browser (from its home page), for posts a role cannot open the form of. */
export async function csrfOf(browser: PageBrowser): Promise<string> {
  const home = await browser.request('GET', '/home');
  return /name="csrf" value="([^"]+)"/.exec(home.html)![1]!;
}

export async function balancesOf(db: PrismaClient, programmeId: string) {
  const b = (await programmeBalances(db, [programmeId])).get(programmeId)!;
  return { bank: formatMoney(b.bank), fund: formatMoney(b.fund), payable: formatMoney(b.payable), inTransit: formatMoney(b.inTransit) };
}

/** A form key the pages would render (for posts by someone who never got the form). */
export const someFormKey = () => `k${crypto.randomUUID().replace(/-/g, '')}`;

/**
 * Browsers signed in as the world's finance officer and the roles the finance pages refuse, and
 * as a finance officer of another department (whose requests must find nothing).
 */
export async function financeBrowsers(t: TestApp) {
  const sign = (user: { actor: { userId: string } }) => signedInBrowser(t.app, t.db.prisma, user.actor.userId);
  const elsewhere = await makeUser(t.db.prisma, await makeOrganisation(t.db.prisma, 'civil_affairs'), 'finance');
  const { users } = t.world;
  return {
    finance: await sign(users.finance),
    caseworker: await sign(users.caseworker),
    approver: await sign(users.approver),
    foundation: await sign(users.foundationViewer),
    admin: await sign(users.admin),
    otherFinance: await sign(elsewhere),
  };
}
