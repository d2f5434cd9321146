// Cross-site request forgery: every form post must come from a page of this service. Two checks,
// both required: the Origin header (sent by browsers with every POST) names this service's own
// origin, and the form carries the token of the session (or, for the sign-in form, the token of
// the sign-in cookie). Either alone can fail in some setup; together they close the door.
import type { Context } from 'hono';

/** The origin the browser used to reach the page: the request's, or the proxy's when trusted. */
function expectedOrigin(c: Context, trustProxy: boolean): string {
  const url = new URL(c.req.url);
  if (trustProxy) {
    const proto = c.req.header('X-Forwarded-Proto')?.split(',')[0]?.trim();
    const host = c.req.header('X-Forwarded-Host')?.split(',')[0]?.trim() ?? c.req.header('Host');
    if (proto && host) return `${proto}://${host}`;
  }
  const host = c.req.header('Host') ?? url.host;
  return `${url.protocol}//${host}`;
}

/** Same length and same bytes, compared in constant time. */
function sameToken(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b || a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return difference === 0;
}

export function formIsFromUs(c: Context, options: { trustProxy: boolean; expectedToken: string | undefined; sentToken: unknown }): boolean {
  const origin = c.req.header('Origin');
  if (!origin || origin !== expectedOrigin(c, options.trustProxy)) return false;
  return sameToken(options.expectedToken, typeof options.sentToken === 'string' ? options.sentToken : undefined);
}
