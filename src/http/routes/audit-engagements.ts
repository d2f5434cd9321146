// Audit engagements: platform admins make and end them; auditors read their own organisation's.
import { z } from '@hono/zod-openapi';
import { createAuditEngagement, endAuditEngagement, listAuditEngagements } from '../../services/audit-engagements.ts';
import { jsonBody, jsonResponse, routeGroup } from '../define-route.ts';
import { AuditEngagementOut, AuditEngagementPage, AuditEngagementQuery, CreateAuditEngagementBody } from '../schemas/audit-engagements.ts';
import { Uuid } from '../schemas/common.ts';

const { get, post } = routeGroup({ tags: ['Audit engagements'] });

export const auditEngagementRoutes = [
  post('/audit-engagements', 'audit_engagement.manage', {
    summary: 'Engage an audit body on all programmes or on listed ones, from one date to another (platform admin)',
    description:
      'Auditors of the organisation see what its current engagements cover (starts_on ≤ today ≤ ends_on, China dates), from their next request. 400 names the field: unknown organisation or one that is not `audit`/`platform`, unknown programme (`programmeIds.N`), `endsOn` before `startsOn`, `programmes` without programmes. An admin of another kind of organisation gets 403. Audited.',
    request: { body: jsonBody(CreateAuditEngagementBody) },
    responses: { 201: jsonResponse('Created', AuditEngagementOut) },
  }).runs(createAuditEngagement),
  get('/audit-engagements', 'audit_engagement.read', {
    summary: 'Audit engagements, newest first (platform admin: all; auditor: its own organisation’s)',
    request: { query: AuditEngagementQuery },
    responses: { 200: jsonResponse('A page', AuditEngagementPage) },
  }).runs(listAuditEngagements),
  post('/audit-engagements/{id}/ending', 'audit_engagement.manage', {
    summary: 'End an engagement today (platform admin); engagements are never deleted',
    description: 'Sets endsOn to today (China date) and takes effect at once. 409 `engagement_already_ended` when it has ended already. Audited.',
    request: { params: z.object({ id: Uuid }) },
    responses: { 200: jsonResponse('The ended engagement', AuditEngagementOut) },
  }).runs(endAuditEngagement),
];
