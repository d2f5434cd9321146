// What a person's name may hold, checked where it enters (registration, the county list, a bank
// account's holder): the characters of names on Chinese identity cards and bank records — Chinese
// characters, letters where documents have them — with the middle dot of minority names (买买提·艾力)
// or a space, hyphen or apostrophe only between the parts. Refused with a reason of its own:
// - a name starting with =, + , - or @: spreadsheets (and the banks' upload tools) take it for a
//   formula, so every 代发 CSV holding it would be refused;
// - a tab, a control or an invisible character (zero-width space, direction marks): two names that
//   look the same would differ, and the bank compares 户名 character by character.
// Pure.

export const NAME_FORMULA_START =
  'name_formula_start: 不能以 =、+、-、@ 开头（表格软件会当作公式） (must not start with =, +, - or @: spreadsheets take it for a formula)';
export const NAME_INVISIBLE_CHARACTER =
  'name_invisible_character: 含有制表符、控制字符或不可见字符（如零宽空格） (holds a tab, a control or an invisible character such as a zero-width space)';
export const NAME_CHARACTERS =
  'name_characters: 只能由汉字或字母组成，各部分之间可用间隔号“·”或空格 (may hold only Chinese characters or letters, with a middle dot · or a space between the parts)';

const LETTER = String.raw`[\p{Script=Han}\p{Script=Latin}\p{M}]`;
/** Between two parts: the middle dots in use (· U+00B7, ・ U+30FB, • U+2022), a space, a hyphen, an apostrophe. */
const SEPARATOR = String.raw`[\u00B7\u30FB\u2022 '\-]`;
const NAME = new RegExp(`^${LETTER}+(?:${SEPARATOR}${LETTER}+)*$`, 'u');
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\u00A0\u2000-\u200A\u3000\u115F\u1160\u3164\uFFA0]/u;
const FORMULA_START = /^[=+\-@]/;

/** The reason a (trimmed) name is refused, or null when it may be a person's name. */
export function personNameProblem(name: string): string | null {
  if (FORMULA_START.test(name)) return NAME_FORMULA_START;
  if (INVISIBLE.test(name)) return NAME_INVISIBLE_CHARACTER;
  if (!NAME.test(name)) return NAME_CHARACTERS;
  return null;
}
