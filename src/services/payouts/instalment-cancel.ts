// After a payout failed or came back, finance either lets a later batch retry the instalment (to
// the account the student has then) or decides it will not be paid: the instalment is cancelled,
// the failure marked resolved, and its money goes back from payable:<grant> to the fund
// (remainder_cancelled), in one transaction. Only such instalments can be cancelled this way;
// the database refuses any other cancellation on an approved grant (migration *_payouts).
import { z } from 'zod';
import { Reason, Uuid } from '../fields.ts';
import { parseInput } from '../validation.ts';
import { dateFromIso, todayInChina } from '../../domain/dates.ts';
import { NotFoundError, RuleViolationError } from '../../domain/errors.ts';
import { postings } from '../../domain/ledger-postings.ts';
import { formatMoney, money } from '../../domain/money.ts';
import { postTransaction } from '../../ledger/journal.ts';
import { Prisma } from '#prisma';
import { recordAudit } from '../audit.ts';
import { type UseCaseCall, inTransaction } from '../context.ts';
import { programmeScopeSql, requirePermission } from '../scope.ts';

export const CancelInstalmentInput = z.strictObject({ instalmentId: Uuid, reason: Reason });
export type CancelInstalmentInput = z.input<typeof CancelInstalmentInput>;

export interface CancelledInstalment {
  instalmentId: string;
  grantId: string;
  amount: string;
  status: 'cancelled';
  failedPayoutId: string;
  ledgerTransactionId: string;
}

export async function cancelInstalmentAfterFailure({ ctx, input: raw }: UseCaseCall<CancelInstalmentInput>): Promise<CancelledInstalment> {
  const input = parseInput(CancelInstalmentInput, raw);
  requirePermission(ctx.actor, 'instalment.cancel');
  return inTransaction(ctx, async (tx) => {
    const [row] = await tx.$queryRaw<{ id: string; status: string; amount: string; grant_id: string; programme_id: string }[]>(Prisma.sql`
      SELECT i."id"::text AS id, i."status"::text AS status, i."amount"::text AS amount, g."id"::text AS grant_id, g."programme_id"::text AS programme_id
      FROM "instalment" i JOIN "grant" g ON g."id" = i."grant_id" JOIN "programme" p ON p."id" = g."programme_id"
      WHERE i."id" = ${input.instalmentId}::uuid AND ${programmeScopeSql(ctx.actor)}
      FOR UPDATE OF i`);
    if (!row) throw new NotFoundError('instalment');
    const failed = await tx.payout.findFirst({
      where: { instalmentId: row.id, status: { in: ['failed', 'returned'] }, resolvedAt: null },
      orderBy: { reference: 'desc' },
      select: { id: true, reference: true },
    });
    const live = await tx.payout.count({ where: { instalmentId: row.id, status: { in: ['pending', 'sent', 'settled'] } } });
    if (row.status !== 'scheduled' || !failed || live > 0) {
      throw new RuleViolationError('instalment_not_cancellable', { instalmentStatus: row.status });
    }
    const today = todayInChina();
    const transactionId = crypto.randomUUID();
    await tx.instalment.update({
      where: { id: row.id },
      data: { status: 'cancelled', statusReason: `not paid after payout ${failed.reference} failed: ${input.reason}`, statusEffectiveOn: dateFromIso(today) },
    });
    await tx.payout.update({ where: { id: failed.id }, data: { resolvedAt: new Date() } });
    await recordAudit(tx, ctx, {
      action: 'instalment.cancel',
      recordType: 'instalment',
      recordId: row.id,
      before: { status: 'scheduled' },
      after: {
        status: 'cancelled',
        failedPayoutId: failed.id,
        reason: input.reason,
        returnedToFund: formatMoney(row.amount),
        ledgerTransactionId: transactionId,
      },
    });
    await postTransaction(tx, {
      id: transactionId,
      programmeId: row.programme_id,
      kind: 'remainder_cancelled',
      eventDate: today,
      description: `Instalment not paid after payout ${failed.reference} failed: returned to the fund`,
      sourceType: 'grant',
      sourceId: row.grant_id,
      actorId: ctx.actor.userId,
      postings: postings.remainderCancelled(row.grant_id, money(row.amount)),
    });
    return {
      instalmentId: row.id,
      grantId: row.grant_id,
      amount: formatMoney(row.amount),
      status: 'cancelled',
      failedPayoutId: failed.id,
      ledgerTransactionId: transactionId,
    };
  });
}
