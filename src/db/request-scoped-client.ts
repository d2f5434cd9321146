// One database client object for an app that lives longer than a connection may (Workers: the app
// is made once per isolate, but a connection through Hyperdrive belongs to one request, and workerd
// forbids using one request's socket in another). Every property read is forwarded to the client of
// the request being served, as `current()` finds it, so that the services, the readiness probe and
// every other holder of `deps.db` reach that request's connection without knowing about requests.
import type { PrismaClient } from '#prisma';

export class NoRequestClientError extends Error {
  constructor() {
    super('no database client for this request: the database was used outside the request that opened it');
    this.name = 'NoRequestClientError';
  }
}

export function requestScopedClient(current: () => PrismaClient | undefined): PrismaClient {
  const client = (): PrismaClient => {
    const found = current();
    if (!found) throw new NoRequestClientError();
    return found;
  };
  return new Proxy({} as PrismaClient, {
    get(_target, property) {
      const target = client();
      const value = Reflect.get(target, property, target);
      // Methods ($transaction, $queryRaw…) run with the real client as `this`.
      return typeof value === 'function' ? value.bind(target) : value;
    },
    has: (_target, property) => Reflect.has(client(), property),
  });
}
