// Reading the admin's pages in tests: a page's text without tags, the hidden keys (csrf, formKey)
// of the form that posts to a given path, and the Chinese message shown beside a field.
import { expect } from 'vitest';
import type { PageBrowser } from './page-browser.ts';

export const textOf = (html: string): string => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

/** The hidden csrf and formKey of the form on the page that posts to `action`. */
export function keysOf(html: string, action: string): { csrf: string; formKey: string } {
  const at = html.indexOf(`action="${action}"`);
  if (at < 0) throw new Error(`no form posts to ${action}`);
  const form = html.slice(at, html.indexOf('</form>', at));
  return { csrf: /name="csrf" value="([^"]+)"/.exec(form)![1]!, formKey: /name="formKey" value="([^"]+)"/.exec(form)![1]! };
}

/** The message beside a field, as the page ties it to the field (aria-describedby). */
export function fieldError(html: string, name: string): string | null {
  const escaped = name.replace(/\./g, '\\.');
  const m = new RegExp(`<p class="field-error" id="${escaped}-error">([^<]+)</p>`).exec(html);
  return m ? m[1]! : null;
}

/** Opens `page`, fills the form that posts to `action` with `fields`, and posts it. */
export async function postForm(browser: PageBrowser, page: string, action: string, fields: Record<string, string> = {}) {
  const opened = await browser.request('GET', page);
  expect(opened.status).toBe(200);
  const form = { ...keysOf(opened.html, action), ...fields };
  return { form, res: await browser.request('POST', action, form) };
}

/** A form whose keys are another page's (a role that cannot open the form still holds a session's csrf). */
export async function foreignForm(browser: PageBrowser, fields: Record<string, string>) {
  const home = await browser.request('GET', '/home');
  return { csrf: /name="csrf" value="([^"]+)"/.exec(home.html)![1]!, formKey: `k${crypto.randomUUID().replace(/-/g, '')}`, ...fields };
}
