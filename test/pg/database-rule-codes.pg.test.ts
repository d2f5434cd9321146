// The database rules' codes on a real PostgreSQL server (adapter-pg): the same raw writes as
// test/integration/database-rule-codes.test.ts, the same codes read by databaseRuleOf.
import { afterAll, beforeAll, describe, it } from 'vitest';
import { TEST_DATABASE_URL, openPgTestDatabase } from '../support/database.ts';
import { expectEachRuleRefusedWithItsCode } from '../support/database-rules.ts';

describe.skipIf(!TEST_DATABASE_URL)('database refusals carry their rule’s code (PostgreSQL)', () => {
  let db: Awaited<ReturnType<typeof openPgTestDatabase>>;

  beforeAll(async () => {
    db = await openPgTestDatabase(4);
  });
  afterAll(async () => db?.drop());

  it('each raw write that breaks a rule is refused with that rule’s code, read without the message', async () => {
    await expectEachRuleRefusedWithItsCode(db);
  });
});
