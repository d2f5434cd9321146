// Cursor pagination: the cursor is opaque to clients (base64url JSON of the last row's sort key),
// so the sort key can change without breaking them; pages stay stable while rows are added.
import { isIsoDate } from '../domain/calendar-date.ts';
import { dateFromIso, toIsoDate } from '../domain/dates.ts';
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

/** A page with other items for the same rows (their views), the cursor kept. */
export function withItems<T, U>(page: Page<T>, items: U[]): Page<U> {
  return { items, nextCursor: page.nextCursor };
}

/** Each item of a page mapped, the cursor kept. */
export function mapPage<T, U>(page: Page<T>, view: (item: T) => U): Page<U> {
  return withItems(page, page.items.map(view));
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** How a list's sort column is written in its cursors: a moment (ISO timestamp) or a calendar date. */
export type SortKind = 'moment' | 'date';

/** One member named by a variable: `{ [key]: value }`, typed as what it is. */
function member<K extends string, V>(key: K, value: V): Record<K, V> {
  return { [key]: value } as Record<K, V>;
}

/** A list ordered newest first by one column, the id breaking ties so that pages never overlap. */
export interface NewestFirst<K extends string> {
  /** The cursor's row, once checked: its sort value and id; null on the first page. */
  from: { at: Date; id: string } | null;
  /** The condition selecting the rows after the cursor's row; none on the first page. */
  after: { OR: [Record<K, { lt: Date }>, Record<K, Date> & { id: { lt: string } }] } | Record<string, never>;
  /** Newest first, one row more than the page holds: its presence says whether there is a next page. */
  order: { orderBy: [Record<K, 'desc'>, { id: 'desc' }]; take: number };
  limit: number;
  /** The page of the rows fetched, its cursor the last row's (column, id). */
  page<R extends Record<K, Date> & { id: string }>(rows: R[]): Page<R>;
}

/**
 * Keyset pagination newest first by `column` (a moment or a calendar date) and id: what a list adds to
 * its query, and the page of what it fetched. A cursor that was tampered with is a 400.
 */
export function newestFirst<K extends string>(column: K, kind: SortKind, input: { cursor?: string | undefined; limit?: number | undefined }): NewestFirst<K> {
  const limit = input.limit ?? DEFAULT_PAGE_SIZE;
  const from = cursorRow(input.cursor, column, kind);
  const write = kind === 'date' ? toIsoDate : (at: Date) => at.toISOString();
  return {
    from,
    after: from ? { OR: [member(column, { lt: from.at }), { ...member(column, from.at), id: { lt: from.id } }] } : {},
    order: { orderBy: [member(column, 'desc' as const), { id: 'desc' }], take: limit + 1 },
    limit,
    page: (rows) => pageOf(rows, limit, (row) => ({ ...member(column, write(row[column])), id: row.id })),
  };
}

function cursorRow<K extends string>(cursor: string | undefined, column: K, kind: SortKind): { at: Date; id: string } | null {
  const after = decodeCursor(cursor, [column, 'id']);
  if (!after) return null;
  const value = after[column];
  const at = kind === 'date' ? (isIsoDate(value) ? dateFromIso(value) : null) : new Date(value);
  if (!at || Number.isNaN(at.getTime()) || !UUID.test(after.id)) throw new ValidationError([{ path: 'cursor', message: 'not a cursor returned by this list' }]);
  return { at, id: after.id };
}
