// How a response names the student and programme it is about: masked, never in clear.
import { z } from '@hono/zod-openapi';
import { Uuid } from './common.ts';

export const StudentRef = z.object({
  id: Uuid,
  nameMasked: z.string().openapi({ example: '才***' }),
  identityNumberMasked: z.string().openapi({ example: '630102********1234' }),
});

export const ProgrammeRef = z.object({ id: Uuid, code: z.string(), name: z.string() });
