// A tiny browser for the pages through the app in-process: keeps cookies, sends Origin with posts,
// follows no redirect; and people who can sign in (a user name and a password set directly, so that
// a test pays for one password check at sign-in, not for setting it through a link).
import { expect } from 'vitest';
import { hashPassword } from '../../src/domain/password-hash.ts';
import type { PrismaClient } from '#prisma';

export const ORIGIN = 'http://localhost';
export const PASSWORD = '青海湖 spring 2027!';

interface Target {
  request(input: string, init?: RequestInit): Response | Promise<Response>;
}

export class PageBrowser {
  cookies = new Map<string, string>();
  constructor(private readonly target: Target) {}

  /** A form as fields (sent url-encoded) or as FormData (sent multipart, with files). */
  async request(method: 'GET' | 'POST', path: string, form?: Record<string, string> | FormData, headers: Record<string, string> = {}) {
    const multipart = form instanceof FormData;
    const res = await this.target.request(`${ORIGIN}${path}`, {
      method,
      headers: {
        Accept: 'text/html',
        Cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
        ...(method === 'POST' ? { Origin: ORIGIN, ...(multipart ? {} : { 'Content-Type': 'application/x-www-form-urlencoded' }) } : {}),
        ...headers,
      },
      ...(form ? { body: multipart ? form : new URLSearchParams(form).toString() } : {}),
    });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const [name, value] = pair!.split('=');
      if (/Max-Age=0|Expires=Thu, 01 Jan 1970/.test(line) || value === '') this.cookies.delete(name!);
      else this.cookies.set(name!, value!);
    }
    const bytes = new Uint8Array(await res.arrayBuffer());
    return {
      status: res.status,
      location: res.headers.get('Location'),
      html: new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes),
      bytes,
      headers: res.headers,
    };
  }

  /** The hidden token of the form the last page rendered. */
  static token(html: string, name = 'token'): string {
    return new RegExp(`name="${name}" value="([^"]+)"`).exec(html)![1]!;
  }
}

let storedHash: Promise<string> | null = null;
let counter = 0;

/** Gives an existing user a user name and the test password; returns the user name. */
export async function givePassword(db: PrismaClient, userId: string): Promise<string> {
  storedHash ??= hashPassword(PASSWORD);
  const username = `person.${process.pid}.${++counter}`;
  await db.appUser.update({ where: { id: userId }, data: { username, passwordHash: await storedHash } });
  return username;
}

/** A browser signed in as the user (through the sign-in page). */
export async function signedInBrowser(target: Target, db: PrismaClient, userId: string): Promise<PageBrowser> {
  const username = await givePassword(db, userId);
  const browser = new PageBrowser(target);
  const page = await browser.request('GET', '/');
  const res = await browser.request('POST', '/sign-in', { token: PageBrowser.token(page.html), username, password: PASSWORD });
  expect(res).toMatchObject({ status: 303, location: '/home' });
  return browser;
}
