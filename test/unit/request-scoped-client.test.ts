// The Worker's one `db` for an isolate-long app: every use reaches the client of the request being
// served, and a use outside any request is refused rather than sent down another request's connection.
import { AsyncLocalStorage } from 'node:async_hooks';
import { describe, expect, it } from 'vitest';
import type { PrismaClient } from '#prisma';
import { NoRequestClientError, requestScopedClient } from '../../src/db/request-scoped-client.ts';

/** A stand-in client: a name, a method that uses `this`, and a property. */
function fakeClient(name: string): PrismaClient {
  return {
    name,
    async $queryRaw() {
      return [{ from: (this as unknown as { name: string }).name }];
    },
  } as unknown as PrismaClient;
}

describe('requestScopedClient', () => {
  const scope = new AsyncLocalStorage<PrismaClient>();
  const db = requestScopedClient(() => scope.getStore());

  it('forwards each use to the client of the request it runs in, methods bound to that client', async () => {
    const [a, b] = await Promise.all([
      scope.run(fakeClient('a'), async () => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        return db.$queryRaw`SELECT 1`;
      }),
      scope.run(fakeClient('b'), () => db.$queryRaw`SELECT 1`),
    ]);
    expect(a).toEqual([{ from: 'a' }]);
    expect(b).toEqual([{ from: 'b' }]);
    expect(scope.run(fakeClient('c'), () => (db as unknown as { name: string }).name)).toBe('c');
    expect(scope.run(fakeClient('c'), () => 'name' in db)).toBe(true);
  });

  it('refuses a use outside any request', () => {
    expect(() => db.$queryRaw`SELECT 1`).toThrow(NoRequestClientError);
  });
});
