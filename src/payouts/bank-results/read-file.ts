// The one place this folder touches the file system: a convenience for tools and tests. A service
// handling an upload passes the request body's stream to readBankResults instead.
import { createReadStream } from 'node:fs';
import { readBankResults } from './read-bank-results.ts';
import type { BankResultFile, ReadBankResultsOptions } from './types.ts';

export function readBankResultFile(path: string, options: ReadBankResultsOptions = {}): Promise<BankResultFile> {
  return readBankResults(createReadStream(path, { highWaterMark: 64 * 1024 }), options);
}
