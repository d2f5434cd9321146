// What becomes of approved grants when the facts they rest on change. Runs inside
// the caller's transaction (changeEnrolmentStatus, revokeEligibility): the status change, the
// grants, the instalments, their audit events and the ledger postings commit together or not at all.
//
// - Enrolment graduated or withdrawn: the approved grants resting on that enrolment (through their
//   eligibility) whose academic year is not over on the effective date END.
// - Eligibility revoked: the approved grant resting on that eligibility ENDS.
// - Ending a grant: every instalment not yet sent (scheduled or held) is cancelled with the reason
//   and effective date; the grant becomes `ended` with the same; the cancelled sum goes back from
//   payable:<grant> to the fund in one `remainder_cancelled` transaction (none when the sum is zero).
//   A grant with nothing left to cancel ends too (its status tells why no more is paid); it simply
//   gets no ledger transaction. Sent and paid instalments are never touched.
// - Enrolment suspended: the scheduled instalments of the same grants are HELD (reason, date);
//   suspended → enrolled schedules every held instalment of the enrolment's approved grants again.
// - Ledger event date: the day the cancellation is recorded (Beijing), not the effective date, which
//   may be back-dated: the ledger never claims money moved before it did. The effective date is kept
//   on the grant, the instalments and in the transaction's description.
// The database keeps the same rules (migration *_grant_ending): instalment transitions, nothing open
// on an ended grant, and the cancelled sum equal to what the ending transaction returned.
import { academicYearContaining } from '../domain/academic-year.ts';
import { dateFromIso, todayInChina } from '../domain/dates.ts';
import type { EnrolmentStatus } from '../domain/enrolment-status.ts';
import { ConflictError } from '../domain/errors.ts';
import { postings } from '../domain/ledger-postings.ts';
import { type Money, ZERO, formatMoney } from '../domain/money.ts';
import { postTransaction } from '../ledger/journal.ts';
import { recordAudit } from './audit.ts';
import type { ServiceContext, Tx } from './context.ts';

export type EndingCause = 'enrolment_graduated' | 'enrolment_withdrawn' | 'eligibility_revoked';

export interface EndedGrant {
  grantId: string;
  cancelled: Money;
  ledgerTransactionId: string | null;
}

const CAUSE_TEXT: Record<EndingCause, string> = {
  enrolment_graduated: 'enrolment ended (graduated)',
  enrolment_withdrawn: 'enrolment ended (withdrawn)',
  eligibility_revoked: 'eligibility revoked',
};

/**
 * Locks the grants, then their instalments (each in id order, so two use cases never deadlock), and
 * reads them with their instalments. The instalments are locked before they are read: a batch
 * being sent (which locks the instalments it pays) either commits first, and its instalments are
 * read as sent and left alone, or waits until this ending has cancelled them, and refuses.
 */
async function lockGrants(tx: Tx, ids: string[]) {
  if (ids.length === 0) return [];
  await tx.$queryRaw`SELECT "id" FROM "grant" WHERE "id" = ANY(${ids}::uuid[]) ORDER BY "id" FOR UPDATE`;
  // NO KEY UPDATE: enough against senders and cancellers, without blocking a batch's foreign-key checks.
  await tx.$queryRaw`SELECT "id" FROM "instalment" WHERE "grant_id" = ANY(${ids}::uuid[]) ORDER BY "id" FOR NO KEY UPDATE`;
  return tx.grant.findMany({
    where: { id: { in: ids }, status: 'approved' },
    include: { instalments: { orderBy: { sequence: 'asc' } } },
    orderBy: { id: 'asc' },
  });
}

/** Approved grants resting on the enrolment (through their eligibility); from `fromYear` on when given. */
async function grantIdsOfEnrolment(tx: Tx, enrolmentId: string, fromYear?: number): Promise<string[]> {
  const eligibility = await tx.eligibilityDetermination.findMany({ where: { enrolmentId }, select: { id: true } });
  if (eligibility.length === 0) return [];
  const rows = await tx.grant.findMany({
    where: { eligibilityId: { in: eligibility.map((e) => e.id) }, status: 'approved', ...(fromYear === undefined ? {} : { academicYear: { gte: fromYear } }) },
    select: { id: true },
  });
  return rows.map((r) => r.id);
}

/**
 * Ends the given approved grants (see the header). Writes every row first and posts last, since
 * the ledger's append lock is then held to commit.
 */
