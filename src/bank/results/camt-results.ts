// A camt.053 / camt.054 file → result lines, entry by entry from the streaming camt reader: only
// the result lines (small objects) are kept, never the file or the camt entries themselves.
import { readCamt } from '../camt/index.ts';
import { resultsOfEntry } from './camt-entry.ts';
import { BankResultFileError } from './errors.ts';
import type { BankResultFile } from './types.ts';

export type CamtResults = Omit<BankResultFile, 'sha256'>;

/**
 * Reads the file to its end (a truncated file is the camt reader's error, never a partial list).
 * `expected` is the format the caller asked for, or undefined for whichever camt the file is.
 */
export async function readCamtResults(source: AsyncIterable<Uint8Array | string>, expected: 'camt.053' | 'camt.054' | undefined): Promise<CamtResults> {
  const result: CamtResults = { format: 'camt.054', messageId: null, account: null, currency: null, lines: [], skipped: [] };
  let accountCurrency: string | null = null;
  const entryCurrencies = new Set<string>();
  let firstStatementId = '';

  for await (const event of readCamt(source)) {
    switch (event.type) {
      case 'header':
        if (expected !== undefined && event.messageType !== expected) {
          throw new BankResultFileError(`the file is a ${event.messageType} (namespace version ${event.version}), but ${expected} was expected`, null);
        }
        result.format = event.messageType;
        result.messageId = event.messageId;
        break;
      case 'statement':
        // A result file answers for one account: results for two accounts in one list could be
        // matched to payouts that were never sent from the account they were booked on.
        if (result.account === null) {
          result.account = event.account;
          firstStatementId = event.id;
        } else if (event.account !== result.account) {
          throw new BankResultFileError(
            `statement ${event.index} ("${event.id}") is about account ${event.account}, but statement 1 ("${firstStatementId}") is about ${result.account}: a result file must be about one account`,
            null,
          );
        }
        if (event.currency !== null) {
          if (accountCurrency !== null && accountCurrency !== event.currency) {
            throw new BankResultFileError(`statement ${event.index} gives the account currency ${event.currency}, an earlier one ${accountCurrency}`, null);
          }
          accountCurrency = event.currency;
        }
        break;
      case 'entry': {
        entryCurrencies.add(event.currency);
        const { lines, skipped } = resultsOfEntry(event);
        for (const line of lines) result.lines.push(line);
        for (const s of skipped) result.skipped.push(s);
        break;
      }
      case 'statement-end':
        break;
    }
  }
  // The account's currency when stated; else the entries' when they all agree; else unknown.
  result.currency = accountCurrency ?? (entryCurrencies.size === 1 ? (entryCurrencies.values().next().value as string) : null);
  return result;
}
