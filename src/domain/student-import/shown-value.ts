// What a report may show of a cell beside its problem: the clerk finds the cell faster when its
// value is there, but personal values are masked as everywhere else (names 韩**, identity numbers
// 630102********1234, accounts ***1234, phones 138****5678; of the evidence, the documents' types
// only, never their numbers). Pure.
import { cleanText } from './cells.ts';
import { maskBankAccount, maskChineseName, maskIdentityNumber, maskPhone } from '../masking.ts';

const MAX_SHOWN = 60;

const MASKS: Readonly<Record<string, (text: string) => string>> = Object.freeze({
  name: maskChineseName,
  holder_name: maskChineseName,
  identity_number: maskIdentityNumber,
  account_number: maskBankAccount,
  phone: maskPhone,
  evidence: (text: string) =>
    text
      .split(/[;；\r\n]+/u)
      .map((item) => item.split(/[|｜]/u)[0]!.trim())
      .filter((type) => type.length > 0)
      .map((type) => `${type}|…`)
      .join('；'),
});

/** The cell of `column` as a report shows it: masked when personal, cut to 60 characters; '' when empty. */
export function shownValue(column: string, cell: string | undefined): string {
  const text = cleanText(cell);
  if (text === '') return '';
  const shown = (MASKS[column] ?? ((t: string) => t))(text);
  return [...shown].length > MAX_SHOWN ? `${[...shown].slice(0, MAX_SHOWN).join('')}…` : shown;
}
