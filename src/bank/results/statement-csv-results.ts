// An account-history CSV (a bank's 账户明细 export, read by ../statement-csv with a preset) as the
// bank's answer to payout batches, as a camt.053 is: the account's book, line by line.
//
// - A debit (借方, not a red-ink correction) → `debit`: a payment out, perhaps a payout.
// - Money coming back → `return`: a red-ink reversal of a debit (a negative debit, which the reader
//   books CRDT with `reversal`), or a credit whose reference columns name a payout, or a credit
//   whose text says 退汇 / 退票 / 退回 / 退款 (a return without the reference, matched by payee).
// - Any other credit (funding received, interest) is not a payout result: skipped.
// - The payout reference: the reference candidates of the line (附言, 备注, 摘要, 用途 …) that are
//   payout references (`<BATCHCODE>-<6 digits>`); none → null; two different ones → error.
// - The reason of a return: the line's text without the reference.
// - The counterparty (对方账号 / 对方户名, or the payee of a debit) is kept for matching only.
//
// The statement reader's errors are thrown after lines may have been read: nothing is returned
// unless the file ends cleanly (the caller gets lines or an error, never both).
import { RETURN_REASON_LABELS } from '../../domain/return-reasons.ts';
import { parsePayoutReference } from '../outgoing/payout-reference.ts';
import { CSV_PRESET_NAMES, csvPreset, readCsvStatement } from '../statement-csv/index.ts';
import type { CsvEntryEvent } from '../statement-csv/types.ts';
import { BankResultFileError } from './errors.ts';
import type { BankResultEncoding, BankResultFile, BankResultLine, SkippedBankLine } from './types.ts';

export type StatementCsvResults = Omit<BankResultFile, 'sha256'>;

/** Words banks write on the credit that brings a payment back. */
const RETURN_WORDS = /退汇|退票|退回|退款|冲正|退还/u;

export async function readStatementCsvResults(
  source: AsyncIterable<Uint8Array | string>,
  preset: string | undefined,
  encoding: BankResultEncoding = 'auto',
): Promise<StatementCsvResults> {
  if (preset === undefined || !CSV_PRESET_NAMES.includes(preset)) {
    throw new BankResultFileError(`an account-history CSV needs its layout (preset): one of ${CSV_PRESET_NAMES.join(', ')}`, null);
  }
  const result: StatementCsvResults = { format: 'statement-csv', messageId: null, account: null, currency: null, lines: [], skipped: [] };
  for await (const event of readCsvStatement(source, { mapping: csvPreset(preset), ...(encoding === 'auto' ? {} : { encoding }) })) {
    if (event.type === 'statement') {
      result.account = event.account;
      result.currency = event.currency;
    } else if (event.type === 'entry') {
      const read = lineOf(event);
      if ('why' in read) result.skipped.push(read);
      else result.lines.push(read);
    }
  }
  return result;
}

function lineOf(entry: CsvEntryEvent): BankResultLine | SkippedBankLine {
  const reference = payoutReferenceOf(entry);
  const text = entry.remittanceInfo.join(' ');
  let kind: BankResultLine['kind'];
  if (entry.creditDebit === 'DBIT') {
    if (entry.reversal) return { line: entry.line, why: 'a correction of a credit received: not a payout result' };
    kind = 'debit';
  } else if (entry.reversal || reference !== null || RETURN_WORDS.test(text)) {
    kind = 'return';
  } else {
    return { line: entry.line, why: 'a credit that names no payout and does not say it returns one (e.g. funding received): not a payout result' };
  }
  const account = entry.counterparty.account?.trim();
  const name = entry.counterparty.name?.trim();
  return {
    line: entry.line,
    reference,
    amount: entry.amount,
    currency: entry.currency,
    kind,
    reason: kind === 'debit' ? null : reasonOf(text, reference),
    bookingDate: entry.bookingDate,
    bankReference: entry.accountServicerReference,
    ...(account ? { counterpartyAccount: account } : {}),
    ...(name ? { counterpartyName: name } : {}),
  };
}

/** The one payout reference among the line's candidates; two different ones cannot be told apart. */
function payoutReferenceOf(entry: CsvEntryEvent): string | null {
  const found = [...new Set(entry.references.filter((r) => parsePayoutReference(r) !== undefined))];
  if (found.length > 1) {
    throw new BankResultFileError(`two payout references on one line, ${found[0]} and ${found[1]}: which payout the line is about cannot be told`, entry.line);
  }
  return found[0] ?? null;
}

/**
 * The line's text without the reference and without a bare word saying it is a return (退汇, 冲正:
 * the kind says so). When it names an ISO return reason code (AC04 …), the reason is written as the
 * camt reader writes it, "AC04: 账户已销户": the code is then named wherever the return is shown.
 */
function reasonOf(text: string, reference: string | null): string | null {
  const words = (reference === null ? text : text.split(reference).join(' ')).split(/\s+/).filter((w) => w !== '' && !RETURN_ONLY.test(w));
  if (words.length === 0) return null;
  const code = words.find((w) => ISO_CODE.test(w) && w in RETURN_REASON_LABELS);
  if (code === undefined) return words.join(' ');
  const rest = words.filter((w) => w !== code).join(' ');
  return rest === '' ? code : `${code}: ${rest}`;
}

const ISO_CODE = /^[A-Z]{2}[A-Z0-9]{2}$/;
const RETURN_ONLY = /^(?:退汇|退票|退回|退款|冲正|退还)$/u;
