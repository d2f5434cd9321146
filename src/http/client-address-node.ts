// The peer address of a request served by @hono/node-server (Node only; see client-address.ts).
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';

export function nodeSocketAddress(c: Context): string | undefined {
  // app.request() in tests has no incoming message: no address rather than a TypeError.
  const env = c.env as { incoming?: { socket?: unknown }; server?: { incoming?: { socket?: unknown } } } | undefined;
  if (!env?.incoming?.socket && !env?.server?.incoming?.socket) return undefined;
  return getConnInfo(c).remote.address;
}
