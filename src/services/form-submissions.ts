// A form on a page is sent once, however often it is posted (a double click, a refresh that posts
// again): each rendered form carries a random key, and the first post claims it. A later post of
// the same form finds the claim — with the address of what the first one made, once it finished —
// and does nothing again. The claims live beside the API's Idempotency-Keys (one table, keyed by
// user and key), under operations named `form:<name>`.
import { sha256Hex } from '../domain/sha256.ts';
import type { Tx } from './context.ts';

export type FormClaim = { first: true } | { first: false; location: string | null };

const FORM_KEY = /^[A-Za-z0-9_-]{16,100}$/;

/** Whether a form key has the shape the pages render (anything else is no key: the post is refused). */
export function isFormKey(value: unknown): value is string {
  return typeof value === 'string' && FORM_KEY.test(value);
}

/** Claims the form's key for the user; `first: false` when an earlier post of the same form did. */
export async function claimFormSubmission(db: Tx, userId: string, key: string, form: string): Promise<FormClaim> {
  const operation = `form:${form}`;
  const claimed = await db.$executeRaw`
    INSERT INTO "idempotency_record" ("user_id", "key", "operation", "request_hash", "state", "status_code", "response_body")
    VALUES (${userId}::uuid, ${key}, ${operation}, ${sha256Hex(operation)}, 'completed', 0, 'null'::jsonb)
    ON CONFLICT ("user_id", "key") DO NOTHING`;
  if (claimed === 1) return { first: true };
  const row = await db.idempotencyRecord.findUnique({ where: { userId_key: { userId, key } }, select: { responseBody: true } });
  const body = row?.responseBody as { location?: unknown } | null | undefined;
  return { first: false, location: typeof body?.location === 'string' ? body.location : null };
}

/** What the first post made, for a later post of the same form to be sent to. */
export async function completeFormSubmission(db: Tx, userId: string, key: string, location: string): Promise<void> {
  await db.idempotencyRecord.update({ where: { userId_key: { userId, key } }, data: { statusCode: 303, responseBody: { location } } });
}

/** The first post was refused (a field to correct): the same form may be sent again once corrected. */
export async function releaseFormSubmission(db: Tx, userId: string, key: string): Promise<void> {
  await db.idempotencyRecord.deleteMany({ where: { userId, key, operation: { startsWith: 'form:' } } });
}
