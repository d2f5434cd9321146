// A PostgreSQL test database and a world in it, for a describe block of the pg suite.
//
// The pg files each created a database on the TEST_DATABASE_URL server with openPgTestDatabase(),
// built makeWorld() in it, and dropped it afterwards, once per file or once per test.
// usePgTestDatabase() registers those hooks itself:
//
//   describe.skipIf(!TEST_DATABASE_URL)('…', () => {
//     const t = usePgTestDatabase(16);                      // once for the block, a pool of 16
//     const t = usePgTestDatabase(20, { perTest: true });   // or a new database for every test
//     it('…', async () => { await makeProgramme(t.world); await t.db.prisma.grant.count(); });
//   });
//
// Call it inside the describe.skipIf block, before the block's own hooks: they then see t.db and
// t.world, the database is only created when the suite runs, and it is dropped after their afterAll.
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { openPgTestDatabase } from './database.ts';
import { makeWorld, type World } from './fixtures.ts';

export type PgTestDatabase = Awaited<ReturnType<typeof openPgTestDatabase>>;

export interface PgTest {
  readonly db: PgTestDatabase;
  readonly world: World;
}

/** `poolMax` as openPgTestDatabase takes it; `perTest`: beforeEach/afterEach instead of beforeAll/afterAll. */
export function usePgTestDatabase(poolMax?: number, options: { perTest?: boolean } = {}): PgTest {
  let db: PgTestDatabase | undefined;
  let world: World | undefined;
  (options.perTest ? beforeEach : beforeAll)(async () => {
    world = undefined;
    db = await openPgTestDatabase(poolMax);
    world = await makeWorld(db.prisma);
  });
  (options.perTest ? afterEach : afterAll)(async () => {
    await db?.drop();
    db = undefined;
  });

  const ready = () => {
    if (!db || !world) throw new Error('usePgTestDatabase(): the database is created in a before hook; read t.db and t.world inside hooks and tests');
    return { db, world };
  };
  return {
    get db() {
      return ready().db;
    },
    get world() {
      return ready().world;
    },
  };
}
