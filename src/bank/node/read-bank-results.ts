// A bank's answer to a payout batch → one BankResultFile, with the SHA-256 of its raw bytes. The
// reading is ../results/read-bank-result-lines.ts (pure); the hash is here because it is computed
// with node:crypto as the chunks pass (a streaming hash the platform-neutral Web Crypto lacks), so
// the file is still read once and never held whole.
import { readBankResultLines } from '../results/read-bank-result-lines.ts';
import type { BankResultFile, ReadBankResultsOptions } from '../results/types.ts';
import { HashingSource } from './hashing-source.ts';

/**
 * Reads the whole file and returns its result lines and hash, or throws BankResultFileError (with
 * the line when there is one) and returns nothing: see readBankResultLines. The source yields
 * bytes (a file stream or a request body) or, already decoded, strings (hashed as UTF-8).
 */
export async function readBankResults(source: AsyncIterable<Uint8Array | string>, options: ReadBankResultsOptions = {}): Promise<BankResultFile> {
  const hashed = new HashingSource(source);
  const parts = await readBankResultLines(hashed, options);
  // Only after a clean read: digest() refuses a source that was not read to its end.
  return { ...parts, sha256: hashed.digest() };
}
