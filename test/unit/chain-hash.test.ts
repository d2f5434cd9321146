import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { type CanonicalValue, canonicalJson } from '../../src/domain/canonical-json.ts';
import {
  CANONICAL_VERSION,
  type CanonicalEntry,
  type CanonicalTransaction,
  GENESIS_HASH,
  canonicalTransaction,
  hashTransaction,
  sha256Hex,
} from '../../src/domain/chain-hash.ts';

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

function sample(): CanonicalTransaction {
  return {
    seq: 42n,
    id: '0f8fad5b-d9cb-469f-a165-70867728950e',
    programmeId: '6ba7b810-9dad-11d1-80b4-00c04fd430c8',
    kind: 'funding_received',
    eventDate: '2025-09-01',
    recordedAt: '2025-09-01T08:30:00.123Z',
    description: 'Funding received, bank reference 青山-001',
    sourceType: 'funding_receipt',
    sourceId: '9a7b330a-a736-4b8a-9d2f-3f1e0b0f5a11',
    actorId: '3d6f0a6e-2b1c-4f1e-8e4b-5c8d7e6f5a4b',
    reversesId: null,
    entries: [
      { line: 1, account: 'bank', direction: 'debit', amount: '300000.00', currency: 'CNY' },
      { line: 2, account: 'fund', direction: 'credit', amount: '300000.00', currency: 'CNY' },
    ],
    prevHash: 'ab'.repeat(32),
  };
}

describe('canonicalJson', () => {
  it('sorts keys, recursively, and writes no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [{ z: true, y: null }], c: 'x' } })).toBe('{"a":{"c":"x","d":[{"y":null,"z":true}]},"b":1}');
  });

  it('keeps array order (arrays are ordered data)', () => {
    expect(canonicalJson([3, 1, 2])).toBe('[3,1,2]');
  });

  it('sorts by code unit, not by locale', () => {
    expect(canonicalJson({ b: 1, B: 2, a: 3, 金额: 4, _: 5 })).toBe('{"B":2,"_":5,"a":3,"b":1,"金额":4}');
  });

  it('escapes strings as JSON does', () => {
    expect(canonicalJson({ s: 'a"b\\c\n青' })).toBe('{"s":"a\\"b\\\\c\\n青"}');
  });

  it.each([0.5, 1e21, Number.MAX_SAFE_INTEGER + 1, Number.NaN, Number.POSITIVE_INFINITY, -0.1])('rejects %s: only safe integers', (n) => {
    expect(() => canonicalJson(n)).toThrow(TypeError);
    expect(() => canonicalJson({ a: [n] })).toThrow(/safe integers/);
  });

  it('accepts safe integers, including negative ones', () => {
    expect(canonicalJson([0, -1, Number.MAX_SAFE_INTEGER])).toBe(`[0,-1,${Number.MAX_SAFE_INTEGER}]`);
  });

  const canonicalValue = fc.letrec<{ value: CanonicalValue }>((tie) => ({
    value: fc.oneof(
      { depthSize: 'small' },
      fc.string(),
      fc.maxSafeInteger(),
      fc.boolean(),
      fc.constant(null),
      fc.array(tie('value'), { maxLength: 4 }),
      fc.dictionary(fc.string(), tie('value'), { maxKeys: 5 }),
    ),
  })).value;

  /** The same object with its keys inserted in reverse order, at every level. */
  function reinsert(value: CanonicalValue): CanonicalValue {
    if (Array.isArray(value)) return value.map(reinsert);
    if (value === null || typeof value !== 'object') return value;
    const out: Record<string, CanonicalValue> = {};
    for (const key of Object.keys(value).reverse()) out[key] = reinsert(value[key] as CanonicalValue);
    return out;
  }

  it('is the same regardless of key insertion order, and parses back to the same value', () => {
    fc.assert(
      fc.property(canonicalValue, (value) => {
        const text = canonicalJson(value);
        expect(canonicalJson(reinsert(value))).toBe(text);
        expect(JSON.parse(text)).toEqual(value);
        // Canonical of canonical is a fixed point.
        expect(canonicalJson(JSON.parse(text) as CanonicalValue)).toBe(text);
      }),
    );
  });
});

