// Shapes shared by every route: money as strings with at most two decimals, real ISO dates,
// academic years written 2025-2026, uuids, pagination. The same zod schemas validate requests
// and describe them in /openapi.json.
import { z } from '@hono/zod-openapi';
import { parseAcademicYear } from '../../domain/academic-year.ts';
import { isIsoDate } from '../../domain/calendar-date.ts';
import { parseMoney } from '../../domain/money.ts';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../../services/pagination.ts';

export const Uuid = z.uuid({ message: 'must be a UUID' }).openapi({ example: '0f8fad5b-d9cb-469f-a165-70867728950e' });

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
  .openapi({ type: 'string', pattern: '^[0-9]{1,12}(\\.[0-9]{1,2})?$', example: '3500.00', description: 'CNY, at most two decimals' });

/** Money in responses: always two decimals. */
export const MoneyOut = z.string().openapi({ example: '3500.00', pattern: '^-?[0-9]+\\.[0-9]{2}$' });

export const IsoDate = z
  .string({ message: 'must be a date written YYYY-MM-DD' })
  .refine(isIsoDate, { message: 'must be a real calendar date written YYYY-MM-DD' })
  .openapi({ format: 'date', example: '2026-03-01' });

export const AcademicYear = z
  .string({ message: 'must be an academic year written like 2025-2026' })
  .refine((t) => parseAcademicYear(t).ok, { message: 'must be an academic year written like 2025-2026' })
  .openapi({ example: '2025-2026', pattern: '^[0-9]{4}-[0-9]{4}$' });

export const Code = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'must be 1–64 letters, digits, dot, dash or underscore')
  .openapi({ example: 'QH-QINGSHAN-2024' });

export const Name = z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters');

export const PageQuery = z.object({
  cursor: z.string().max(500).optional().openapi({ description: 'nextCursor of the previous page' }),
  limit: z.coerce
    .number()
    .int('must be a whole number')
    .min(1)
    .max(MAX_PAGE_SIZE)
    .default(DEFAULT_PAGE_SIZE)
    .openapi({ type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE }),
});

export function pageOf<T extends z.ZodType>(item: T, name: string) {
  return z
    .object({ items: z.array(item), nextCursor: z.string().nullable() })
    .openapi(name);
}

export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    code: z.string(),
    detail: z.string().optional(),
    instance: z.string().optional(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .openapi('Problem');

const problemContent = { 'application/problem+json': { schema: ProblemSchema } };

/** Spread into every route's responses, so the document lists the errors each can give. */
export const errorResponses = {
  400: { description: 'Invalid request: malformed JSON, unknown or invalid fields', content: problemContent },
  401: { description: 'Missing, malformed, expired or revoked token', content: problemContent },
  403: { description: 'The role may not do this', content: problemContent },
  404: { description: 'Not found, or outside the caller’s scope', content: problemContent },
  409: { description: 'Conflict with existing state', content: problemContent },
  422: { description: 'A business rule refuses the request', content: problemContent },
  500: { description: 'Unexpected error', content: problemContent },
} as const;

export const IdempotencyKeyHeader = z.object({
  'idempotency-key': z
    .string({ message: 'the Idempotency-Key header is required for requests that move money' })
    .regex(/^[\x21-\x7e]{8,255}$/, 'must be 8–255 visible ASCII characters (a UUID is a good key)')
    .openapi({ description: 'Idempotency-Key: the same key with the same body replays the first answer', example: '5f0c1c9e-6b1d-4a53-9a53-3f4f5e7b8c9d' }),
});

export const security = [{ bearerAuth: [] }];
