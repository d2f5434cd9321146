// The edge values the OpenAPI fuzz puts into requests (test/support/fuzz-inputs.ts), by where they
// go: text, money, dates, academic years, uuids and numbers in a JSON body; percent-encoded values
// for a path segment or a query parameter; malformed JSON, wrong content types, hostile file bodies.

export const MONEY_PATTERN = '^[0-9]{1,12}(\\.[0-9]{1,2})?$';
export const YEAR_PATTERN = '^[0-9]{4}-[0-9]{4}$';
/** A well-formed uuid no record has. */
export const UUID_OF_NOTHING = '6a1d6f0e-3c1b-4f0e-9a57-1b2c3d4e5f60';

/** A JSON literal that JSON.stringify cannot write (a number past a double), put in as is. */
export class RawJson {
  constructor(readonly text: string) {}
}

export const BOUNDARY_STRINGS: unknown[] = [
  '',
  ' ',
  'x'.repeat(10_000),
  'a\u0000b',
  '\u0000',
  '\ud800',
  'a\udc00b',
  '\u202Eevil\u202C',
  '\u200F\u200E\u200B',
  '\uFEFF',
  '\uFFFF',
  '𠀀𝒳😀',
  '=1+1',
  '-2+3',
  '@SUM(A1)',
  'NaN',
  'null',
  '1e400',
  "' OR 1=1 --",
  '<script>alert(1)</script>',
  '../../etc/passwd',
  '%00',
  '0000-01-01',
  '00000000-0000-0000-0000-000000000000',
];

export const WRONG_TYPES: unknown[] = [
  0,
  -1,
  1.5,
  2 ** 63,
  Number.MAX_VALUE,
  new RawJson('1e400'),
  new RawJson('-1e400'),
  new RawJson('-0'),
  true,
  null,
  [],
  {},
  ['x'],
  [[[[[]]]]],
  { x: 1 },
];

export const MONEY_STRINGS: unknown[] = [
  '1e400',
  '0.001',
  '-0',
  '0',
  '0.00',
  '-1.00',
  '999999999999999.99',
  '999999999999.99',
  '99999999999999.99',
  '1,000.00',
  ' 100.00',
  '１００.００',
  'Infinity',
  '0x10',
  '1.',
  '.5',
  3500,
  0.1,
  new RawJson('1e400'),
];

export const DATE_STRINGS: unknown[] = [
  '2026-02-30',
  '0000-01-01',
  '9999-12-31',
  '1900-01-01',
  '2024-02-29',
  '2025-02-29',
  '2026-2-3',
  '20260101',
  '2026-01-01T00:00:00Z',
  '+275760-09-13',
  20260101,
];

export const YEAR_STRINGS: unknown[] = ['0000-0001', '9999-10000', '2026-2026', '2027-2026', '2026–2027', ' 2026-2027', '2026-2027\u0000', 20262027];

export const UUID_STRINGS: unknown[] = [
  UUID_OF_NOTHING,
  '00000000-0000-0000-0000-000000000000',
  'not-a-uuid',
  '6A1D6F0E-3C1B-4F0E-9A57-1B2C3D4E5F60',
  `{${UUID_OF_NOTHING}}`,
];

export const NUMBER_VALUES: unknown[] = ['5', '', -1, 0, 1.5, 2 ** 53 + 1, Number.MAX_SAFE_INTEGER, new RawJson('1e400'), new RawJson('1e-400')];

/** Percent-encoded values for a path segment. */
export const PATH_VALUES = [
  '%00',
  'a%00b',
  '%ED%A0%80',
  '%F0%90%80',
  '%',
  '%zz',
  'x'.repeat(3000),
  '00000000-0000-0000-0000-000000000000',
  UUID_OF_NOTHING,
  'not-a-uuid',
  '%E5%AD%A6%E7%94%9F',
  '%E2%80%AE',
  '%20',
  '-1',
  '99999999999999999999',
  '2026-2027',
  '0000-0001',
  'null',
];

/** Percent-encoded values for a query parameter. */
export const QUERY_VALUES = [
  '',
  '%00',
  'a%00b',
  '%ED%A0%80',
  '%ED%B0%80x',
  '%',
  '%zz',
  '-1',
  '0',
  '1.5',
  '1e400',
  '99999999999999999999',
  '9007199254740993',
  'true',
  'null',
  '%5B%5D',
  'x'.repeat(5000),
  '%E2%80%AE%E5%AD%A6',
  UUID_OF_NOTHING,
  'not-a-uuid',
  '2026-02-30',
  '9999-12-31',
  '0000-01-01',
  '0000-0001',
  // A cursor of the shape the API writes (base64url JSON) with values out of range.
  Buffer.from(JSON.stringify({ seq: '99999999999999999999' })).toString('base64url'),
  Buffer.from(JSON.stringify({ at: '9999-99-99', id: 'x' })).toString('base64url'),
  Buffer.from('{"seq":').toString('base64url'),
];

export const MALFORMED_JSON = [
  '{',
  '{"a":',
  '[',
  '}',
  'undefined',
  "{'a':1}",
  '{"a":1}garbage',
  '\u0000',
  '{"a":"\\u0000"',
  '{"a":"\\ud800"}',
  '['.repeat(5000),
  '{"__proto__":{"x":1}}',
  '\uFEFF{}',
];

export const WRONG_CONTENT_TYPES = [
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data',
  'multipart/form-data; boundary=xyz',
  'application/json; charset=latin1',
  'application/xml',
  'application/octet-stream',
  '',
];

export const RAW_TEXT_BODIES = [
  '',
  '\u0000\u0000\u0000',
  'x'.repeat(10_000),
  '\uFEFF',
  'a,b,c\r\n1,2\r\n"unterminated',
  '姓名,身份证号,性别\r\n韩梅梅,630102200603151249,女\r\n',
  '<?xml version="1.0"?><Document>',
  '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]><x>&b;&b;</x>',
  '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.02"><BkToCstmrDbtCdtNtfctn/></Document>',
  'PK\u0003\u0004\u0014\u0000garbage',
  '\ud800\udfff\ud800',
  '{"json":"instead"}',
];
