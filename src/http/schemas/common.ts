// Shapes shared by every route. Request fields (money, dates, academic years, uuids, pages) are the
// services' own field schemas (src/services/fields.ts), so the API validates exactly as the use
// cases do; this file adds what only HTTP has: response shapes, problems, headers, security.
import { z } from '@hono/zod-openapi';

export { AcademicYearText as AcademicYear, Code, IsoDate, Name, PageInput as PageQuery, PositiveMoney, Uuid } from '../../services/fields.ts';

/** Money in responses: always two decimals. */
export const MoneyOut = z.string().openapi({ example: '3500.00', pattern: '^-?[0-9]+\\.[0-9]{2}$' });

export function pageOf<T extends z.ZodType>(item: T, name: string) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() }).openapi(name);
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
    replayed: z
      .literal(true)
      .optional()
      .openapi({ description: 'Present on a refusal replayed for a reused Idempotency-Key: the request was not carried out again' }),
    replayNote: z.string().optional().openapi({ description: 'Why the replayed refusal was given, and that a new attempt needs a new Idempotency-Key' }),
  })
  .openapi('Problem');

export const problemContent = { 'application/problem+json': { schema: ProblemSchema } };

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
