// Streaming reader: byte chunks in, CsvEvents out, one chunk at a time. The consumer pulls;
// nothing more is read from the source until the events of the previous chunk have been taken, so
// a file of a million lines is never in memory, only one chunk and the line being read.
import { StatementDecoder } from './decode.ts';
import { CsvStatementMachine } from './machine.ts';
import type { CsvEncodingChoice, CsvMapping } from './mapping.ts';
import type { CsvDecodedAs, CsvEvent } from './types.ts';

export interface ReadCsvStatementOptions {
  /** From csvPreset(name), loadCsvMapping(presetOrFile) (../node/load-csv-mapping.ts) or resolveCsvMapping(config, source). */
  mapping: CsvMapping;
  /** Overrides the mapping's encoding. "auto": UTF-8 when the bytes are UTF-8, else GBK. */
  encoding?: CsvEncodingChoice;
  /** Named in every error message ("bank CSV: 2025-09.csv, line 12: …"). */
  fileName?: string;
  /** The statement and entry events' statementId (CSV exports have none of their own); default "csv". */
  statementId?: string;
}

/**
 * Reads a bank statement CSV export. Events come in file order: one `statement` (just before
 * the first entry), one `entry` per statement line, one `statement-end`.
 *
 * Errors are CsvStatementError (code, line, column, reason) and may come after events were
 * already yielded: a stream cannot be judged before its end (a footer total, an undecodable byte
 * on the last line). Act on the events only once the iteration has finished without error.
 *
 * The source yields bytes (a file stream) or, already decoded, strings; not both.
 */
export async function* readCsvStatement(source: AsyncIterable<Uint8Array | string>, options: ReadCsvStatementOptions): AsyncGenerator<CsvEvent> {
  const decoder = new StatementDecoder(options.encoding ?? options.mapping.encoding, options.fileName);
  let input: 'bytes' | 'text' | undefined;
  const decodedAs = (): { encoding: CsvDecodedAs; explicit: boolean } => ({
    encoding: input === 'text' ? 'text' : (decoder.encoding ?? 'utf-8'),
    explicit: decoder.explicit,
  });
  const machineOptions: { fileName?: string; statementId?: string } = {};
  if (options.fileName !== undefined) machineOptions.fileName = options.fileName;
  if (options.statementId !== undefined) machineOptions.statementId = options.statementId;
  const machine = new CsvStatementMachine(options.mapping, machineOptions, decodedAs);

  for await (const chunk of source) {
    const kind = typeof chunk === 'string' ? 'text' : 'bytes';
    if (input !== undefined && input !== kind) throw new TypeError('readCsvStatement: the source mixes strings and bytes');
    input = kind;
    const text = typeof chunk === 'string' ? chunk : decoder.write(chunk);
    if (text.length > 0) machine.push(text);
    if (machine.events.length > 0) yield* drain(machine.events);
  }
  if (input !== 'text') {
    const rest = decoder.end();
    if (rest.length > 0) machine.push(rest);
  }
  machine.finish();
  yield* drain(machine.events);
}

/** Hands out the queued events and empties the queue (the machine keeps pushing into it). */
function drain(queue: CsvEvent[]): CsvEvent[] {
  return queue.splice(0, queue.length);
}
