// Remembered outcomes of money-moving requests, keyed by (user, Idempotency-Key).
// A claim is a row inserted inside the use case's own transaction: a second request with the
// same key waits on that row's lock, then sees the first one's outcome — so a key raced by many
// clients runs the use case once.
import type { Prisma } from '#prisma';
import type { PrismaClient } from '#prisma';
import type { Tx } from './context.ts';

export interface StoredOutcome {
  operation: string;
  requestHash: string;
  state: 'completed' | 'failed';
  statusCode: number;
  body: unknown;
}

/** Returns true when this transaction now owns the key; false when another request already does. */
export async function claimKey(tx: Tx, userId: string, key: string, operation: string, requestHash: string): Promise<boolean> {
  const claimed = await tx.$executeRaw`
    INSERT INTO "idempotency_record" ("user_id", "key", "operation", "request_hash", "state", "status_code", "response_body")
    VALUES (${userId}::uuid, ${key}, ${operation}, ${requestHash}, 'completed', 0, 'null'::jsonb)
    ON CONFLICT ("user_id", "key") DO NOTHING`;
  return claimed === 1;
}

export async function completeKey(tx: Tx, userId: string, key: string, statusCode: number, body: unknown): Promise<void> {
  await tx.idempotencyRecord.update({
    where: { userId_key: { userId, key } },
    data: { statusCode, responseBody: body as Prisma.InputJsonValue },
  });
}

/** Records a refused request so that the same key keeps being refused. False if the key was taken meanwhile. */
export async function recordFailure(
  db: PrismaClient,
  userId: string,
  key: string,
  operation: string,
  requestHash: string,
  statusCode: number,
  body: unknown,
): Promise<boolean> {
  const inserted = await db.$executeRaw`
    INSERT INTO "idempotency_record" ("user_id", "key", "operation", "request_hash", "state", "status_code", "response_body")
    VALUES (${userId}::uuid, ${key}, ${operation}, ${requestHash}, 'failed', ${statusCode}, ${JSON.stringify(body)}::jsonb)
    ON CONFLICT ("user_id", "key") DO NOTHING`;
  return inserted === 1;
}

export async function findOutcome(db: PrismaClient | Tx, userId: string, key: string): Promise<StoredOutcome | null> {
  const row = await db.idempotencyRecord.findUnique({ where: { userId_key: { userId, key } } });
  if (!row) return null;
  return {
    operation: row.operation,
    requestHash: row.requestHash,
    state: row.state,
    statusCode: row.statusCode,
    body: row.responseBody,
  };
}
