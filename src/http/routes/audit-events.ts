// The audit trail: list, CSV export and hash-chain verification (auditors, admins).
import { exportAuditEventsCsv, listAuditEvents, verifyAuditTrail } from '../../services/audit-events.ts';
import { serviceContext } from '../context.ts';
import { defineRoute, fileResponse, jsonResponse } from '../define-route.ts';
import { fileAnswer } from '../files.ts';
import { AuditEventFilters, AuditEventPage, AuditEventQuery, AuditVerificationOut } from '../schemas/audit-events.ts';

const tags = ['Audit'];

const list = defineRoute(
  {
    method: 'get',
    path: '/audit-events',
    action: 'audit.read',
    tags,
    summary: 'Audit events, newest first, with their place in the hash chain (auditor; admin: its organisation’s, or all on the platform)',
    request: { query: AuditEventQuery },
    responses: { 200: jsonResponse('A page', AuditEventPage) },
  },
  async (c) => c.json(await listAuditEvents({ ctx: serviceContext(c), input: c.req.valid('query') }), 200),
);

const csv = defineRoute(
  {
    method: 'get',
    path: '/audit-events.csv',
    action: 'audit.read',
    tags,
    summary: 'The same audit events as a streamed CSV file (UTF-8 with BOM; the export is itself audited)',
    request: { query: AuditEventFilters },
    responses: { 200: fileResponse('The CSV file (attachment)', 'text/csv') },
  },
  async (c) => {
    const exported = await exportAuditEventsCsv({ ctx: serviceContext(c), input: c.req.valid('query') });
    return fileAnswer(c, exported.chunks(), { contentType: exported.contentType, name: exported.filename });
  },
);

const verify = defineRoute(
  {
    method: 'get',
    path: '/audit-events/verification',
    action: 'audit.verify',
    tags,
    summary: 'Recompute the audit trail’s hash chain from row 1 (auditor, admin)',
    responses: { 200: jsonResponse('The result', AuditVerificationOut) },
  },
  async (c) => c.json(await verifyAuditTrail({ ctx: serviceContext(c) }), 200),
);

export const auditEventRoutes = [list, csv, verify];
