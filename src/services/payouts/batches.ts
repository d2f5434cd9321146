// Payout batches (DESIGN.md §3): finance gathers the instalments due by a cut-off, sends them to
// the bank as one file, or cancels the batch before sending.
//
// - Create: under the programme's row lock, every instalment due by the cut-off whose grant is
//   approved and which no live payout holds. It is taken when the student is still eligible and
//   enrolled (src/domain/payouts.ts), else listed with the batch as held, with the reason. Each
//   payout snapshots the student's account (sealed as stored) and name, and gets a reference
//   `<batch code>-<6 digits>`. An instalment is never in two live payouts: the lock serialises
//   creation per programme and a partial unique index refuses it whatever path writes. A payout
//   of an instalment whose earlier payout failed or came back names it as `retryOf`. A payee no bank
//   file could carry (a name or account recorded before today's checks) is held with the reason,
//   so that one record never stops a whole batch at export.
// - Send: the batch's payouts become sent, their instalments sent, and each payout posts
//   Dr payable:<grant> / Cr in_transit, all in one transaction. Refused when any instalment changed
//   since the batch was made (held, cancelled): the file already exported would pay it, so the
//   batch is cancelled and made again instead of being sent with holes. Refused too until one of
//   the batch's bank files was exported (first_exported_at), so that money is never recorded as on
//   its way for a batch the bank never received — unless an override states how the bank got it.
// - Cancel: an open batch's payouts become cancelled; their instalments are free for a later batch.
import { z } from 'zod';
import { IsoDate, Reason, Uuid } from '../fields.ts';
import { parseInput } from '../validation.ts';
import { dateFromIso, todayInChina } from '../../domain/dates.ts';
import { ConflictError, NotFoundError, RuleViolationError, ValidationError } from '../../domain/errors.ts';
import { batchCodeOf, decideBatchMembership, namedInstalmentProblem } from '../../domain/payouts.ts';
import { type Money, ZERO, formatMoney, money } from '../../domain/money.ts';
import { makePayoutReference } from '../../bank/outgoing/payout-reference.ts';
import { payeeHoldReason, payeeProblem } from '../../bank/outgoing/payee-check.ts';
import type { PiiVault } from '../../privacy/pii-vault.ts';
import { postPairs } from '../../ledger/post-many.ts';
import { Prisma } from '#prisma';
import { recordAudit } from '../audit.ts';
import { BATCH_TRANSACTION_TIMEOUT_MS, type ServiceContext, type Tx, type UseCaseCall, inTransaction, vaultOf } from '../context.ts';
import { programmeScopeSql, requirePermission } from '../scope.ts';
import { lockProgramme } from './programme-lock.ts';
import { type BatchView, batchView } from './batch-views.ts';

export const CreateBatchInput = z.strictObject({
  programmeId: Uuid,
  cutoffOn: IsoDate.meta({ description: 'Instalments due on or before this day are taken' }),
  requestedExecutionOn: IsoDate.optional().meta({
    description: 'The day the bank is asked to pay (pain.001 ReqdExctnDt); default the cut-off, or today if that is past',
  }),
  instalmentIds: z
    .array(Uuid)
    .min(1, 'name at least one instalment, or leave the list out to take everything due')
    .max(20_000)
    .refine((ids) => new Set(ids).size === ids.length, 'names an instalment twice')
    .optional()
    .meta({
      description:
        'Only these instalments (e.g. retries of failed payouts); each must be payable and due by the cut-off, else 422 `instalments_not_payable` names each and why',
    }),
});
export type CreateBatchInput = z.input<typeof CreateBatchInput>;

/** Sending without an exported file: the batch reached the bank another way, and the reason says how. */
export const ExportOverride = z
  .strictObject({
    reason: z.string({ message: 'state the reason' }).trim().min(5, 'state the reason (at least 5 characters)').max(500, 'must be at most 500 characters'),
  })
  .meta({ description: 'Only when the bank received the batch without a file exported here; the reason is kept in the audit trail' });

export const SendPayoutBatchInput = z.strictObject({ batchId: Uuid, exportOverride: ExportOverride.optional() });
export type SendPayoutBatchInput = z.input<typeof SendPayoutBatchInput>;

export const CancelPayoutBatchInput = z.strictObject({ batchId: Uuid, reason: Reason });
export type CancelPayoutBatchInput = z.input<typeof CancelPayoutBatchInput>;

