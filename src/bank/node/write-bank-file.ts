// Puts a writer's chunks somewhere, with the SHA-256 the batch stores (re-exporting must give the same
// hash). The writers throw when a batch does not add up; writing goes to a temporary file in the target
// directory, renamed into place only when the writer finished, so a failed export leaves no file that
// looks complete.
import { createHash, randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import path from 'node:path';

export interface WrittenBankFile {
  bytes: number;
  /** Lower-case hex. */
  sha256: string;
}

/** Writes `chunks` to `target` atomically (temporary file, fsync, rename). Rethrows the writer's error after removing the temporary file. */
export async function writeBankFile(target: string, chunks: AsyncIterable<Uint8Array>): Promise<WrittenBankFile> {
  const temporary = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${randomBytes(6).toString('hex')}.partial`);
  const hash = createHash('sha256');
  let bytes = 0;
  const file = await open(temporary, 'wx');
  try {
    for await (const chunk of chunks) {
      hash.update(chunk);
      bytes += chunk.byteLength;
      let written = 0;
      while (written < chunk.byteLength) written += (await file.write(chunk, written)).bytesWritten;
    }
    await file.sync();
    await file.close();
    await rename(temporary, target);
  } catch (err) {
    await file.close().catch(() => undefined);
    await rm(temporary, { force: true });
    throw err;
  }
  return { bytes, sha256: hash.digest('hex') };
}

/** The whole file in memory, with its hash: for small batches, downloads and tests. */
export async function collectBankFile(chunks: AsyncIterable<Uint8Array>): Promise<WrittenBankFile & { content: Buffer }> {
  const parts: Uint8Array[] = [];
  const hash = createHash('sha256');
  for await (const chunk of chunks) {
    parts.push(chunk);
    hash.update(chunk);
  }
  const content = Buffer.concat(parts);
  return { content, bytes: content.byteLength, sha256: hash.digest('hex') };
}
