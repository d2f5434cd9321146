// A bank statement CSV by its path, collected whole: for small files, tests and tools. Apart from
// the reader because it opens the file with node:fs; the reader itself takes any stream of bytes.
import { createReadStream } from 'node:fs';
import path from 'node:path';
import { collectCsvStatement } from '../statement-csv/collect.ts';
import type { ReadCsvStatementOptions } from '../statement-csv/read-csv-statement.ts';
import type { CsvStatementDocument } from '../statement-csv/types.ts';

/** Reads a file; its base name goes into error messages unless options.fileName says otherwise. */
export function readCsvStatementFile(file: string, options: Omit<ReadCsvStatementOptions, 'fileName'> & { fileName?: string }): Promise<CsvStatementDocument> {
  return collectCsvStatement(createReadStream(file, { highWaterMark: 64 * 1024 }), {
    ...options,
    fileName: options.fileName ?? path.basename(file),
  });
}
