// What a report may show of a cell beside its problem: the clerk finds the cell faster when its
// value is there, but personal values are masked as everywhere else (names 韩**, identity numbers
// 630102********1234, accounts ***1234, phones 138****5678; of the evidence, the documents' types
// only, never their numbers). Pure.
//
// A name or a number can also land in another column — typed in the wrong one, or shifted by an
// unquoted comma — so every other column is masked by shape too: runs of six digits or more become
// stars, and a run of two to four Chinese characters (the length of most names) that is not a word
// the import itself knows (男, 本科, 服刑在押, …), or any run with a middle dot, keeps its first
// character only. Longer text (an authority, a bank, a school) is shown as written.
import { SITUATION_NAMES, cleanText } from './cells.ts';
import { maskBankAccount, maskChineseName, maskIdentityNumber, maskPhone } from '../masking.ts';

const KNOWN_WORDS = new Set([
  ...Object.keys(SITUATION_NAMES),
  '男',
  '女',
  '是',
  '否',
  '高职',
  '大专',
  '本科',
  '专科',
  '中专',
  '高中',
  '硕士',
  '博士',
  '研究生',
  '一级',
  '二级',
  '三级',
  '四级',
  '个月',
]);

/** Two to four characters not of the import's own words, or any run with the middle dot of transliterated names (阿依古丽·买买提). */
function looksLikeName(run: string): boolean {
  const length = [...run].length;
  return run.includes('·') || (length >= 2 && length <= 4 && !KNOWN_WORDS.has(run));
}

function maskByShape(text: string): string {
  return text
    .replace(/\d{6,}/g, (digits) => '*'.repeat(digits.length))
    .replace(/[\p{Script=Han}·]+/gu, (run) => (looksLikeName(run) ? maskChineseName(run) : run));
}

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
  const shown = (MASKS[column] ?? maskByShape)(text);
  return [...shown].length > MAX_SHOWN ? `${[...shown].slice(0, MAX_SHOWN).join('')}…` : shown;
}