describe('canonicalTransaction', () => {
  it('is the sorted-key JSON of the transaction, with the version, seq as a string and entries in line order', () => {
    const text = canonicalTransaction(sample());
    const parsed = JSON.parse(text);
    expect(parsed.v).toBe(CANONICAL_VERSION);
    expect(parsed.seq).toBe('42');
    expect(parsed.reversesId).toBeNull();
    expect(Object.keys(parsed)).toEqual([...Object.keys(parsed)].sort());
    expect(text).toBe(
      '{"actorId":"3d6f0a6e-2b1c-4f1e-8e4b-5c8d7e6f5a4b","description":"Funding received, bank reference 青山-001",' +
        '"entries":[{"account":"bank","amount":"300000.00","currency":"CNY","direction":"debit","line":1},' +
        '{"account":"fund","amount":"300000.00","currency":"CNY","direction":"credit","line":2}],' +
        '"eventDate":"2025-09-01","id":"0f8fad5b-d9cb-469f-a165-70867728950e","kind":"funding_received",' +
        `"prevHash":"${'ab'.repeat(32)}","programmeId":"6ba7b810-9dad-11d1-80b4-00c04fd430c8",` +
        '"recordedAt":"2025-09-01T08:30:00.123Z","reversesId":null,"seq":"42","sourceId":"9a7b330a-a736-4b8a-9d2f-3f1e0b0f5a11",' +
        '"sourceType":"funding_receipt","v":1}',
    );
  });

  it('sorts entries by line, whatever order they come in', () => {
    const tx = sample();
    const reversed = { ...tx, entries: [...tx.entries].reverse() };
    expect(canonicalTransaction(reversed)).toBe(canonicalTransaction(tx));
    expect(JSON.parse(canonicalTransaction(reversed)).entries.map((e: CanonicalEntry) => e.line)).toEqual([1, 2]);
  });

  it('does not reorder the caller’s entries', () => {
    const tx = sample();
    const entries = [...tx.entries].reverse();
    canonicalTransaction({ ...tx, entries });
    expect(entries.map((e) => e.line)).toEqual([2, 1]);
  });

  it('keeps only the canonical fields of an entry', () => {
    const tx = sample();
    const withExtra = { ...tx, entries: tx.entries.map((e) => ({ ...e, balanceAfter: '1.00' }) as CanonicalEntry) };
    expect(canonicalTransaction(withExtra)).toBe(canonicalTransaction(tx));
  });

  it('writes seq beyond the safe integer range exactly', () => {
    const text = canonicalTransaction({ ...sample(), seq: 9007199254740993n });
    expect(JSON.parse(text).seq).toBe('9007199254740993');
  });
});

