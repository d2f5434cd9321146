// One embedded database, one world and one in-process app for a test file (or a describe block).
//
// Almost every integration file opened a test database, built a world, made an app, closed the
// database afterwards and passed a role's token to call() on every request. useTestApp() does that
// once, with the same helpers (openTestDatabase, makeWorld, makeApp, call), so that a file says
// only what it tests:
//
//   const t = useTestApp();
//   beforeAll(async () => { other = await makeUser(t.db.prisma, t.world.department, 'admin'); });
//   it('…', async () => {
//     const res = await t.as.caseworker.post('/api/v1/students', body, { idempotencyKey: newKey() });
//     expect((await t.as.auditor.get(`/api/v1/students/${res.json.id}`)).status).toBe(200);
//     expect((await t.as(other).get('/api/v1/users')).status).toBe(200); // any TestUser or token
//     expect((await t.anonymous.get('/api/v1/users')).status).toBe(401);
//   });
//
// Call it at the top of a file or of a describe block, before that level's own beforeAll: hooks
// run in the order they are registered (afterAll in reverse), so the file's beforeAll already
// sees t.db and t.world, and its afterAll runs before the database is closed.
import { afterAll, beforeAll } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import type { PiiVault } from '../../src/privacy/pii-vault.ts';
import { openTestDatabase } from './database.ts';
import { makeWorld, type TestUser, type World } from './fixtures.ts';
import { type CallOptions, type CapturedLogs, call, makeApp } from './http.ts';
import { testVault } from './vault.ts';

type App = ReturnType<typeof makeApp>['app'];
type Answer = Awaited<ReturnType<typeof call>>;
export type WorldRole = keyof World['users'];

/** What call() takes besides the token and the JSON body: Idempotency-Key, headers, a raw body. */
export type RequestOptions = Omit<CallOptions, 'token' | 'body'>;

/** Requests as one caller; each is call(app, method, path, { token, body, ...options }). */
export interface Client {
  get(path: string, options?: RequestOptions): Promise<Answer>;
  delete(path: string, options?: RequestOptions): Promise<Answer>;
  post(path: string, body?: unknown, options?: RequestOptions): Promise<Answer>;
  put(path: string, body?: unknown, options?: RequestOptions): Promise<Answer>;
  patch(path: string, body?: unknown, options?: RequestOptions): Promise<Answer>;
}

/** A caller: a user (its token), a bare token (revoked, malformed…), or no one (no Authorization). */
export type Caller = Pick<TestUser, 'token'> | string | undefined;

export interface TestApp {
  readonly db: Database;
  readonly world: World;
  readonly app: App;
  /** The app's log lines, as the tests that look for personal data in them read them. */
  readonly logs: CapturedLogs;
  readonly vault: PiiVault;
  /** t.as.caseworker … t.as.admin: the world's users by role; t.as(user or token): anyone else. */
  readonly as: ((caller: Caller) => Client) & Record<WorldRole, Client>;
  /** Requests without a token. */
  readonly anonymous: Client;
}

/** The world's users by role; a Record so that the compiler asks for a role makeWorld() adds. */
const ROLES: Record<WorldRole, true> = { caseworker: true, approver: true, finance: true, foundationViewer: true, auditor: true, admin: true };

/**
 * Registers a beforeAll that opens a fresh embedded database and builds makeWorld() in it, and an
 * afterAll that closes the database; the app (makeApp, its default limiter) is made on first use.
 * The accessors are filled by the beforeAll: reading one earlier, while the file's tests are being
 * collected, throws.
 */
/** `appOptions`: what the file's app is made with beyond the defaults (e.g. a bound on requests in flight). */
export function useTestApp(appOptions: Parameters<typeof makeApp>[2] = {}): TestApp {
  let db: Database | undefined;
  let state: { db: Database; world: World; vault: PiiVault } | undefined;
  // Made on first use: files that only need the database and the world never build it.
  let made: ReturnType<typeof makeApp> | undefined;

  beforeAll(async () => {
    db = await openTestDatabase();
    const world = await makeWorld(db.prisma);
    state = { db, world, vault: await testVault() };
  });
  afterAll(async () => db?.close());

  const ready = () => {
    if (!state) throw new Error('useTestApp(): the database is opened in beforeAll; read t.db, t.world, t.app inside hooks and tests');
    return state;
  };
  const appAndLogs = () => (made ??= makeApp(ready().db.prisma, ready().vault, appOptions));
  // The token is read when the request is made, so a client can be taken before the world exists.
  const client = (token: () => string | undefined): Client => {
    const send = (method: string, path: string, body: unknown, options: RequestOptions = {}) =>
      call(appAndLogs().app, method, path, { ...options, token: token(), body });
    return {
      get: (path, options) => send('GET', path, undefined, options),
      delete: (path, options) => send('DELETE', path, undefined, options),
      post: (path, body, options) => send('POST', path, body, options),
      put: (path, body, options) => send('PUT', path, body, options),
      patch: (path, body, options) => send('PATCH', path, body, options),
    };
  };
  const as = Object.assign(
    (caller: Caller) => client(() => (typeof caller === 'string' || caller === undefined ? caller : caller.token)),
    Object.fromEntries((Object.keys(ROLES) as WorldRole[]).map((role) => [role, client(() => ready().world.users[role].token)])) as Record<WorldRole, Client>,
  );

  return {
    get db() {
      return ready().db;
    },
    get world() {
      return ready().world;
    },
    get app() {
      return appAndLogs().app;
    },
    get logs() {
      return appAndLogs().logs;
    },
    get vault() {
      return ready().vault;
    },
    as,
    anonymous: client(() => undefined),
  };
}
