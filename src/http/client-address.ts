// The address a request comes from, for counting failed authentications. Runtime-neutral: the
// socket's address is read by a function the entry point supplies (src/server.ts gives Node's).
import type { Context } from 'hono';

/** Requests whose address cannot be read (in-process calls, a runtime without a socket) share this key. */
export const UNKNOWN_ADDRESS = 'unknown';

export interface ClientAddressOptions {
  /**
   * Behind a reverse proxy that sets X-Forwarded-For, every socket address is the proxy's: trust
   * the header's left-most address instead. Off by default, because without such a proxy anyone
   * can write the header and pick a fresh address per request.
   */
  trustProxy: boolean;
  /** The peer address of the connection, where the runtime has one. */
  socketAddress?: (c: Context) => string | undefined;
}

const ADDRESS = /^[0-9A-Fa-f:.]{2,45}$/;

export function clientAddress(c: Context, options: ClientAddressOptions): string {
  if (options.trustProxy) {
    const first = c.req.header('X-Forwarded-For')?.split(',')[0]?.trim();
    if (first && ADDRESS.test(first)) return first;
  }
  const socket = options.socketAddress?.(c);
  return socket && ADDRESS.test(socket) ? socket : UNKNOWN_ADDRESS;
}
