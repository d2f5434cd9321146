// Where the bytes of a check's input come from: a bank statement or a remittance list given as a
// file on the command line (src/reconcile/node/file-source.ts), or uploaded through a page or the
// API and held in memory (bytesSource below). The checks read only through this interface, so they
// run wherever the service runs (Node, Workers), and never learn where a file lives.
import { sha256Hex } from '../domain/sha256.ts';

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

/** Bytes held in memory (an upload) as a source, handed out in chunks as a file would be. */
export function bytesSource(name: string, bytes: Uint8Array): ByteSource {
  let digest: string | undefined;
  return {
    name,
    async *open() {
      for (let at = 0; at < bytes.byteLength; at += SOURCE_CHUNK_BYTES) yield bytes.subarray(at, at + SOURCE_CHUNK_BYTES);
    },
    sha256: async () => (digest ??= sha256Hex(bytes)),
    size: async () => bytes.byteLength,
  };
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
