// A file on disk as a ByteSource (src/reconcile/sources.ts), for the command line: streamed in the
// chunks the checks have always read (64 KiB), hashed with Node's native SHA-256 (statements can be
// 1 GB and more). A read of the whole file hashes it on the way, so the check that reads a
// statement and then asks for its hash reads it once.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { type ByteSource, SOURCE_CHUNK_BYTES, UnreadableSource } from '../sources.ts';

/** Chunks of a read for the hash alone: larger, nothing else waits on them. */
const HASH_CHUNK_BYTES = 1024 * 1024;

/**
 * The file at `path` (named by it in messages, as given). Errors reading it are Node's (with their
 * `code`, e.g. ENOENT); size() of something that is not a regular file is UnreadableSource.
 */
export function fileSource(path: string): ByteSource {
  let digest: string | undefined;
  let hashing: Promise<string> | undefined;
  return {
    name: path,
    async *open() {
      const hash = digest === undefined ? createHash('sha256') : undefined;
      for await (const chunk of createReadStream(path, { highWaterMark: SOURCE_CHUNK_BYTES })) {
        hash?.update(chunk as Buffer);
        yield chunk as Buffer;
      }
      if (hash !== undefined) digest ??= hash.digest('hex');
    },
    sha256() {
      if (digest !== undefined) return Promise.resolve(digest);
      hashing ??= hashFile(path).then(
        (hex) => (digest = hex),
        (error: unknown) => {
          hashing = undefined;
          throw error;
        },
      );
      return hashing;
    },
    async size() {
      const s = await stat(path);
      if (!s.isFile()) throw new UnreadableSource(path, 'not a file');
      return s.size;
    },
  };
}

async function hashFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: HASH_CHUNK_BYTES })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
