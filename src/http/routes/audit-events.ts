// The audit trail: list, CSV export and hash-chain verification (auditors, admins).
import { exportAuditEventsCsv, listAuditEvents, verifyAuditTrail } from '../../services/audit-events.ts';
import { fileResponse, jsonResponse, routeGroup } from '../define-route.ts';
import { AuditEventFilters, AuditEventPage, AuditEventQuery, AuditVerificationOut } from '../schemas/audit-events.ts';

const { get } = routeGroup({ tags: ['Audit'] });

export const auditEventRoutes = [
  get('/audit-events', 'audit.read', {
    summary: 'Audit events, newest first, with their place in the hash chain (auditor; admin: its organisation’s, or all on the platform)',
    request: { query: AuditEventQuery },
    responses: { 200: jsonResponse('A page', AuditEventPage) },
  }).runs(listAuditEvents),
  get('/audit-events.csv', 'audit.read', {
    summary: 'The same audit events as a streamed CSV file (UTF-8 with BOM; the export is itself audited)',
    request: { query: AuditEventFilters },
    responses: { 200: fileResponse('The CSV file (attachment)', 'text/csv') },
  }).downloads(exportAuditEventsCsv),
  get('/audit-events/verification', 'audit.verify', {
    summary: 'Recompute the audit trail’s hash chain from row 1 (auditor, admin)',
    responses: { 200: jsonResponse('The result', AuditVerificationOut) },
  }).runs(verifyAuditTrail),
];
