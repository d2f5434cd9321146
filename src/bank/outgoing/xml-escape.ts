// Escaping for XML text and attribute values. No XML writing library is installed (saxes, which is,
// only parses), and five entities are all escaping needs; which characters may appear at all is
// fields.ts's job (it refuses control characters, lone surrogates and U+FFFE/U+FFFF, the characters
// XML 1.0 cannot carry even escaped).

const SPECIAL = /[&<>"']/;
const SPECIAL_ALL = /[&<>"']/g;
const ENTITY: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

export function escapeXml(text: string): string {
  return SPECIAL.test(text) ? text.replace(SPECIAL_ALL, (c) => ENTITY[c] ?? c) : text;
}
