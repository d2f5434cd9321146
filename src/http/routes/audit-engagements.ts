// Audit engagements: platform admins make and end them; auditors read their own organisation's.
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { createAuditEngagement, endAuditEngagement, listAuditEngagements } from '../../services/audit-engagements.ts';
import { serviceContext } from '../context.ts';
import type { AppEnv } from '../env.ts';
import { AuditEngagementOut, AuditEngagementPage, AuditEngagementQuery, CreateAuditEngagementBody } from '../schemas/audit-engagements.ts';
import { Uuid, errorResponses, security } from '../schemas/common.ts';

const tags = ['Audit engagements'];
const json = <T extends z.ZodType>(schema: T) => ({ 'application/json': { schema } });

const create = createRoute({
  method: 'post',
  path: '/audit-engagements',
  tags,
  security,
  summary: 'Engage an audit body on all programmes or on listed ones, from one date to another (platform admin)',
  description:
    'Auditors of the organisation see what its current engagements cover (starts_on ≤ today ≤ ends_on, China dates), from their next request. 400 names the field: unknown organisation or one that is not `audit`/`platform`, unknown programme (`programmeIds.N`), `endsOn` before `startsOn`, `programmes` without programmes. An admin of another kind of organisation gets 403. Audited.',
  request: { body: { required: true, content: json(CreateAuditEngagementBody) } },
  responses: { 201: { description: 'Created', content: json(AuditEngagementOut) }, ...errorResponses },
});

const list = createRoute({
  method: 'get',
  path: '/audit-engagements',
  tags,
  security,
  summary: 'Audit engagements, newest first (platform admin: all; auditor: its own organisation’s)',
  request: { query: AuditEngagementQuery },
  responses: { 200: { description: 'A page', content: json(AuditEngagementPage) }, ...errorResponses },
});

const end = createRoute({
  method: 'post',
  path: '/audit-engagements/{id}/ending',
  tags,
  security,
  summary: 'End an engagement today (platform admin); engagements are never deleted',
  description: 'Sets endsOn to today (China date) and takes effect at once. 409 `engagement_already_ended` when it has ended already. Audited.',
  request: { params: z.object({ id: Uuid }) },
  responses: { 200: { description: 'The ended engagement', content: json(AuditEngagementOut) }, ...errorResponses },
});

export const auditEngagementRoutes = new OpenAPIHono<AppEnv>()
  .openapi(create, async (c) => c.json(await createAuditEngagement({ ctx: serviceContext(c), input: c.req.valid('json') }), 201))
  .openapi(list, async (c) => c.json(await listAuditEngagements({ ctx: serviceContext(c), input: c.req.valid('query') }), 200))
  .openapi(end, async (c) => c.json(await endAuditEngagement({ ctx: serviceContext(c), input: c.req.valid('param') }), 200));
