// The pages in a real browser: Debian's Chromium driven by playwright-core, against the app served
// on a free port of 127.0.0.1 with its own embedded database. Every test saves a screenshot under
// test-results/ (ignored by git) so that a person can see what users see; every page visited can be
// checked with axe-core for accessibility.
import type { AppDeps } from '../../../src/http/env.ts';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { serve } from '@hono/node-server';
import { type Browser, type BrowserContext, type Page, chromium } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import type { Database } from '../../../src/db/client.ts';
import { FailureLimiter } from '../../../src/http/failure-limiter.ts';
import { openTestDatabase } from '../../support/database.ts';
import { type TestUser, type World, makeWorld } from '../../support/fixtures.ts';
import { makeApp } from '../../support/http.ts';
import { PASSWORD, givePassword } from '../../support/page-browser.ts';
import { testVault } from '../../support/vault.ts';

export const CHROMIUM = '/usr/bin/chromium';
export const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) console.log(`browser tests skipped: ${CHROMIUM} not found (apt-get install chromium to run them)`);

const SCREENSHOTS = path.resolve('test-results/screenshots');
const AXE_SOURCE = path.resolve('node_modules/axe-core/axe.min.js');

export interface Served {
  url: string;
  close(): Promise<void>;
}

/** The app on 127.0.0.1 at a free port, with a failure limiter that never refuses (unless given one). */
export async function serveApp(db: Database, limiter?: FailureLimiter, extra: Pick<AppDeps, 'checkpoints'> = {}): Promise<Served> {
  const { app } = makeApp(db.prisma, await testVault(), {
    authFailures: limiter ?? new FailureLimiter({ maxFailures: Number.MAX_SAFE_INTEGER, windowMs: 1, maxKeys: 1 }),
    ...extra,
  });
  const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Chromium headless with the flags this closed network needs (playwright gives it a fresh profile). */
export async function launchBrowser(): Promise<{ browser: Browser; close(): Promise<void> }> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return { browser, close: () => browser.close() };
}

/** Saves what the page shows, full length, as test-results/screenshots/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name.replace(/[^a-z0-9.-]+/gi, '-')}.png`), fullPage: true });
}

/**
 * Runs axe-core in the page and fails on any serious or critical violation, naming each. It is put
 * in through the debugging protocol, which the page's Content-Security-Policy does not govern, so
 * that a page can be checked without bypassing its CSP.
 */
export async function expectAccessible(page: Page): Promise<void> {
  await page.evaluate(readFileSync(AXE_SOURCE, 'utf8'));
  type AxeResult = { violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[] };
  const result = (await page.evaluate("axe.run(document, { resultTypes: ['violations'] })")) as AxeResult;
  const serious = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

/** Signs in on the service's sign-in page and waits for the home page. */
export async function signIn(page: Page, baseUrl: string, username: string, password: string = PASSWORD): Promise<void> {
  await page.goto(`${baseUrl}/`);
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel(/^密码/).fill(password);
  await page.getByRole('button', { name: '登录' }).click();
  await page.waitForURL(/\/home$/);
}

/** A fresh browser context (Chinese, Beijing time) signed in as `user`, who is given a user name and password for it. */
export async function signedInAs(b: BrowserWorld, user: TestUser): Promise<{ context: BrowserContext; page: Page }> {
  const username = await givePassword(b.db.prisma, user.actor.userId);
  const context = await b.browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  const page = await context.newPage();
  await signIn(page, b.served.url, username);
  return { context, page };
}

export interface BrowserWorld {
  readonly db: Database;
  readonly world: World;
  readonly served: Served;
  readonly browser: Browser;
}

/**
 * Registers a beforeAll that opens an embedded database with makeWorld() in it, serves the app and
 * launches Chromium, and an afterAll that closes all three; the accessors are filled by the beforeAll.
 */
export function useBrowserWorld(): BrowserWorld {
  let state: { db: Database; world: World; served: Served; chromium: Awaited<ReturnType<typeof launchBrowser>> } | undefined;
  beforeAll(async () => {
    const db = await openTestDatabase();
    state = { db, world: await makeWorld(db.prisma), served: await serveApp(db), chromium: await launchBrowser() };
  }, 120_000);
  afterAll(async () => {
    await state?.chromium.close();
    await state?.served.close();
    await state?.db.close();
  });
  const ready = () => {
    if (!state) throw new Error('useBrowserWorld(): read it inside hooks and tests');
    return state;
  };
  return {
    get db() {
      return ready().db;
    },
    get world() {
      return ready().world;
    },
    get served() {
      return ready().served;
    },
    get browser() {
      return ready().chromium.browser;
    },
  };
}
