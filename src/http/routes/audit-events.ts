// The audit trail: list, CSV export and hash-chain verification (auditors, admins).
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { exportAuditEventsCsv, listAuditEvents, verifyAuditTrail } from '../../services/audit-events.ts';
import { serviceContext } from '../context.ts';
import type { AppEnv } from '../env.ts';
import { AuditEventFilters, AuditEventPage, AuditEventQuery, AuditVerificationOut } from '../schemas/audit-events.ts';
import { errorResponses, security } from '../schemas/common.ts';

const tags = ['Audit'];

const list = createRoute({
  method: 'get',
  path: '/audit-events',
  tags,
  security,
  summary: 'Audit events, newest first, with their place in the hash chain (auditor; admin: its organisation’s, or all on the platform)',
  request: { query: AuditEventQuery },
  responses: { 200: { description: 'A page', content: { 'application/json': { schema: AuditEventPage } } }, ...errorResponses },
});

const csv = createRoute({
  method: 'get',
  path: '/audit-events.csv',
  tags,
  security,
  summary: 'The same audit events as a streamed CSV file (UTF-8 with BOM; the export is itself audited)',
  request: { query: AuditEventFilters },
  responses: { 200: { description: 'The CSV file (attachment)', content: { 'text/csv': { schema: z.string() } } }, ...errorResponses },
});

const verify = createRoute({
  method: 'get',
  path: '/audit-events/verification',
  tags,
  security,
  summary: 'Recompute the audit trail’s hash chain from row 1 (auditor, admin)',
  responses: { 200: { description: 'The result', content: { 'application/json': { schema: AuditVerificationOut } } }, ...errorResponses },
});

/** Streams `chunks` as the response body. */
function streamOf(chunks: AsyncIterable<Uint8Array>): ReadableStream<Uint8Array> {
  const iterator = chunks[Symbol.asyncIterator]();
  return new ReadableStream({
    async pull(controller) {
      const next = await iterator.next();
      if (next.done) controller.close();
      else controller.enqueue(next.value);
    },
    async cancel() {
      await iterator.return?.();
    },
  });
}

export const auditEventRoutes = new OpenAPIHono<AppEnv>()
  .openapi(list, async (c) => c.json((await listAuditEvents({ ctx: serviceContext(c), input: c.req.valid('query') })) as never, 200))
  .openapi(csv, async (c) => {
    const exported = await exportAuditEventsCsv({ ctx: serviceContext(c), input: c.req.valid('query') });
    return c.body(streamOf(exported.chunks()), 200, {
      'Content-Type': exported.contentType,
      'Content-Disposition': `attachment; filename="${exported.filename}"`,
    }) as never;
  })
  .openapi(verify, async (c) => c.json(await verifyAuditTrail({ ctx: serviceContext(c) }), 200));
