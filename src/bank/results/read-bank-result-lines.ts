// The reading: a bank's answer to a payout batch (camt.054, camt.053 or a 代发 result CSV) → its
// result lines. It picks the reader (by the caller's format, or by sniffing), and turns every "this
// file is unusable" into a BankResultFileError. The SHA-256 of the bytes is added by
// ../node/read-bank-results.ts, which hashes them as they pass with Node's crypto module: that
// keeps this side free of Node.
import { readCamtResults } from './camt-results.ts';
import { readCsvResults } from './csv-results.ts';
import { asBankResultFileError, BankResultFileError } from './errors.ts';
import { sniffSource } from './sniff.ts';
import { readStatementCsvResults } from './statement-csv-results.ts';
import type { BankResultFile, ReadBankResultsOptions } from './types.ts';

const FORMATS = ['auto', 'camt.054', 'camt.053', 'csv', 'statement-csv'] as const;
const ENCODINGS = ['auto', 'utf-8', 'gbk'] as const;

/**
 * Reads the whole file and returns its result lines, or throws BankResultFileError (with the line
 * when there is one) and returns nothing: a file cut short or partly unreadable never yields a
 * partial list. Memory: the result lines, not the file.
 *
 * The source yields bytes (a file stream) or, already decoded, strings.
 */
export async function readBankResultLines(
  source: AsyncIterable<Uint8Array | string>,
  options: ReadBankResultsOptions = {},
): Promise<Omit<BankResultFile, 'sha256'>> {
  const format = options.format ?? 'auto';
  const encoding = options.encoding ?? 'auto';
  // Programming errors, not a bad file: the caller passed an option that does not exist.
  if (!(FORMATS as readonly string[]).includes(format)) throw new TypeError(`readBankResults: unknown format ${JSON.stringify(format)}`);
  if (!(ENCODINGS as readonly string[]).includes(encoding)) throw new TypeError(`readBankResults: unknown encoding ${JSON.stringify(encoding)}`);

  try {
    const sniffed = await sniffSource(source);
    if (sniffed.kind === 'empty') throw new BankResultFileError('the file is empty', null);
    let parts: Omit<BankResultFile, 'sha256'>;
    if (sniffed.kind === 'xml') {
      if (format === 'csv' || format === 'statement-csv') throw new BankResultFileError('the file is XML (a camt message?), not a CSV file', 1);
      // The camt message type is the namespace's; a format the caller named must agree with it.
      parts = await readCamtResults(sniffed.source, format === 'auto' ? undefined : format);
    } else if (format === 'statement-csv') {
      // An account history is told from a 代发 result only by the caller: both are CSV tables.
      parts = await readStatementCsvResults(sniffed.source, options.preset, encoding);
    } else {
      if (format !== 'auto' && format !== 'csv') {
        throw new BankResultFileError(`the file does not start with "<": not an XML ${format} message`, 1);
      }
      parts = await readCsvResults(sniffed.source, encoding);
    }
    return parts;
  } catch (err) {
    throw asBankResultFileError(err);
  }
}
