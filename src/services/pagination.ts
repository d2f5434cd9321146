// Cursor pagination: the cursor is opaque to clients (base64url JSON of the last row's sort key),
// so the sort key can change without breaking them; pages stay stable while rows are added.
import { ValidationError } from '../domain/errors.ts';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export function encodeCursor(key: Record<string, string>): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

export function decodeCursor<K extends string>(cursor: string | undefined, keys: readonly K[]): Record<K, string> | null {
  if (cursor === undefined) return null;
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Record<string, unknown>;
    for (const k of keys) if (typeof parsed[k] !== 'string') throw new Error('missing key');
    return parsed as Record<K, string>;
  } catch {
    throw new ValidationError([{ path: 'cursor', message: 'not a cursor returned by this list' }]);
  }
}

/** Fetch one row more than asked: its presence says whether there is a next page. */
export function pageOf<T>(rows: T[], limit: number, keyOf: (row: T) => Record<string, string>): Page<T> {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(keyOf(last)) : null };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * For lists ordered newest first by (proposedAt, id): the condition selecting the rows after the
 * cursor's row, or no condition for the first page. A cursor that was tampered with is a 400.
 */
export function afterProposedAt(
  cursor: string | undefined,
): { OR: [{ proposedAt: { lt: Date } }, { proposedAt: Date; id: { lt: string } }] } | Record<string, never> {
  const after = decodeCursor(cursor, ['proposedAt', 'id']);
  if (!after) return {};
  const at = new Date(after.proposedAt);
  if (Number.isNaN(at.getTime()) || !UUID.test(after.id)) throw new ValidationError([{ path: 'cursor', message: 'not a cursor returned by this list' }]);
  return { OR: [{ proposedAt: { lt: at } }, { proposedAt: at, id: { lt: after.id } }] };
}

export const proposedAtKey = (row: { proposedAt: Date; id: string }) => ({ proposedAt: row.proposedAt.toISOString(), id: row.id });