interface DueRow {
  instalment_id: string;
  grant_id: string;
  student_id: string;
  amount: string;
  instalment_status: 'scheduled' | 'held';
  status_reason: string | null;
  eligibility_status: string;
  enrolment_status: string | null;
  retry_of: string | null;
}

/** Instalments due by the cut-off, of approved grants, not held by a live payout; in a stable order. */
function dueInstalments(tx: Tx, programmeId: string, cutoffOn: string) {
  return tx.$queryRaw<DueRow[]>`
    SELECT i."id"::text AS instalment_id, g."id"::text AS grant_id, g."student_id"::text AS student_id, i."amount"::text AS amount,
           i."status"::text AS instalment_status, i."status_reason", e."status"::text AS eligibility_status,
           en."status"::text AS enrolment_status,
           (SELECT p."id"::text FROM "payout" p
             WHERE p."instalment_id" = i."id" AND p."status" IN ('failed', 'returned') AND p."resolved_at" IS NULL
             ORDER BY p."reference" DESC LIMIT 1) AS retry_of
    FROM "instalment" i
    JOIN "grant" g ON g."id" = i."grant_id"
    JOIN "eligibility_determination" e ON e."id" = g."eligibility_id"
    LEFT JOIN "enrolment" en ON en."id" = e."enrolment_id"
    WHERE g."programme_id" = ${programmeId}::uuid AND g."status" = 'approved'
      AND i."status" IN ('scheduled', 'held') AND i."due_on" <= ${cutoffOn}::date
      AND NOT EXISTS (SELECT 1 FROM "payout" p WHERE p."instalment_id" = i."id" AND p."status" IN ('pending', 'sent', 'settled'))
    ORDER BY i."due_on", g."student_id", i."sequence"`;
}

/**
 * Locks, FOR SHARE and in id order, the instalments due by the cut-off of the programme's approved
 * grants: an ending grant or a suspension (which lock them for update before reading them) then
 * runs wholly before or wholly after this batch, never between its reading and its writing. The
 * read that follows sees what such a change committed while this waited.
 */
async function lockDueInstalments(tx: Tx, programmeId: string, cutoffOn: string, ids?: string[]): Promise<void> {
  await tx.$queryRaw`
    SELECT i."id" FROM "instalment" i JOIN "grant" g ON g."id" = i."grant_id"
    WHERE g."programme_id" = ${programmeId}::uuid AND i."status" IN ('scheduled', 'held') AND i."due_on" <= ${cutoffOn}::date
      AND (${ids ?? null}::uuid[] IS NULL OR i."id" = ANY(${ids ?? null}::uuid[]))
    ORDER BY i."id" FOR SHARE OF i`;
}

interface NamedRow extends DueRow {
  grant_status: string;
  due_on: string;
  live_payout: string | null;
}

/** The instalments finance named, all of them payable, or a 422 naming every one that is not. */
async function namedInstalments(tx: Tx, programmeId: string, ids: string[], cutoffOn: string): Promise<DueRow[]> {
  const rows = await tx.$queryRaw<NamedRow[]>`
    SELECT i."id"::text AS instalment_id, g."id"::text AS grant_id, g."student_id"::text AS student_id, i."amount"::text AS amount,
           i."status"::text AS instalment_status, i."status_reason", e."status"::text AS eligibility_status,
           en."status"::text AS enrolment_status, g."status"::text AS grant_status, to_char(i."due_on", 'YYYY-MM-DD') AS due_on,
           (SELECT p."reference" FROM "payout" p WHERE p."instalment_id" = i."id" AND p."status" IN ('pending', 'sent', 'settled') LIMIT 1) AS live_payout,
           (SELECT p."id"::text FROM "payout" p
             WHERE p."instalment_id" = i."id" AND p."status" IN ('failed', 'returned') AND p."resolved_at" IS NULL
             ORDER BY p."reference" DESC LIMIT 1) AS retry_of
    FROM unnest(${ids}::uuid[]) WITH ORDINALITY AS w(id, n)
    JOIN "instalment" i ON i."id" = w.id
    JOIN "grant" g ON g."id" = i."grant_id" AND g."programme_id" = ${programmeId}::uuid
    JOIN "eligibility_determination" e ON e."id" = g."eligibility_id"
    LEFT JOIN "enrolment" en ON en."id" = e."enrolment_id"
    ORDER BY w.n`;
  const byId = new Map(rows.map((r) => [r.instalment_id, r]));
  const problems = ids.flatMap((id) => {
    const row = byId.get(id);
    // An instalment of another programme is as unknown as one that does not exist.
    const why = row
      ? namedInstalmentProblem(
          {
            instalmentStatus: row.instalment_status,
            statusReason: row.status_reason,
            eligibilityStatus: row.eligibility_status,
            enrolmentStatus: row.enrolment_status ?? 'unknown',
            grantStatus: row.grant_status,
            dueOn: row.due_on,
            livePayoutReference: row.live_payout,
          },
          cutoffOn,
        )
      : 'no such instalment in this programme';
    return why ? [{ instalmentId: id, problem: why }] : [];
  });
  if (problems.length > 0) {
    throw new RuleViolationError('instalments_not_payable', { instalments: problems });
  }
  return rows;
}

