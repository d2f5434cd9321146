// After the bulk form is sent, the browser is on the job's page, which reloads itself (meta
// refresh) until the job has ended and shows the result table.
import type { Page } from 'playwright-core';

export const BULK_JOB_URL = /\/students\/bulk\/jobs\/[0-9a-f-]{36}$/;

/** Waits on the job's page until it says the job is finished (a reload every two seconds). */
export async function waitForBulkJob(page: Page): Promise<void> {
  await page.waitForURL(BULK_JOB_URL);
  await page.getByRole('heading', { level: 1, name: /已完成/ }).waitFor({ timeout: 30_000 });
}
