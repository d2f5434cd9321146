// Every rule the database keeps names itself in its refusal (HINT, or the constraint), on the
// embedded database: one raw write per rule (test/support/database-rules.ts), and databaseRuleOf
// reads the rule's code, never the message. The same cases run on PostgreSQL in test/pg.
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import { openTestDatabase } from '../support/database.ts';
import { expectEachRuleRefusedWithItsCode } from '../support/database-rules.ts';

let db: Database;

beforeAll(async () => {
  db = await openTestDatabase();
});
afterAll(async () => db?.close());

describe('database refusals carry their rule’s code (embedded)', () => {
  it('each raw write that breaks a rule is refused with that rule’s code, read without the message', async () => {
    await expectEachRuleRefusedWithItsCode(db);
  });
});
