// Masked forms of personal data, for everyone who does not need the whole value.
// Rule of thumb throughout: when an input is too short or oddly shaped to mask by its pattern, mask
// more, never less — a mask that reveals a whole short value is not a mask.

const ASTERISK = '*';

function stars(n: number): string {
  return ASTERISK.repeat(Math.max(0, n));
}

/**
 * Identity number: first 6 (region) + 8 asterisks (birth date, sequence) + last 4 → `630102********1234`.
 * The birth date is hidden; region and last four are enough for a person to recognise a record.
 * Any input that is not 18 characters (after trimming) is masked entirely, one asterisk per character.
 */
export function maskIdentityNumber(value: string): string {
  const chars = [...(value ?? '').trim()];
  if (chars.length !== 18) return stars(chars.length);
  return chars.slice(0, 6).join('') + stars(8) + chars.slice(14).join('');
}

/**
 * Bank account number: every digit but the last 4 becomes `*`, without grouping spaces →
 * `***************1234` for a 19-digit card. Chosen over `**** **** **** 1234` because Chinese
 * account numbers are 16–19 digits (and longer for some passbooks), so fixed groups of four would
 * misstate the length; keeping the length lets a clerk compare against a passbook.
 * Spaces and hyphens in the input are dropped first. Fewer than 8 characters: masked entirely,
 * so that at least half of a number is always hidden.
 */
export function maskBankAccount(value: string): string {
  const chars = [...(value ?? '').replace(/[\s-]/g, '')];
  if (chars.length < 8) return stars(chars.length);
  return stars(chars.length - 4) + chars.slice(-4).join('');
}

/**
 * Chinese name: first character, then one `*` per remaining character → `张*`, `欧阳**`, `才***`.
 * Counts characters by code point, so rare characters outside the BMP (e.g. 𠮷) count once.
 * A one-character name is masked entirely (`*`): showing its first character would show all of it.
 */
export function maskChineseName(value: string): string {
  const chars = [...(value ?? '').trim()];
  if (chars.length <= 1) return stars(chars.length);
  return chars[0] + stars(chars.length - 1);
}

/**
 * Phone number: a mainland mobile number (11 digits, optionally written with +86/0086 and spaces or
 * hyphens) → `138****5678`. Other numbers (landlines, foreign) keep only their last 4 digits, and only
 * when they have at least 8; shorter ones are masked entirely.
 */
export function maskPhone(value: string): string {
  let digits = (value ?? '').replace(/[\s-]/g, '');
  const international = /^(?:\+|00)86(1\d{10})$/.exec(digits);
  if (international) digits = international[1]!;
  const chars = [...digits];
  if (/^1\d{10}$/.test(digits)) return digits.slice(0, 3) + stars(4) + digits.slice(7);
  if (chars.length < 8) return stars(chars.length);
  return stars(chars.length - 4) + chars.slice(-4).join('');
}