describe('hashTransaction', () => {
  it('known answer: SHA-256 (node:crypto) of the canonical string equals the Web Crypto result', async () => {
    const tx = sample();
    const hash = await hashTransaction(tx);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).toBe(sha256(canonicalTransaction(tx)));
  });

  it('sha256Hex matches the published SHA-256 test vectors', async () => {
    expect(await sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(await sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    // UTF-8, not UTF-16: a Chinese description must hash the same as any other SHA-256 tool.
    expect(await sha256Hex('青山')).toBe(sha256('青山'));
  });

  it('the genesis previous hash is 64 zeros', () => {
    expect(GENESIS_HASH).toBe('0'.repeat(64));
  });

  it('is deterministic', async () => {
    expect(await hashTransaction(sample())).toBe(await hashTransaction(sample()));
  });

  type Mutation = [string, (tx: CanonicalTransaction) => CanonicalTransaction];
  const entry = (tx: CanonicalTransaction, index: number, change: Partial<CanonicalEntry>): CanonicalTransaction => ({
    ...tx,
    entries: tx.entries.map((e, i) => (i === index ? { ...e, ...change } : e)),
  });
  const mutations: Mutation[] = [
    ['seq', (tx) => ({ ...tx, seq: tx.seq + 1n })],
    ['id', (tx) => ({ ...tx, id: '0f8fad5b-d9cb-469f-a165-70867728950f' })],
    ['programmeId', (tx) => ({ ...tx, programmeId: '6ba7b810-9dad-11d1-80b4-00c04fd430c9' })],
    ['kind', (tx) => ({ ...tx, kind: 'correction' })],
    ['eventDate', (tx) => ({ ...tx, eventDate: '2025-09-02' })],
    ['recordedAt', (tx) => ({ ...tx, recordedAt: '2025-09-01T08:30:00.124Z' })],
    ['description', (tx) => ({ ...tx, description: `${tx.description}.` })],
    ['sourceType', (tx) => ({ ...tx, sourceType: 'grant' })],
    ['sourceId', (tx) => ({ ...tx, sourceId: '9a7b330a-a736-4b8a-9d2f-3f1e0b0f5a12' })],
    ['actorId', (tx) => ({ ...tx, actorId: '3d6f0a6e-2b1c-4f1e-8e4b-5c8d7e6f5a4c' })],
    ['reversesId', (tx) => ({ ...tx, reversesId: '0f8fad5b-d9cb-469f-a165-70867728950e' })],
    ['prevHash', (tx) => ({ ...tx, prevHash: `${tx.prevHash.slice(0, 63)}c` })],
    ['entries[0].line', (tx) => entry(tx, 0, { line: 3 })],
    ['entries[0].account', (tx) => entry(tx, 0, { account: 'in_transit' })],
    ['entries[0].direction', (tx) => entry(tx, 0, { direction: 'credit' })],
    ['entries[0].amount', (tx) => entry(tx, 0, { amount: '300000.01' })],
    ['entries[0].currency', (tx) => entry(tx, 0, { currency: 'USD' })],
    ['entries[1].line', (tx) => entry(tx, 1, { line: 3 })],
    ['entries[1].account', (tx) => entry(tx, 1, { account: 'payable:9a7b330a-a736-4b8a-9d2f-3f1e0b0f5a11' })],
    ['entries[1].direction', (tx) => entry(tx, 1, { direction: 'debit' })],
    ['entries[1].amount', (tx) => entry(tx, 1, { amount: '300000.0' })],
    ['entries[1].currency', (tx) => entry(tx, 1, { currency: 'CNH' })],
    ['an entry removed', (tx) => ({ ...tx, entries: tx.entries.slice(0, 1) })],
    ['an entry added', (tx) => ({ ...tx, entries: [...tx.entries, { line: 3, account: 'in_transit', direction: 'credit', amount: '0.01', currency: 'CNY' }] })],
  ];

  it('covers every field of a transaction and of an entry', () => {
    const covered = new Set(mutations.map(([name]) => name.replace(/^entries\[\d\]\./, 'entry.')));
    for (const field of Object.keys(sample())) if (field !== 'entries') expect(covered, field).toContain(field);
    for (const field of Object.keys(sample().entries[0]!)) expect(covered, field).toContain(`entry.${field}`);
  });

  it.each(mutations)('changes when %s changes', async (_name, mutate) => {
    const original = sample();
    const changed = mutate(sample());
    expect(canonicalTransaction(changed)).not.toBe(canonicalTransaction(original));
    expect(await hashTransaction(changed)).not.toBe(await hashTransaction(original));
    expect(await hashTransaction(changed)).toBe(sha256(canonicalTransaction(changed)));
  });

  it('distinguishes null reversesId from the string "null" and from an empty string', async () => {
    const hashes = new Set([
      await hashTransaction(sample()),
      await hashTransaction({ ...sample(), reversesId: 'null' }),
      await hashTransaction({ ...sample(), reversesId: '' }),
    ]);
    expect(hashes.size).toBe(3);
  });

  it('agrees with node:crypto for generated transactions', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          seq: fc.bigInt({ min: 1n, max: 2n ** 63n - 1n }),
          id: fc.uuid(),
          programmeId: fc.uuid(),
          kind: fc.constantFrom('funding_received', 'grant_approved', 'correction'),
          eventDate: fc.constantFrom('2024-09-01', '2025-02-28', '2026-12-31'),
          recordedAt: fc.date({ min: new Date('2020-01-01'), max: new Date('2040-01-01'), noInvalidDate: true }).map((d) => d.toISOString()),
          description: fc.string({ unit: 'grapheme' }),
          sourceType: fc.constantFrom('funding_receipt', 'grant'),
          sourceId: fc.uuid(),
          actorId: fc.uuid(),
          reversesId: fc.option(fc.uuid(), { nil: null }),
          entries: fc.array(
            fc.record({
              line: fc.integer({ min: 1, max: 20 }),
              account: fc.constantFrom('bank', 'fund', 'in_transit'),
              direction: fc.constantFrom('debit' as const, 'credit' as const),
              amount: fc.bigInt({ min: 1n, max: 99_999_999_999_999n }).map((f) => `${f / 100n}.${(f % 100n).toString().padStart(2, '0')}`),
              currency: fc.constant('CNY'),
            }),
            { minLength: 2, maxLength: 4 },
          ),
          prevHash: fc.stringMatching(/^[0-9a-f]{64}$/),
        }),
        async (tx) => {
          expect(await hashTransaction(tx)).toBe(sha256(canonicalTransaction(tx)));
        },
      ),
      { numRuns: 50 },
    );
  });
});