/**
 * Moves from `taken` to `held` every instalment whose payee no bank file could carry (a name or
 * account recorded before today's checks existed): the batch's files are then always writable, and
 * the caseworker corrects the record for a later batch (src/bank/outgoing/payee-check.ts).
 */
async function holdPayeesNoBankFileCarries(tx: Tx, vault: PiiVault, taken: DueRow[], held: (DueRow & { reason: string })[]): Promise<void> {
  const ids = [...new Set(taken.map((r) => r.student_id))];
  if (ids.length === 0) return;
  const students = await tx.student.findMany({
    where: { id: { in: ids } },
    select: { id: true, nameSealed: true, bankAccountSealed: true, bankName: true },
  });
  const problems = new Map<string, string>();
  for (const s of students) {
    const problem = payeeProblem({
      name: await vault.open('name', s.nameSealed),
      account: await vault.open('bank_account', s.bankAccountSealed),
      bankName: s.bankName,
    });
    if (problem) problems.set(s.id, payeeHoldReason(problem));
  }
  if (problems.size === 0) return;
  const keep = taken.filter((r) => !problems.has(r.student_id));
  for (const r of taken) {
    const reason = problems.get(r.student_id);
    if (reason) held.push({ ...r, reason });
  }
  taken.splice(0, taken.length, ...keep);
}

export async function createPayoutBatch({ ctx, input: raw }: UseCaseCall<CreateBatchInput>): Promise<BatchView> {
  const input = parseInput(CreateBatchInput, raw);
  requirePermission(ctx.actor, 'payout_batch.create');
  const today = todayInChina();
  const requestedExecutionOn = input.requestedExecutionOn ?? (input.cutoffOn > today ? input.cutoffOn : today);
  if (requestedExecutionOn < today) {
    throw new ValidationError([{ path: 'requestedExecutionOn', message: 'must not be in the past' }]);
  }
  return inTransaction(
    ctx,
    async (tx) => {
      const programme = await lockProgramme(tx, ctx.actor, input.programmeId);
      await lockDueInstalments(tx, programme.id, input.cutoffOn, input.instalmentIds);
      const due = input.instalmentIds
        ? await namedInstalments(tx, programme.id, input.instalmentIds, input.cutoffOn)
        : await dueInstalments(tx, programme.id, input.cutoffOn);
      const taken: DueRow[] = [];
      const held: (DueRow & { reason: string })[] = [];
      for (const row of due) {
        const decision = decideBatchMembership({
          instalmentStatus: row.instalment_status,
          statusReason: row.status_reason,
          eligibilityStatus: row.eligibility_status,
          enrolmentStatus: row.enrolment_status ?? 'unknown',
        });
        if (decision.take) taken.push(row);
        else held.push({ ...row, reason: decision.reason });
      }
      await holdPayeesNoBankFileCarries(tx, vaultOf(ctx), taken, held);
      if (taken.length === 0) {
        throw new RuleViolationError('nothing_due', { cutoffOn: input.cutoffOn, held: held.length });
      }
      const [{ number }] = (await tx.$queryRaw<{ number: bigint }[]>`SELECT nextval('payout_batch_number') AS number`) as [{ number: bigint }];
      const code = batchCodeOf(today, number);
      const batchId = crypto.randomUUID();
      const total = taken.reduce<Money>((sum, r) => sum.plus(r.amount), ZERO);
      await tx.payoutBatch.create({
        data: {
          id: batchId,
          code,
          programmeId: programme.id,
          cutoffOn: dateFromIso(input.cutoffOn),
          requestedExecutionOn: dateFromIso(requestedExecutionOn),
          payoutCount: taken.length,
          total: formatMoney(total),
          createdById: ctx.actor.userId,
        },
      });
      // The snapshot comes straight from the student row: the account and name as sealed there.
      await tx.$executeRaw`
      INSERT INTO "payout" ("id", "batch_id", "sequence", "reference", "programme_id", "grant_id", "instalment_id", "student_id",
                            "amount", "payee_name_sealed", "payee_name_masked", "payee_account_hash", "payee_account_sealed",
                            "payee_account_masked", "payee_bank_name", "retry_of_id")
      SELECT w.id, ${batchId}::uuid, w.n::int, w.reference, ${programme.id}::uuid, i."grant_id", i."id", s."id",
             i."amount", s."name_sealed", s."name_masked", s."bank_account_hash", s."bank_account_sealed",
             s."bank_account_masked", s."bank_name", w.retry_of
      FROM unnest(${taken.map(() => crypto.randomUUID())}::uuid[], ${taken.map((r) => r.instalment_id)}::uuid[],
                  ${taken.map((_, i) => makePayoutReference(code, i + 1))}::text[], ${taken.map((r) => r.retry_of)}::uuid[])
           WITH ORDINALITY AS w(id, instalment_id, reference, retry_of, n)
      JOIN "instalment" i ON i."id" = w.instalment_id
      JOIN "grant" g ON g."id" = i."grant_id"
      JOIN "student" s ON s."id" = g."student_id"`;
      const retried = taken.flatMap((r) => (r.retry_of ? [r.retry_of] : []));
      if (retried.length > 0) {
        await tx.payout.updateMany({ where: { id: { in: retried }, resolvedAt: null }, data: { resolvedAt: new Date() } });
      }
      if (held.length > 0) {
        await tx.payoutBatchHold.createMany({
          data: held.map((h) => ({ batchId, instalmentId: h.instalment_id, studentId: h.student_id, amount: h.amount, reason: h.reason })),
        });
      }
      await recordAudit(tx, ctx, {
        action: 'payout_batch.create',
        recordType: 'payout_batch',
        recordId: batchId,
        after: {
          code,
          programmeId: programme.id,
          cutoffOn: input.cutoffOn,
          requestedExecutionOn,
          payoutCount: taken.length,
          total: formatMoney(total),
          held: held.length,
          retries: retried.length,
        },
      });
      return batchView(tx, batchId);
    },
    { timeoutMs: BATCH_TRANSACTION_TIMEOUT_MS },
  );
}

