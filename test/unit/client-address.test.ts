import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { type ClientAddressOptions, UNKNOWN_ADDRESS, clientAddress } from '../../src/http/client-address.ts';
import { nodeSocketAddress } from '../../src/http/client-address-node.ts';

async function addressOf(options: ClientAddressOptions, headers: Record<string, string> = {}, env?: unknown): Promise<string> {
  const app = new Hono().get('/', (c) => c.text(clientAddress(c, options)));
  return (await app.request('/', { headers }, env as never)).text();
}

const socketEnv = (remoteAddress: string) => ({ incoming: { socket: { remoteAddress, remotePort: 5000, remoteFamily: 'IPv4' } } });

describe('clientAddress', () => {
  it('is the socket address from @hono/node-server, and ignores X-Forwarded-For unless told to trust it', async () => {
    const options = { trustProxy: false, socketAddress: nodeSocketAddress };
    expect(await addressOf(options, { 'X-Forwarded-For': '203.0.113.9' }, socketEnv('192.0.2.10'))).toBe('192.0.2.10');
  });

  it('with trustProxy, is the left-most X-Forwarded-For address, else the socket', async () => {
    const options = { trustProxy: true, socketAddress: nodeSocketAddress };
    expect(await addressOf(options, { 'X-Forwarded-For': '203.0.113.9, 10.0.0.2' }, socketEnv('10.0.0.2'))).toBe('203.0.113.9');
    expect(await addressOf(options, { 'X-Forwarded-For': '2001:db8::1' }, socketEnv('10.0.0.2'))).toBe('2001:db8::1');
    expect(await addressOf(options, {}, socketEnv('10.0.0.2'))).toBe('10.0.0.2');
    expect(await addressOf(options, { 'X-Forwarded-For': 'not an address' }, socketEnv('10.0.0.2'))).toBe('10.0.0.2');
  });

  it("falls back to 'unknown' without a socket (in-process requests)", async () => {
    expect(await addressOf({ trustProxy: false, socketAddress: nodeSocketAddress })).toBe(UNKNOWN_ADDRESS);
    expect(await addressOf({ trustProxy: false })).toBe(UNKNOWN_ADDRESS);
  });
});
