// One data record of a 代发 result file → a result line (or a not-final status to skip). Every
// problem is an error naming the line and the column: a line we cannot read is a payout whose
// fate we would not know, so the file is refused rather than read without it.
import { parsePayoutReference } from '../outgoing/payout-reference.ts';
import { cleanCell, currencyCode, parseAmount, parseDateTime } from '../statement-csv/values.ts';
import type { ResultLayout } from './csv-columns.ts';
import { KNOWN_STATUSES_HINT, readStatus } from './csv-status.ts';
import { BankResultFileError } from './errors.ts';
import type { BankResultLine } from './types.ts';

export type RowReading = { line: BankResultLine } | { pending: { line: number; why: string; amount: string; currency: string } };

/**
 * Candidates for a payout reference (`<BATCHCODE>-<6 digits>`, as makePayoutReference writes it)
 * inside free text ("青山助学金 QS2026A-000001 第一期"): not part of a longer run of letters,
 * digits and hyphens. Each candidate is then checked with parsePayoutReference.
 */
const REFERENCE_CANDIDATE = /(?<![A-Za-z0-9-])[A-Z0-9](?:[A-Z0-9-]*[A-Z0-9])?-\d{6}(?![A-Za-z0-9-])/g;

/** Throws a BankResultFileError for the line, naming the column when there is one. */
type Fail = (field: number | undefined, why: string) => never;

/**
 * Is this record a result line at all? Notes under the table (打印日期：…, 经办人：…) are one
 * "label：value" cell with no status; anything else with a result column filled is a result line
 * (and then must be complete, or it is an error).
 */
export function hasResultData(cells: readonly string[], layout: ResultLayout): boolean {
  const filled = cells.map((c) => cleanCell(c)).filter((c) => c !== '');
  const { amount, status, payeeAccount } = layout.index;
  const statusText = status === undefined ? '' : cleanCell(cells[status]);
  if (filled.length === 1 && statusText === '' && /^[\p{Script=Han}A-Za-z][^:：]*[:：]/u.test(filled[0] as string)) return false;
  return [amount, status, payeeAccount, ...layout.references].some((i) => i !== undefined && cleanCell(cells[i]) !== '');
}

/** `fileCurrency`: the file's currency (title 币种, else the first line's, else CNY); a line in another is an error. */
export function readResultRow(cells: readonly string[], lineNo: number, layout: ResultLayout, fileCurrency: string): RowReading {
  const fail: Fail = (field, why) => {
    const column = field === undefined ? '' : `column "${layout.names[field] ?? ''}": `;
    throw new BankResultFileError(column + why, lineNo);
  };
  const cell = (i: number | undefined): string => (i === undefined ? '' : cleanCell(cells[i]));
  const { index } = layout;

  if (cells.length > layout.names.length && cells.slice(layout.names.length).some((c) => cleanCell(c) !== '')) {
    fail(undefined, `the line has ${cells.length} cells, the header ${layout.names.length}: is an amount like 1,234.50 written without quotes?`);
  }

  const statusText = cell(index.status);
  if (statusText === '') fail(index.status, 'no status: every line of a result file must say what happened to the payout');
  const status = readStatus(statusText);
  if (status === undefined) fail(index.status, `unknown status "${statusText}" (expected ${KNOWN_STATUSES_HINT})`);

  const amountText = cell(index.amount);
  const parsed = parseAmount(amountText);
  if (parsed === undefined) fail(index.amount, 'no amount');
  if (!parsed.ok) fail(index.amount, parsed.problem);
  if (parsed.value.negative) fail(index.amount, `amount "${amountText}" is negative: a payout amount is positive`);
  if (parsed.value.zero) fail(index.amount, `amount "${amountText}" is zero: not a payout`);
  const amount = parsed.value.text;

  let currency = fileCurrency;
  const currencyText = cell(index.currency);
  if (currencyText !== '') {
    const code = currencyCode(currencyText);
    if (code === undefined) fail(index.currency, `"${currencyText}" is not a currency we know`);
    if (code !== fileCurrency) fail(index.currency, `currency ${code}, but the file is in ${fileCurrency}`);
    currency = code;
  }

  const reference = referenceIn(cells, layout, fail);

  if ('pending' in status) {
    return { pending: { line: lineNo, why: `status "${statusText}" is not final: not a result yet`, amount, currency } };
  }

  let bookingDate: string | null = null;
  const dateText = cell(index.bookingDate);
  if (dateText !== '') {
    const date = parseDateTime(dateText);
    if (!date.ok) fail(index.bookingDate, date.problem);
    bookingDate = date.value.date;
  }

  let reason: string | null = null;
  if (status.kind !== 'debit') {
    reason = cell(index.reason) || status.detail || remarkWithout(cell(layout.reasonFallback), reference) || null;
  }
  const bankReference = cell(index.bankReference) || null;
  // Only when present: most lines carry a reference, and the payee is personal data.
  const counterpartyAccount = cell(index.payeeAccount);
  const counterpartyName = cell(index.payeeName);
  return {
    line: {
      line: lineNo,
      reference,
      amount,
      currency,
      kind: status.kind,
      reason,
      bookingDate,
      bankReference,
      ...(counterpartyAccount ? { counterpartyAccount } : {}),
      ...(counterpartyName ? { counterpartyName } : {}),
    },
  };
}

/** The payout reference in the reference columns (备注 first), null when none; two different ones are an error. */
function referenceIn(cells: readonly string[], layout: ResultLayout, fail: Fail): string | null {
  let found: string | undefined;
  for (const i of layout.references) {
    const text = cleanCell(cells[i]).normalize('NFKC');
    for (const m of text.matchAll(REFERENCE_CANDIDATE)) {
      const candidate = m[0];
      if (parsePayoutReference(candidate) === undefined) continue;
      if (found === undefined) found = candidate;
      else if (found !== candidate) {
        fail(i, `two payout references on one line, ${found} and ${candidate}: which payout the line is about cannot be told`);
      }
    }
  }
  return found ?? null;
}

/** 备注 used as the reason (no reason column): its text without the reference and the separators around it. */
function remarkWithout(text: string, reference: string | null): string {
  const rest = reference === null ? text : text.split(reference).join(' ');
  return rest.replace(/^[\s,，;；:：\-—|/]+|[\s,，;；:：\-—|/]+$/gu, '').replace(/\s+/g, ' ');
}