/** Locks an open-or-not batch in the actor's scope; 404 outside it. */
async function lockBatch(tx: Tx, ctx: ServiceContext, batchId: string) {
  const [row] = await tx.$queryRaw<
    { id: string; status: string; programme_id: string; code: string; payout_count: number; total: string; first_exported_at: Date | null }[]
  >(Prisma.sql`
    SELECT b."id"::text AS id, b."status"::text AS status, b."programme_id"::text AS programme_id, b."code", b."payout_count", b."total"::text AS total,
           b."first_exported_at"
    FROM "payout_batch" b JOIN "programme" p ON p."id" = b."programme_id"
    WHERE b."id" = ${batchId}::uuid AND ${programmeScopeSql(ctx.actor)}
    FOR UPDATE OF b`);
  if (!row) throw new NotFoundError('payout_batch');
  return row;
}

function requireOpen(batch: { status: string; code: string }): void {
  if (batch.status === 'sent') throw new ConflictError('batch_already_sent', { batch: batch.code });
  if (batch.status === 'cancelled') throw new ConflictError('batch_cancelled', { batch: batch.code });
}

export async function sendPayoutBatch({ ctx, input: raw }: UseCaseCall<SendPayoutBatchInput>): Promise<BatchView> {
  const input = parseInput(SendPayoutBatchInput, raw);
  requirePermission(ctx.actor, 'payout_batch.send');
  return inTransaction(
    ctx,
    async (tx) => {
      const batch = await lockBatch(tx, ctx, input.batchId);
      requireOpen(batch);
      if (!batch.first_exported_at && !input.exportOverride) throw new RuleViolationError('bank_file_not_exported', { batch: batch.code });
      // The instalments first, in id order as every use case that changes them locks them (an ending
      // grant, a cancellation), so that none can change between this check and the sending.
      await tx.$queryRaw`
      SELECT i."id" FROM "instalment" i WHERE i."id" IN (SELECT p."instalment_id" FROM "payout" p WHERE p."batch_id" = ${batch.id}::uuid)
      ORDER BY i."id" FOR NO KEY UPDATE`;
      const payouts = await tx.$queryRaw<
        { id: string; reference: string; grant_id: string; instalment_id: string; amount: string; instalment_status: string; grant_status: string }[]
      >`
      SELECT p."id"::text AS id, p."reference", p."grant_id"::text AS grant_id, p."instalment_id"::text AS instalment_id,
             p."amount"::text AS amount, i."status"::text AS instalment_status, g."status"::text AS grant_status
      FROM "payout" p JOIN "instalment" i ON i."id" = p."instalment_id" JOIN "grant" g ON g."id" = p."grant_id"
      WHERE p."batch_id" = ${batch.id}::uuid
      ORDER BY p."sequence"
      FOR UPDATE OF p, i`;
      const changed = payouts.filter((p) => p.instalment_status !== 'scheduled' || p.grant_status !== 'approved');
      if (changed.length > 0) {
        throw new RuleViolationError('batch_out_of_date', {
          batch: batch.code,
          count: changed.length,
          payouts: changed.slice(0, 50).map((p) => ({ reference: p.reference, instalmentStatus: p.instalment_status, grantStatus: p.grant_status })),
        });
      }
      const today = todayInChina();
      const transactionIds = payouts.map(() => crypto.randomUUID());
      await tx.$executeRaw`
      UPDATE "payout" p SET "status" = 'sent', "sent_transaction_id" = w.tx_id
      FROM unnest(${payouts.map((p) => p.id)}::uuid[], ${transactionIds}::uuid[]) AS w(id, tx_id)
      WHERE p."id" = w.id AND p."status" = 'pending'`;
      await tx.$executeRaw`
      UPDATE "instalment" SET "status" = 'sent' WHERE "id" = ANY(${payouts.map((p) => p.instalment_id)}::uuid[]) AND "status" = 'scheduled'`;
      await tx.payoutBatch.update({
        where: { id: batch.id },
        data: { status: 'sent', sentAt: new Date(), sentById: ctx.actor.userId, sentOn: dateFromIso(today) },
      });
      await recordAudit(tx, ctx, {
        action: 'payout_batch.send',
        recordType: 'payout_batch',
        recordId: batch.id,
        before: { status: 'open' },
        after: {
          status: 'sent',
          code: batch.code,
          payoutCount: batch.payout_count,
          total: formatMoney(batch.total),
          sentOn: today,
          firstExportedAt: batch.first_exported_at?.toISOString() ?? null,
          ...(input.exportOverride ? { exportOverride: { reason: input.exportOverride.reason } } : {}),
        },
      });
      // Last: the ledger's append lock is then held only to commit.
      await postPairs(
        tx,
        payouts.map((p, i) => ({
          id: transactionIds[i],
          programmeId: batch.programme_id,
          kind: 'payout_sent' as const,
          eventDate: today,
          description: `Payout ${p.reference} sent to the bank (batch ${batch.code})`,
          sourceType: 'payout',
          sourceId: p.id,
          actorId: ctx.actor.userId,
          debit: { kind: 'payable' as const, grantId: p.grant_id },
          credit: { kind: 'in_transit' as const },
          amount: money(p.amount),
        })),
      );
      return batchView(tx, batch.id);
    },
    { timeoutMs: BATCH_TRANSACTION_TIMEOUT_MS },
  );
}

