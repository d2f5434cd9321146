import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { AppEnv } from '../env.ts';
import { Uuid, errorResponses, security } from '../schemas/common.ts';

const me = createRoute({
  method: 'get',
  path: '/me',
  tags: ['Session'],
  security,
  summary: 'Who the token acts as: user, role and organisation',
  responses: {
    200: {
      description: 'The actor',
      content: { 'application/json': { schema: z.object({ userId: Uuid, role: z.string(), organisationId: Uuid, organisationKind: z.string() }).openapi('Actor') } },
    },
    ...errorResponses,
  },
});

export const meRoutes = new OpenAPIHono<AppEnv>().openapi(me, (c) => {
  const a = c.get('actor');
  return c.json({ userId: a.userId, role: a.role, organisationId: a.organisationId, organisationKind: a.organisationKind }, 200);
});
