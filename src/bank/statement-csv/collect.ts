// The whole statement in memory. For small files, tests and tools; large files should iterate
// readCsvStatement. Opening a file by its path is Node's business:
// ../node/read-csv-statement-file.ts.
import { readCsvStatement, type ReadCsvStatementOptions } from './read-csv-statement.ts';
import type { CsvEntryEvent, CsvStatementDocument, CsvStatementEndEvent, CsvStatementEvent } from './types.ts';

export async function collectCsvStatement(source: AsyncIterable<Uint8Array | string>, options: ReadCsvStatementOptions): Promise<CsvStatementDocument> {
  let statement: CsvStatementEvent | undefined;
  let end: CsvStatementEndEvent | undefined;
  const entries: CsvEntryEvent[] = [];
  for await (const event of readCsvStatement(source, options)) {
    if (event.type === 'statement') statement = event;
    else if (event.type === 'entry') entries.push(event);
    else end = event;
  }
  // readCsvStatement always ends with both or throws; this guard only informs the types.
  if (statement === undefined || end === undefined) throw new Error('readCsvStatement ended without a statement');
  return { statement, entries, end };
}
