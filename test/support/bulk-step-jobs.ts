// Following a bulk step job's page (/students/bulk/jobs/:id) as a browser without script would:
// load it again while it asks to be reloaded (meta refresh), until the job has ended.
import { expect } from 'vitest';
import type { PageBrowser } from './page-browser.ts';

export const BULK_JOB_PATH = /^\/students\/bulk\/jobs\/[0-9a-f-]{36}$/;

/** Reloads the job's page until it no longer refreshes itself; its last answer. */
export async function followBulkJob(browser: PageBrowser, path: string, timeoutMs = 60_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const page = await browser.request('GET', path);
    expect(page.status).toBe(200);
    if (!page.html.includes('http-equiv="refresh"')) return page;
    if (Date.now() > until) throw new Error(`bulk step job ${path} still under way after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
