import { z } from '@hono/zod-openapi';
import { jsonResponse, routeGroup } from '../define-route.ts';
import { Uuid } from '../schemas/common.ts';

const { get } = routeGroup({ tags: ['Session'] });

export const meRoutes = [
  get('/me', 'authenticated', {
    summary: 'Who the token acts as: user, role and organisation',
    responses: {
      200: jsonResponse('The actor', z.object({ userId: Uuid, role: z.string(), organisationId: Uuid, organisationKind: z.string() }).openapi('Actor')),
    },
  }).answers((c) => {
    const a = c.get('actor');
    return c.json({ userId: a.userId, role: a.role, organisationId: a.organisationId, organisationKind: a.organisationKind }, 200);
  }),
];
