// SHA-256 of the raw file, computed as the chunks pass to the reader, so the file is read once and
// never held whole. The service records the hash to recognise a file uploaded twice (and, for CSV,
// as the file's only identity).
import { createHash, type Hash } from 'node:crypto';

export class HashingSource implements AsyncIterable<Uint8Array | string> {
  private readonly hash: Hash = createHash('sha256');
  private finished = false;

  constructor(private readonly source: AsyncIterable<Uint8Array | string>) {}

  async *[Symbol.asyncIterator](): AsyncIterator<Uint8Array | string> {
    for await (const chunk of this.source) {
      // A string chunk is hashed as UTF-8, the bytes it would have been in a file.
      this.hash.update(chunk);
      yield chunk;
    }
    this.finished = true;
  }

  /**
   * Lower-case hex digest. Only once the source was read to its end: a digest of part of a file
   * would look valid and identify nothing.
   */
  digest(): string {
    if (!this.finished) throw new Error('HashingSource.digest(): the source was not read to its end');
    return this.hash.digest('hex');
  }
}
