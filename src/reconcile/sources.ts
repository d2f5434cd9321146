// Where the bytes of a check's input come from: a bank statement or a remittance list given as a
// file on the command line (src/reconcile/node/file-source.ts), or uploaded through a page or the
// API and held in memory (bytesSource below). The checks read only through this interface, so they
// run wherever the service runs (Node, Workers), and never learn where a file lives.
import { sha256Stream } from '../domain/sha256.ts';

/**
 * An input's bytes, readable as often as needed: the bank check reads a statement several times
 * (which kind of file it is, the account it is about, the lines, and again to find the line of a
 * problem for its message).
 */
export interface ByteSource {
  /**
   * As the caller named it: a path as given on the command line, an upload's file name. Messages
   * name the source by it; the report shows its base name only (baseName below).
   */
  readonly name: string;
  /** The bytes from the first one, afresh on every call. */
  open(): AsyncIterable<Uint8Array>;
  /**
   * SHA-256 of all the bytes, lower-case hex. A source may remember it from a read of open() to the
   * end, so that asking after reading costs nothing.
   */
  sha256(): Promise<string>;
  /** How many bytes open() gives. */
  size(): Promise<number>;
}

/** A source that is not there to be read: `reason` says why, e.g. "not a file". */
export class UnreadableSource extends Error {
  constructor(
    readonly source: string,
    readonly reason: string,
  ) {
    super(`${source}: ${reason}`);
    this.name = 'UnreadableSource';
  }
}

/** The chunks a source hands out, as a file is read (64 KiB). */
export const SOURCE_CHUNK_BYTES = 64 * 1024;

/**
 * A source of `size` bytes read `chunk` by chunk, hashed on the way: the hash of a source read to
 * its end costs nothing more, and hashing a large upload never holds the event loop for long.
 */
function chunkedSource(name: string, size: number, chunk: (at: number, end: number) => Uint8Array | Promise<Uint8Array>): ByteSource {
  let digest: string | undefined;
  async function* read(): AsyncGenerator<Uint8Array> {
    const hash = digest === undefined ? sha256Stream() : undefined;
    for (let at = 0; at < size; at += SOURCE_CHUNK_BYTES) {
      const bytes = await chunk(at, Math.min(size, at + SOURCE_CHUNK_BYTES));
      hash?.update(bytes);
      yield bytes;
    }
    if (hash !== undefined) digest ??= hash.hex();
  }
  return {
    name,
    open: read,
    async sha256() {
      if (digest === undefined) for await (const _ of read());
      return digest as string;
    },
    size: async () => size,
  };
}

/** Bytes held in memory as a source, handed out in chunks as a file would be. */
export function bytesSource(name: string, bytes: Uint8Array): ByteSource {
  return chunkedSource(name, bytes.byteLength, (at, end) => bytes.subarray(at, end));
}

/**
 * An uploaded file (a Blob, as a multipart form hands it over) as a source, read in chunks without
 * copying it whole: what the API's reconciliation uploads are (src/http/routes/reconciliation-jobs.ts).
 */
export function blobSource(name: string, blob: Blob): ByteSource {
  return chunkedSource(name, blob.size, async (at, end) => new Uint8Array(await blob.slice(at, end).arrayBuffer()));
}

/** True for anything shaped like a ByteSource (what the use case's input schema accepts). */
export function isByteSource(value: unknown): value is ByteSource {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<Record<keyof ByteSource, unknown>>;
  return typeof v.name === 'string' && typeof v.open === 'function' && typeof v.sha256 === 'function' && typeof v.size === 'function';
}

/**
 * The last part of a name that may be a path ("/data/2026-11.xml" → "2026-11.xml"), as POSIX
 * reads paths: trailing slashes ignored, "/" the only separator. What the report shows of an input.
 */
export function baseName(name: string): string {
  let end = name.length;
  while (end > 0 && name[end - 1] === '/') end--;
  return name.slice(name.lastIndexOf('/', end - 1) + 1, end);
}
