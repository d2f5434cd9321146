// The audit trail read back: a filtered, newest-first list with each event's place in the hash
// chain, the same as a streamed CSV (itself audited), and the chain's verification.
import { z } from 'zod';
import { PageInput, Uuid } from './fields.ts';
import { parseInput } from './validation.ts';
import Papa from 'papaparse';
import type { Prisma } from '#prisma';
import { type AuditVerificationResult, verifyAuditChain } from '../audit/verify.ts';
import { ForbiddenError, ValidationError } from '../domain/errors.ts';
import { recordAudit } from './audit.ts';
import type { ServiceContext, UseCaseCall } from './context.ts';
import { type Page, decodeCursor, pageOf } from './pagination.ts';
import { auditEventScope, requirePermission, seesAllProgrammes } from './scope.ts';

const DateTime = z.iso
  .datetime({ offset: true, message: 'must be an ISO 8601 date-time with a time zone, e.g. 2026-03-01T08:00:00Z' })
  .meta({ format: 'date-time', example: '2026-03-01T08:00:00+08:00' });

const Word = z.string().regex(/^[A-Za-z0-9_.:-]{1,100}$/, 'must be 1–100 letters, digits, dot, colon, dash or underscore');

/** Which events: each filter narrows the trail; from inclusive, to exclusive. */
export const AuditEventFilters = z.object({
  recordType: Word.optional().meta({ example: 'grant' }),
  recordId: z.string().min(1).max(200).optional().meta({ description: 'The record’s id as the event names it (with recordType)' }),
  actorId: Uuid.optional(),
  action: Word.optional().meta({ example: 'grant.approve' }),
  organisationId: Uuid.optional(),
  from: DateTime.optional().meta({ description: 'Events that occurred at or after this instant' }),
  to: DateTime.optional().meta({ description: 'Events that occurred before this instant' }),
});
export type AuditEventFilters = z.input<typeof AuditEventFilters>;

export const ListAuditEventsInput = PageInput.extend(AuditEventFilters.shape);
export type ListAuditEventsInput = z.input<typeof ListAuditEventsInput>;

export interface AuditEventView {
  id: string;
  occurredAt: string;
  actorId: string;
  organisationId: string;
  action: string;
  recordType: string;
  recordId: string;
  before: unknown;
  after: unknown;
  requestId: string | null;
  /** Null only if the chain was tampered with: every committed event is chained at commit. */
  chain: { seq: string; hash: string } | null;
}

const select = {
  id: true,
  occurredAt: true,
  actorId: true,
  organisationId: true,
  action: true,
  recordType: true,
  recordId: true,
  before: true,
  after: true,
  requestId: true,
  chain: { select: { seq: true, hash: true } },
} as const;

type Row = Prisma.AuditEventGetPayload<{ select: typeof select }>;

function view(r: Row): AuditEventView {
  return {
    id: r.id.toString(),
    occurredAt: r.occurredAt.toISOString(),
    actorId: r.actorId,
    organisationId: r.organisationId,
    action: r.action,
    recordType: r.recordType,
    recordId: r.recordId,
    before: r.before ?? null,
    after: r.after ?? null,
    requestId: r.requestId,
    chain: r.chain ? { seq: r.chain.seq.toString(), hash: r.chain.hash } : null,
  };
}

function instant(value: string | undefined, path: string): Date | undefined {
  if (value === undefined) return undefined;
  const at = new Date(value);
  if (Number.isNaN(at.getTime())) throw new ValidationError([{ path, message: 'must be an ISO 8601 date-time, e.g. 2026-03-01T08:00:00Z' }]);
  return at;
}

/** The filters and the actor's scope as one condition; a reversed period is refused naming `to`. */
function whereOf(ctx: ServiceContext, f: AuditEventFilters): Prisma.AuditEventWhereInput[] {
  const from = instant(f.from, 'from');
  const to = instant(f.to, 'to');
  if (from && to && to <= from) throw new ValidationError([{ path: 'to', message: 'must be later than from' }]);
  return [
    auditEventScope(ctx.actor),
    {
      ...(f.recordType !== undefined ? { recordType: f.recordType } : {}),
      ...(f.recordId !== undefined ? { recordId: f.recordId } : {}),
      ...(f.actorId !== undefined ? { actorId: f.actorId } : {}),
      ...(f.action !== undefined ? { action: f.action } : {}),
      ...(f.organisationId !== undefined ? { organisationId: f.organisationId } : {}),
      ...(from || to ? { occurredAt: { ...(from ? { gte: from } : {}), ...(to ? { lt: to } : {}) } } : {}),
    },
  ];
}

