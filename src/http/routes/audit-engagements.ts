// Audit engagements: platform admins make and end them; auditors read their own organisation's.
import { z } from '@hono/zod-openapi';
import { createAuditEngagement, endAuditEngagement, listAuditEngagements } from '../../services/audit-engagements.ts';
import { serviceContext } from '../context.ts';
import { defineRoute, jsonBody, jsonResponse } from '../define-route.ts';
import { AuditEngagementOut, AuditEngagementPage, AuditEngagementQuery, CreateAuditEngagementBody } from '../schemas/audit-engagements.ts';
import { Uuid } from '../schemas/common.ts';

const tags = ['Audit engagements'];

const create = defineRoute(
  {
    method: 'post',
    path: '/audit-engagements',
    action: 'audit_engagement.manage',
    tags,
    summary: 'Engage an audit body on all programmes or on listed ones, from one date to another (platform admin)',
    description:
      'Auditors of the organisation see what its current engagements cover (starts_on ≤ today ≤ ends_on, China dates), from their next request. 400 names the field: unknown organisation or one that is not `audit`/`platform`, unknown programme (`programmeIds.N`), `endsOn` before `startsOn`, `programmes` without programmes. An admin of another kind of organisation gets 403. Audited.',
    request: { body: jsonBody(CreateAuditEngagementBody) },
    responses: { 201: jsonResponse('Created', AuditEngagementOut) },
  },
  async (c) => c.json(await createAuditEngagement({ ctx: serviceContext(c), input: c.req.valid('json') }), 201),
);

const list = defineRoute(
  {
    method: 'get',
    path: '/audit-engagements',
    action: 'audit_engagement.read',
    tags,
    summary: 'Audit engagements, newest first (platform admin: all; auditor: its own organisation’s)',
    request: { query: AuditEngagementQuery },
    responses: { 200: jsonResponse('A page', AuditEngagementPage) },
  },
  async (c) => c.json(await listAuditEngagements({ ctx: serviceContext(c), input: c.req.valid('query') }), 200),
);

const end = defineRoute(
  {
    method: 'post',
    path: '/audit-engagements/{id}/ending',
    action: 'audit_engagement.manage',
    tags,
    summary: 'End an engagement today (platform admin); engagements are never deleted',
    description: 'Sets endsOn to today (China date) and takes effect at once. 409 `engagement_already_ended` when it has ended already. Audited.',
    request: { params: z.object({ id: Uuid }) },
    responses: { 200: jsonResponse('The ended engagement', AuditEngagementOut) },
  },
  async (c) => c.json(await endAuditEngagement({ ctx: serviceContext(c), input: c.req.valid('param') }), 200),
);

export const auditEngagementRoutes = [create, list, end];
