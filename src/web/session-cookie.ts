// The cookies of the pages. The session cookie holds the session's secret (only its hash is in the
// database): HttpOnly so no script can read it, SameSite=Lax so other sites' forms do not carry it,
// Secure whenever the request came over HTTPS (directly, or through a trusted proxy), Path=/, and no
// Max-Age: the server decides when a session ends. The sign-in form, before any session exists, is
// protected by a random token held both in a short-lived cookie and in the form (double submit).
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';

export const SESSION_COOKIE = 'sl_session';
export const SIGN_IN_COOKIE = 'sl_signin';
const SIGN_IN_TOKEN_SECONDS = 30 * 60;

/** Whether the browser reached the service over HTTPS (X-Forwarded-Proto only behind a trusted proxy). */
export function overHttps(c: Context, trustProxy: boolean): boolean {
  if (new URL(c.req.url).protocol === 'https:') return true;
  return trustProxy && c.req.header('X-Forwarded-Proto')?.split(',')[0]?.trim() === 'https';
}

export function readSessionCookie(c: Context): string | undefined {
  return getCookie(c, SESSION_COOKIE);
}

export function writeSessionCookie(c: Context, secret: string, secure: boolean): void {
  setCookie(c, SESSION_COOKIE, secret, { httpOnly: true, sameSite: 'Lax', secure, path: '/' });
}

export function clearSessionCookie(c: Context, secure: boolean): void {
  deleteCookie(c, SESSION_COOKIE, { path: '/', secure, httpOnly: true, sameSite: 'Lax' });
}

export function readSignInToken(c: Context): string | undefined {
  return getCookie(c, SIGN_IN_COOKIE);
}

export function writeSignInToken(c: Context, token: string, secure: boolean): void {
  setCookie(c, SIGN_IN_COOKIE, token, { httpOnly: true, sameSite: 'Strict', secure, path: '/', maxAge: SIGN_IN_TOKEN_SECONDS });
}
