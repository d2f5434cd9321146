// The one place the bank result readers touch the file system: a convenience for tools and tests.
// A service handling an upload passes the request body's stream to readBankResults instead.
import { createReadStream } from 'node:fs';
import type { BankResultFile, ReadBankResultsOptions } from '../results/types.ts';
import { readBankResults } from './read-bank-results.ts';

export function readBankResultFile(path: string, options: ReadBankResultsOptions = {}): Promise<BankResultFile> {
  return readBankResults(createReadStream(path, { highWaterMark: 64 * 1024 }), options);
}
