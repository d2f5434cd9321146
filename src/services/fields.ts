// Field schemas that several use cases share: money as strings with at most two decimals, real
// calendar dates, academic years written 2025-2026, uuids, codes, names, reasons, pages. Each use
// case builds its input schema from these and parses its own input (src/services/validation.ts), so
// a page, a script and the JSON API get the same checks and the same messages. The `.meta()`
// annotations (examples, patterns) are read by the OpenAPI document the HTTP layer builds from them.
import { z } from 'zod';
import { type AcademicYear, parseAcademicYear } from '../domain/academic-year.ts';
import { isIsoDate } from '../domain/calendar-date.ts';
import { ValidationError } from '../domain/errors.ts';
import { parseMoney } from '../domain/money.ts';
import { personNameProblem } from '../domain/person-name.ts';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './pagination.ts';

export const Uuid = z.uuid({ message: 'must be a UUID' }).meta({ example: '0f8fad5b-d9cb-469f-a165-70867728950e' });

const MONEY_MESSAGES = {
  format: 'must be an amount in CNY written as a string, e.g. "3500.00"',
  scale: 'must have at most two decimals (fen)',
  range: 'is too large',
} as const;

/** A positive amount of CNY: a string, at most two decimals, never a JSON number. */
export const PositiveMoney = z
  .string({ message: 'must be an amount written as a string, e.g. "3500.00"' })
  .superRefine((text, ctx) => {
    const parsed = parseMoney(text);
    if (!parsed.ok) ctx.addIssue({ code: 'custom', message: MONEY_MESSAGES[parsed.reason] });
    else if (!parsed.value.greaterThan(0)) ctx.addIssue({ code: 'custom', message: 'must be greater than zero' });
  })
  .meta({ type: 'string', pattern: '^[0-9]{1,12}(\\.[0-9]{1,2})?$', example: '3500.00', description: 'CNY, at most two decimals' });

export const IsoDate = z
  .string({ message: 'must be a date written YYYY-MM-DD' })
  .refine(isIsoDate, { message: 'must be a real calendar date written YYYY-MM-DD' })
  .meta({ format: 'date', example: '2026-03-01' });

export const AcademicYearText = z
  .string({ message: 'must be an academic year written like 2025-2026' })
  .refine((t) => parseAcademicYear(t).ok, { message: 'must be an academic year written like 2025-2026' })
  .meta({ example: '2025-2026', pattern: '^[0-9]{4}-[0-9]{4}$' });

export const Code = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'must be 1–64 letters, digits, dot, dash or underscore')
  .meta({ example: 'QH-QINGSHAN-2024' });

export const Name = z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters');

/** Why a decision was taken or refused: kept with it and in the audit trail. */
export const Reason = z
  .string({ message: 'state the reason' })
  .trim()
  .min(2, 'state the reason (at least 2 characters)')
  .max(500, 'must be at most 500 characters');

/** A page of a list: the cursor of the previous page, and how many rows. */
export const PageInput = z.object({
  cursor: z.string().max(500).optional().meta({ description: 'nextCursor of the previous page' }),
  limit: z.coerce
    .number()
    .int('must be a whole number')
    .min(1)
    .max(MAX_PAGE_SIZE)
    .default(DEFAULT_PAGE_SIZE)
    .meta({ type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE }),
});

/** An academic year written like 2025-2026, or a validation error naming `path`. */
export function academicYearField(text: string, path = 'academicYear'): AcademicYear {
  const parsed = parseAcademicYear(text);
  if (!parsed.ok) throw new ValidationError([{ path, message: 'must be an academic year written like 2025-2026' }]);
  return parsed.value;
}

// ─── people and their records ──────────────────────────────────────────────────────────────────

/** Free text, trimmed, not empty, at most `max` characters. */
export const text = (max: number, example?: string) =>
  z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    .meta(example ? { example } : {});

export const PersonName = text(50, '韩梅梅')
  .superRefine((name, ctx) => {
    // An empty name is already refused as empty: one message per problem.
    const problem = name === '' ? null : personNameProblem(name);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .meta({
    description:
      'As on the identity card: Chinese characters or letters, a middle dot (·) or space between parts; not starting with = + - @, no control or invisible characters. Whitespace is ignored when names are compared',
  });

export const Gender = z
  .enum(['male', 'female'])
  .meta({ description: 'male 男 · female 女; must match the 17th digit of the identity number (odd male, even female)' });
export type Gender = z.infer<typeof Gender>;

export const EnrolmentLevel = z.enum(['higher_vocational', 'junior_college', 'undergraduate']).meta({
  description: 'higher_vocational 高职 · junior_college 大专 · undergraduate 本科',
});

export const EnrolmentStatus = z.enum(['enrolled', 'suspended', 'graduated', 'withdrawn']).meta({
  description: 'enrolled 在读 · suspended 休学 · graduated 毕业 · withdrawn 退学 (the last two are final)',
});

export const AccountNumber = z
  .string()
  .regex(/^\d{12,30}$/, 'must be 12–30 digits, without spaces')
  .meta({ example: '6217000000000000123', description: 'Digits only' });

export const Phone = z
  .string()
  .regex(/^(?:\+|00)?[\d -]{6,24}$/, 'must be a phone number: digits, optionally +86, spaces or hyphens')
  .meta({ example: '13800000000' });

/** The student's own account: the programme pays only into it. */
export const BankAccount = z.strictObject({
  bankName: text(100, '中国建设银行西宁城东支行'),
  accountNumber: AccountNumber,
  holderName: PersonName.meta({ description: 'Must be the student (rule account_holder_not_student)' }),
});