function afterId(cursor: string | undefined): bigint | null {
  const after = decodeCursor(cursor, ['id']);
  if (!after) return null;
  if (!/^[1-9]\d{0,18}$/.test(after.id)) throw new ValidationError([{ path: 'cursor', message: 'not a cursor returned by this list' }]);
  return BigInt(after.id);
}

export async function listAuditEvents({ ctx, input: raw }: UseCaseCall<ListAuditEventsInput>): Promise<Page<AuditEventView>> {
  const input = parseInput(ListAuditEventsInput, raw);
  requirePermission(ctx.actor, 'audit.read');
  const where = whereOf(ctx, input);
  const after = afterId(input.cursor);
  const rows = await ctx.db.auditEvent.findMany({
    where: { AND: [...where, ...(after !== null ? [{ id: { lt: after } }] : [])] },
    select,
    orderBy: { id: 'desc' },
    take: input.limit + 1,
  });
  return pageOf(rows.map(view), input.limit, (r) => ({ id: r.id }));
}

export const AUDIT_CSV_HEADER = [
  '事件编号',
  '发生时间',
  '操作人',
  '机构',
  '操作',
  '记录类型',
  '记录编号',
  '变更前',
  '变更后',
  '请求编号',
  '链序号',
  '链哈希',
] as const;

const CSV_PAGE = 1000;

export interface AuditCsvExport {
  filename: string;
  contentType: string;
  chunks(): AsyncGenerator<Uint8Array>;
}

/**
 * Checks the request and records the export (committed before a byte is sent: a download that
 * breaks off midway is still on record), then streams pages newest first. UTF-8 with a BOM so
 * that Excel reads it; formula-like cells escaped.
 */
export async function exportAuditEventsCsv({ ctx, input: raw }: UseCaseCall<AuditEventFilters>): Promise<AuditCsvExport> {
  const input = parseInput(AuditEventFilters, raw);
  requirePermission(ctx.actor, 'audit.read');
  const where = whereOf(ctx, input);
  await recordAudit(ctx.db, ctx, { action: 'audit_event.export', recordType: 'audit_event', recordId: '*', after: { filters: input, format: 'csv' } });
  const encoder = new TextEncoder();
  const line = (cells: readonly string[][]) => `${Papa.unparse(cells as string[][], { newline: '\r\n', escapeFormulae: true })}\r\n`;
  async function* chunks(): AsyncGenerator<Uint8Array> {
    yield encoder.encode(`\uFEFF${line([[...AUDIT_CSV_HEADER]])}`);
    let after: bigint | null = null;
    for (;;) {
      const rows: Row[] = await ctx.db.auditEvent.findMany({
        where: { AND: [...where, ...(after !== null ? [{ id: { lt: after } }] : [])] },
        select,
        orderBy: { id: 'desc' },
        take: CSV_PAGE,
      });
      if (rows.length === 0) return;
      yield encoder.encode(
        line(
          rows.map((r) => [
            r.id.toString(),
            r.occurredAt.toISOString(),
            r.actorId,
            r.organisationId,
            r.action,
            r.recordType,
            r.recordId,
            r.before === null ? '' : JSON.stringify(r.before),
            r.after === null ? '' : JSON.stringify(r.after),
            r.requestId ?? '',
            r.chain?.seq.toString() ?? '',
            r.chain?.hash ?? '',
          ]),
        ),
      );
      after = (rows[rows.length - 1] as Row).id;
      if (rows.length < CSV_PAGE) return;
    }
  }
  return { filename: 'audit-events.csv', contentType: 'text/csv; charset=utf-8', chunks };
}

/** The whole trail is one chain, across every programme: an auditor needs an engagement on all of them. */
export async function verifyAuditTrail({ ctx }: { ctx: ServiceContext }): Promise<AuditVerificationResult> {
  requirePermission(ctx.actor, 'audit.verify');
  if (!seesAllProgrammes(ctx.actor)) throw new ForbiddenError('verify the whole audit trail without an engagement covering every programme');
  return verifyAuditChain(ctx.db);
}
