// Text a person or a client sends must be text the database and every file format can hold: no
// NUL character (PostgreSQL's text refuses it) and no lone UTF-16 surrogate (it has no UTF-8 form:
// JSON columns, the audit trail and XML refuse it). Pure.

export const MALFORMED_TEXT = 'must not contain a NUL character or a broken (lone surrogate) character';

/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Whether a string can be stored and written anywhere as it is. */
export function isStorableText(value: string): boolean {
  return !value.includes('\u0000') && !LONE_SURROGATE.test(value);
}

/**
 * The paths of the strings in a value (plain objects and arrays, as a request's body or query is)
 * that are not storable text. Other objects (files, byte sources) are not looked into.
 */
export function malformedTextPaths(value: unknown, path: string[] = [], depth = 0): string[] {
  if (typeof value === 'string') return isStorableText(value) ? [] : [path.join('.') || '(body)'];
  if (depth > 20 || value === null || typeof value !== 'object') return [];
  if (Array.isArray(value)) return value.flatMap((item, i) => malformedTextPaths(item, [...path, String(i)], depth + 1));
  if (Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null) return [];
  return Object.entries(value).flatMap(([key, item]) => [
    ...(isStorableText(key) ? [] : [[...path, '(key)'].join('.')]),
    ...malformedTextPaths(item, [...path, key], depth + 1),
  ]);
}