async function endGrants(
  tx: Tx,
  ctx: ServiceContext,
  args: { grantIds: string[]; cause: EndingCause; reason: string; effectiveOn: string; source: Record<string, string> },
): Promise<EndedGrant[]> {
  const grants = await lockGrants(tx, args.grantIds);
  const endReason = `${CAUSE_TEXT[args.cause]}: ${args.reason}`;
  const effectiveOn = dateFromIso(args.effectiveOn);
  const toPost: { grantId: string; programmeId: string; amount: Money; transactionId: string }[] = [];
  const ended: EndedGrant[] = [];
  for (const grant of grants) {
    const open = grant.instalments.filter((i) => i.status === 'scheduled' || i.status === 'held');
    const cancelled = open.reduce((sum, i) => sum.plus(i.amount.toString()), ZERO);
    const transactionId = cancelled.greaterThan(0) ? crypto.randomUUID() : null;
    // The grant first: the database lets instalments be cancelled only on an ended grant.
    const { count } = await tx.grant.updateMany({
      where: { id: grant.id, status: 'approved' },
      data: { status: 'ended', endedOn: effectiveOn, endReason, endLedgerTransactionId: transactionId },
    });
    if (count !== 1) throw new ConflictError('concurrent_change');
    if (open.length > 0) {
      await tx.instalment.updateMany({
        where: { id: { in: open.map((i) => i.id) }, status: { in: ['scheduled', 'held'] } },
        data: { status: 'cancelled', statusReason: endReason, statusEffectiveOn: effectiveOn },
      });
    }
    await recordAudit(tx, ctx, {
      action: 'grant.end',
      recordType: 'grant',
      recordId: grant.id,
      before: { status: 'approved', instalments: grant.instalments.map((i) => ({ sequence: i.sequence, status: i.status })) },
      after: {
        status: 'ended',
        cause: args.cause,
        ...args.source,
        endedOn: args.effectiveOn,
        reason: args.reason,
        cancelled: open.map((i) => ({ sequence: i.sequence, amount: formatMoney(i.amount.toString()) })),
        returnedToFund: formatMoney(cancelled),
        ledgerTransactionId: transactionId,
      },
    });
    if (transactionId) toPost.push({ grantId: grant.id, programmeId: grant.programmeId, amount: cancelled, transactionId });
    ended.push({ grantId: grant.id, cancelled, ledgerTransactionId: transactionId });
  }
  const today = todayInChina();
  for (const p of toPost) {
    await postTransaction(tx, {
      id: p.transactionId,
      programmeId: p.programmeId,
      kind: 'remainder_cancelled',
      eventDate: today,
      description: `Grant ended from ${args.effectiveOn} (${CAUSE_TEXT[args.cause]}): unpaid remainder returned to the fund`,
      sourceType: 'grant',
      sourceId: p.grantId,
      actorId: ctx.actor.userId,
      postings: postings.remainderCancelled(p.grantId, p.amount),
    });
  }
  return ended;
}

/** Holds (suspension) or schedules again (resumption) the instalments of the given grants. */
async function setHold(
  tx: Tx,
  ctx: ServiceContext,
  args: { grantIds: string[]; hold: boolean; reason: string; effectiveOn: string; enrolmentId: string },
): Promise<void> {
  const grants = await lockGrants(tx, args.grantIds);
  const from = args.hold ? 'scheduled' : 'held';
  const to = args.hold ? 'held' : 'scheduled';
  const statusReason = `${args.hold ? 'enrolment suspended' : 'enrolment resumed'}: ${args.reason}`;
  for (const grant of grants) {
    const affected = grant.instalments.filter((i) => i.status === from);
    if (affected.length === 0) continue;
    await tx.instalment.updateMany({
      where: { id: { in: affected.map((i) => i.id) }, status: from },
      data: { status: to, statusReason, statusEffectiveOn: dateFromIso(args.effectiveOn) },
    });
    await recordAudit(tx, ctx, {
      action: args.hold ? 'grant.hold_instalments' : 'grant.release_instalments',
      recordType: 'grant',
      recordId: grant.id,
      before: { instalments: affected.map((i) => ({ sequence: i.sequence, status: from })) },
      after: {
        instalments: affected.map((i) => ({ sequence: i.sequence, status: to })),
        enrolmentId: args.enrolmentId,
        effectiveOn: args.effectiveOn,
        reason: args.reason,
      },
    });
  }
}

/**
 * What a status change of an enrolment does to the grants resting on it; called by
 * changeEnrolmentStatus after it has written the change, in its transaction.
 */
export async function followEnrolmentStatus(
  tx: Tx,
  ctx: ServiceContext,
  change: { enrolmentId: string; from: EnrolmentStatus; to: EnrolmentStatus; effectiveOn: string; reason: string },
): Promise<void> {
  const year = academicYearContaining(change.effectiveOn);
  // Grants of years already over on the effective date are left as they are.
  const fromYear = year?.startYear;
  if (change.to === 'graduated' || change.to === 'withdrawn') {
    const grantIds = await grantIdsOfEnrolment(tx, change.enrolmentId, fromYear);
    await endGrants(tx, ctx, {
      grantIds,
      cause: change.to === 'graduated' ? 'enrolment_graduated' : 'enrolment_withdrawn',
      reason: change.reason,
      effectiveOn: change.effectiveOn,
      source: { enrolmentId: change.enrolmentId },
    });
  } else if (change.to === 'suspended') {
    const grantIds = await grantIdsOfEnrolment(tx, change.enrolmentId, fromYear);
    await setHold(tx, ctx, { grantIds, hold: true, reason: change.reason, effectiveOn: change.effectiveOn, enrolmentId: change.enrolmentId });
  } else if (change.from === 'suspended' && change.to === 'enrolled') {
    const grantIds = await grantIdsOfEnrolment(tx, change.enrolmentId);
    await setHold(tx, ctx, { grantIds, hold: false, reason: change.reason, effectiveOn: change.effectiveOn, enrolmentId: change.enrolmentId });
  }
}

/** Ends the approved grant resting on a revoked eligibility; called by revokeEligibility in its transaction. */
export async function endGrantOfRevokedEligibility(
  tx: Tx,
  ctx: ServiceContext,
  revoked: { eligibilityId: string; effectiveOn: string; reason: string },
): Promise<EndedGrant[]> {
  const rows = await tx.grant.findMany({ where: { eligibilityId: revoked.eligibilityId, status: 'approved' }, select: { id: true } });
  return endGrants(tx, ctx, {
    grantIds: rows.map((r) => r.id),
    cause: 'eligibility_revoked',
    reason: revoked.reason,
    effectiveOn: revoked.effectiveOn,
    source: { eligibilityId: revoked.eligibilityId },
  });
}
