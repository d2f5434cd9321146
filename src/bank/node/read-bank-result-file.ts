// The one place this folder touches the file system: a convenience for tools and tests. A service
// handling an upload passes the request body's stream to readBankResults instead.
import { createReadStream } from 'node:fs';
import { readBankResults } from '../results/read-bank-result-lines.ts';
import type { BankResultFile, ReadBankResultsOptions } from '../results/types.ts';

export function readBankResultFile(path: string, options: ReadBankResultsOptions = {}): Promise<BankResultFile> {
  return readBankResults(createReadStream(path, { highWaterMark: 64 * 1024 }), options);
}
