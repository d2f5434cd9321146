// The checks' byte sources (src/reconcile/sources.ts): an upload read again and again in the
// chunks a file is read in, its SHA-256, and the base name the report shows — the one Node's
// path.basename gives, so that a report names a file as it always did.
import { createHash } from 'node:crypto';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SOURCE_CHUNK_BYTES, baseName, blobSource, bytesSource, isByteSource } from '../../src/reconcile/sources.ts';

async function collect(chunks: AsyncIterable<Uint8Array>): Promise<number[]> {
  const sizes: number[] = [];
  for await (const c of chunks) sizes.push(c.byteLength);
  return sizes;
}

describe('bytesSource', () => {
  const bytes = new Uint8Array(SOURCE_CHUNK_BYTES * 2 + 5).map((_, i) => i % 251);
  const source = bytesSource('2026-11.camt053.xml', bytes);

  it('hands out the bytes in file-sized chunks, afresh on every read', async () => {
    expect(await collect(source.open())).toEqual([SOURCE_CHUNK_BYTES, SOURCE_CHUNK_BYTES, 5]);
    expect(await collect(source.open())).toEqual([SOURCE_CHUNK_BYTES, SOURCE_CHUNK_BYTES, 5]);
    const again: number[] = [];
    for await (const c of source.open()) again.push(...c);
    expect(Buffer.from(again).equals(Buffer.from(bytes))).toBe(true);
    expect(await collect(bytesSource('empty.csv', new Uint8Array(0)).open())).toEqual([]);
  });

  it('states its size and the SHA-256 Node computes', async () => {
    expect(await source.size()).toBe(bytes.byteLength);
    expect(await source.sha256()).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(source.name).toBe('2026-11.camt053.xml');
  });

  it('is recognised as a source; a path or a buffer is not', () => {
    expect(isByteSource(source)).toBe(true);
    expect(isByteSource('2026-11.camt053.xml')).toBe(false);
    expect(isByteSource(bytes)).toBe(false);
    expect(isByteSource(null)).toBe(false);
  });
});

describe('blobSource', () => {
  const bytes = new Uint8Array(SOURCE_CHUNK_BYTES + 7).map((_, i) => (i * 7) % 253);
  const source = blobSource('upload.csv', new Blob([bytes]));

  it('hands out an uploaded file in file-sized chunks, with its size and SHA-256, before and after a read', async () => {
    const fresh = blobSource('upload.csv', new Blob([bytes]));
    expect(await fresh.sha256()).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(await collect(source.open())).toEqual([SOURCE_CHUNK_BYTES, 7]);
    const again: number[] = [];
    for await (const c of source.open()) again.push(...c);
    expect(Buffer.from(again).equals(Buffer.from(bytes))).toBe(true);
    expect(await source.sha256()).toBe(await fresh.sha256());
    expect(await source.size()).toBe(bytes.byteLength);
    expect(await collect(blobSource('empty.csv', new Blob([])).open())).toEqual([]);
  });
});

describe('baseName', () => {
  it.each(['statement.xml', 'data/statement.xml', '/tmp/a/b.csv', '/tmp/a/', 'a//', '/', '', '..', '../x.csv', 'C:\\banks\\x.csv', '对账单/2026年11月.csv'])(
    'gives what path.basename gives for %j',
    (name) => {
      expect(baseName(name)).toBe(path.posix.basename(name));
    },
  );
});
