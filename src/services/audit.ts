// The audit row is written in the same transaction as the change it describes: if it fails,
// the change rolls back (fail-closed).
import type { Prisma } from '#prisma';
import type { ServiceContext, Tx } from './context.ts';

export interface AuditInput {
  action: string;
  recordType: string;
  recordId: string;
  /** Plain JSON-serialisable views of the record (money as strings), never personal data in clear. */
  before?: unknown;
  after?: unknown;
}

export async function recordAudit(tx: Tx, ctx: ServiceContext, event: AuditInput): Promise<void> {
  await tx.auditEvent.create({
    data: {
      actorId: ctx.actor.userId,
      organisationId: ctx.actor.organisationId,
      action: event.action,
      recordType: event.recordType,
      recordId: event.recordId,
      before: asJson(event.before),
      after: asJson(event.after),
      requestId: ctx.requestId ?? null,
    },
  });
}

function asJson(value: unknown): Prisma.InputJsonValue | undefined {
  if (value === undefined || value === null) return undefined;
  // Round-trip so that what is stored is exactly what JSON would carry (no Dates, no Decimals).
  return JSON.parse(JSON.stringify(value)) as Prisma.InputJsonValue;
}