export async function cancelPayoutBatch({ ctx, input: raw }: UseCaseCall<CancelPayoutBatchInput>): Promise<BatchView> {
  const input = parseInput(CancelPayoutBatchInput, raw);
  requirePermission(ctx.actor, 'payout_batch.cancel');
  return inTransaction(ctx, async (tx) => {
    const batch = await lockBatch(tx, ctx, input.batchId);
    requireOpen(batch);
    const { count } = await tx.payout.updateMany({ where: { batchId: batch.id, status: 'pending' }, data: { status: 'cancelled' } });
    // A retry that is cancelled leaves the earlier failure to act on again.
    await tx.$executeRaw`
      UPDATE "payout" SET "resolved_at" = NULL
      WHERE "id" IN (SELECT "retry_of_id" FROM "payout" WHERE "batch_id" = ${batch.id}::uuid AND "retry_of_id" IS NOT NULL)`;
    await tx.payoutBatch.update({
      where: { id: batch.id },
      data: { status: 'cancelled', cancelledAt: new Date(), cancelledById: ctx.actor.userId, cancelReason: input.reason },
    });
    await recordAudit(tx, ctx, {
      action: 'payout_batch.cancel',
      recordType: 'payout_batch',
      recordId: batch.id,
      before: { status: 'open' },
      after: { status: 'cancelled', code: batch.code, payoutsCancelled: count, reason: input.reason },
    });
    return batchView(tx, batch.id);
  });
}
