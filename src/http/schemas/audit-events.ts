// The audit trail's query and answer shapes.
import { z } from '@hono/zod-openapi';
import { AuditEventFilters, ListAuditEventsInput } from '../../services/audit-events.ts';
import { Uuid, pageOf } from './common.ts';

export { AuditEventFilters };

export const AuditEventQuery = ListAuditEventsInput;

const Sha256 = z.string().openapi({ pattern: '^[0-9a-f]{64}$' });

export const AuditEventOut = z
  .object({
    id: z.string().openapi({ description: 'Ascending in the order events were written' }),
    occurredAt: z.string(),
    actorId: Uuid,
    organisationId: Uuid,
    action: z.string(),
    recordType: z.string(),
    recordId: z.string(),
    before: z.unknown().openapi({ description: 'The record before the change (no personal data in clear), or null' }),
    after: z.unknown().openapi({ description: 'The record after the change, or what was done (no personal data in clear), or null' }),
    requestId: z.string().nullable(),
    chain: z.object({ seq: z.string(), hash: Sha256 }).nullable().openapi({ description: 'The event’s place in the audit hash chain (given at commit)' }),
  })
  .openapi('AuditEvent');

export const AuditEventPage = pageOf(AuditEventOut, 'AuditEventPage');

const Problem = z.object({ seq: z.string().nullable(), eventId: z.string().nullable(), problem: z.string() });

export const AuditVerificationOut = z
  .object({
    ok: z.boolean(),
    chainRowsChecked: z.number().int(),
    unchainedEvents: z.number().int(),
    head: z.object({ seq: z.string(), hash: Sha256 }),
    firstProblem: Problem.nullable(),
    problems: z.array(Problem),
  })
  .openapi('AuditVerification');
