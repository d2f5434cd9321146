// Canonical JSON: keys sorted, no whitespace. For the values used here (strings, integers,
// booleans, null, arrays, plain objects) this equals RFC 8785 (JCS), so anyone can re-derive a
// hash with any JSON library that sorts keys. Money and sequence numbers are strings already.
export type CanonicalValue = string | number | boolean | null | CanonicalValue[] | { [key: string]: CanonicalValue };

export function canonicalJson(value: CanonicalValue): string {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return JSON.stringify(value);
  if (typeof value === 'number') {
    // Only safe integers: fractional or huge numbers have more than one textual form.
    if (!Number.isSafeInteger(value)) throw new TypeError('canonical JSON takes only safe integers');
    return String(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const keys = Object.keys(value).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k] as CanonicalValue)}`).join(',')}}`;
}
