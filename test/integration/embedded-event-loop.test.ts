// The embedded database answers a query without any I/O, so a request's queries would follow one
// another as microtasks and the event loop would neither read new requests (to count or shed them
// past MAX_REQUESTS_IN_FLIGHT) nor fire request deadlines until every request in flight had ended.
// The embedded adapter (src/db/pglite-adapter.ts) lets the loop take a turn after each query.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import { openTestDatabase } from '../support/database.ts';

describe('the embedded database and the event loop', () => {
  let db: Database;
  beforeAll(async () => {
    db = await openTestDatabase();
  });
  afterAll(async () => {
    await db.close();
  });

  it('lets timers and I/O callbacks run between one query and the next, outside and inside a transaction', async () => {
    let turns = 0;
    const turn = () => new Promise<void>((resolve) => setImmediate(resolve)).then(() => void turns++);
    void turn();
    await db.prisma.$queryRaw`SELECT 1`;
    expect(turns).toBe(1);

    await db.prisma.$transaction(async (tx) => {
      void turn();
      await tx.$queryRaw`SELECT 1`;
      expect(turns).toBe(2);
    });
  });
});
