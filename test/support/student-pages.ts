// What the student pages' tests share: browsers signed in as the caseworker, the funder's viewer
// and a caseworker of another department; the hidden fields of a rendered form; and the text of a
// page without its tags, for reading the Chinese a person reads.
import { expect } from 'vitest';
import { makeOrganisation, makeUser } from './fixtures.ts';
import { type PageBrowser, signedInBrowser } from './page-browser.ts';
import type { TestApp } from './test-app.ts';

export interface StudentPageBrowsers {
  caseworker: PageBrowser;
  viewer: PageBrowser;
  otherCaseworker: PageBrowser;
}

export async function studentPageBrowsers(t: TestApp): Promise<StudentPageBrowsers> {
  const otherDepartment = await makeOrganisation(t.db.prisma, 'civil_affairs');
  const other = await makeUser(t.db.prisma, otherDepartment, 'caseworker');
  return {
    caseworker: await signedInBrowser(t.app, t.db.prisma, t.world.users.caseworker.actor.userId),
    viewer: await signedInBrowser(t.app, t.db.prisma, t.world.users.foundationViewer.actor.userId),
    otherCaseworker: await signedInBrowser(t.app, t.db.prisma, other.actor.userId),
  };
}

export const textOf = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
export const hidden = (html: string, name: string) => new RegExp(`name="${name}" value="([^"]+)"`).exec(html)![1]!;

/** The form's CSRF token and key, from the form page as `browser` gets it (which must be 200). */
export async function formKeys(browser: PageBrowser, path: string): Promise<{ csrf: string; formKey: string }> {
  const page = await browser.request('GET', path);
  expect(page.status).toBe(200);
  return { csrf: hidden(page.html, 'csrf'), formKey: hidden(page.html, 'formKey') };
}

/** The CSRF token of someone who has no form on the page (taken from their home page) and a made-up key. */
export async function foreignKeys(browser: PageBrowser): Promise<{ csrf: string; formKey: string }> {
  const home = await browser.request('GET', '/home');
  return { csrf: hidden(home.html, 'csrf'), formKey: `forged-key-${'x'.repeat(12)}` };
}

/** The error beside the field (its id is `<name>-error`), or null. */
export function fieldError(html: string, name: string): string | null {
  const escaped = name.replace(/\./g, '\\.');
  return new RegExp(`<p class="field-error" id="${escaped}-error">([^<]+)</p>`).exec(html)?.[1] ?? null;
}
