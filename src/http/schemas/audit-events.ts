// The audit trail's query and answer shapes.
import { z } from '@hono/zod-openapi';
import { PageQuery, Uuid, pageOf } from './common.ts';

const DateTime = z
  .iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time with a time zone, e.g. 2026-03-01T08:00:00Z' })
  .openapi({ format: 'date-time', example: '2026-03-01T08:00:00+08:00' });

const Word = z.string().regex(/^[A-Za-z0-9_.:-]{1,100}$/, 'must be 1–100 letters, digits, dot, colon, dash or underscore');

export const AuditEventFilters = z.object({
  recordType: Word.optional().openapi({ example: 'grant' }),
  recordId: z.string().min(1).max(200).optional().openapi({ description: 'The record’s id as the event names it (with recordType)' }),
  actorId: Uuid.optional(),
  action: Word.optional().openapi({ example: 'grant.approve' }),
  organisationId: Uuid.optional(),
  from: DateTime.optional().openapi({ description: 'Events that occurred at or after this instant' }),
  to: DateTime.optional().openapi({ description: 'Events that occurred before this instant' }),
});

export const AuditEventQuery = PageQuery.extend(AuditEventFilters.shape);

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
    chain: z
      .object({ seq: z.string(), hash: Sha256 })
      .nullable()
      .openapi({ description: 'The event’s place in the audit hash chain (given at commit)' }),
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
