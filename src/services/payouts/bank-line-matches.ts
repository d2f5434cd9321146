// A line of the bank's answer that applied to no payout (no reference, a reference no payout has,
// several candidates, another payout's amount) matched to its payout by hand (手工匹配), with
// maker-checker (src/domain/bank-line-matches.ts):
//
// - Propose (finance): the line, the payout (by id or by reference, of the same programme), and a
//   reason. Refused unless the line is such an exception, the amount is exactly the payout's and
//   the payout is in a state the line's kind applies to; at most one open or confirmed match per
//   line and per payout and kind (checked here under the programme's lock, and by partial unique
//   indexes whatever path writes).
// - Confirm (another finance user, or an approver of the administering department; never the
//   proposer): in one transaction under the programme's lock, with the payout row locked, every
//   rule is checked again — a payout settled meanwhile is a 409 and nothing is written — and the
//   line is then applied through the same writing as an imported line (apply-bank-lines.ts): the
//   payout settled, failed or returned, its ledger pairs posted, and the line recorded as
//   `matched_by_hand` naming its payout.
// - Reject (the same roles as confirm; the proposer may withdraw its own): the line is free again.
// Every step is an audit event. Errors and the audit trail carry references and amounts only.
import { z } from 'zod';
import { Uuid } from '../fields.ts';
import { parseInput } from '../validation.ts';
import { MATCHED_BY_HAND, type HandMatchProblem, confirmerProblem, judgeHandMatch } from '../../domain/bank-line-matches.ts';
import { ConflictError, ForbiddenError, NotFoundError, RuleViolationError } from '../../domain/errors.ts';
import { formatMoney, money } from '../../domain/money.ts';
import type { BankResultKind, PayoutStatus } from '../../domain/payouts.ts';
import { isUniqueViolation } from '../../db/errors.ts';
import { postPairs } from '../../ledger/post-many.ts';
import type { BankResultLine } from '../../bank/results/index.ts';
import { recordAudit } from '../audit.ts';
import { type ServiceContext, type Tx, type UseCaseCall, inTransaction } from '../context.ts';
import { requirePermission } from '../scope.ts';
import { type BankLineMatchView, matchView } from './bank-line-match-views.ts';
import { type PayoutRow, applyOutcomes } from './apply-bank-lines.ts';
import { lockProgramme } from './programme-lock.ts';
import { reasonsOf } from './bank-result-views.ts';

/** Why: kept with the match and in the audit trail; 5 to 500 characters as the database holds it. */
const MatchReason = z
  .string({ message: 'state the reason' })
  .trim()
  .min(5, 'state the reason (at least 5 characters)')
  .max(500, 'must be at most 500 characters');

const PayoutReference = z.string().trim().min(1, 'must not be empty').max(35, 'must be at most 35 characters');

export const ProposeBankLineMatchInput = z
  .strictObject({
    importId: Uuid.meta({ description: 'The import of the bank’s answer that holds the line' }),
    position: z.coerce
      .number()
      .int('must be a whole number')
      .min(1, 'must be at least 1')
      .max(10_000_000)
      .meta({ description: 'The line’s position in the import (1 = first)' }),
    payoutId: Uuid.optional().meta({ description: 'The payout the line is for; or give its `payoutReference`' }),
    payoutReference: PayoutReference.optional().meta({ description: 'The payout’s reference (`<batch code>-<6 digits>`), instead of its id' }),
    reason: MatchReason.meta({ description: 'Why this line is this payout (5 to 500 characters): kept in the audit trail' }),
  })
  .refine((i) => (i.payoutId === undefined) !== (i.payoutReference === undefined), {
    message: 'name the payout by its id or by its reference (one of the two)',
    path: ['payoutId'],
  });
export type ProposeBankLineMatchInput = z.input<typeof ProposeBankLineMatchInput>;

export const ConfirmBankLineMatchInput = z.strictObject({ matchId: Uuid });
export type ConfirmBankLineMatchInput = z.input<typeof ConfirmBankLineMatchInput>;

export const RejectBankLineMatchInput = z.strictObject({ matchId: Uuid, reason: MatchReason });
export type RejectBankLineMatchInput = z.input<typeof RejectBankLineMatchInput>;

interface LineRow {
  import_id: string;
  position: number;
  line: number;
  reference: string | null;
  amount: string;
  kind: BankResultKind;
  outcome: string;
  reason: string | null;
  explanation: string | null;
  booking_date: string | null;
  bank_reference: string | null;
}

function readLine(tx: Tx, importId: string, position: number) {
  return tx.$queryRaw<LineRow[]>`
    SELECT l."import_id"::text AS import_id, l."position", l."line", l."reference", l."amount"::text AS amount, l."kind", l."outcome",
           l."reason", l."explanation", to_char(l."booking_date", 'YYYY-MM-DD') AS booking_date, l."bank_reference"
    FROM "bank_result_line" l WHERE l."import_id" = ${importId}::uuid AND l."position" = ${position}
    FOR UPDATE`;
}

/** The payout of the programme, locked until the transaction ends, with its grant's status (as the import reads it). */
function lockPayout(tx: Tx, programmeId: string, by: { id: string } | { reference: string }) {
  const id = 'id' in by ? by.id : null;
  const reference = 'reference' in by ? by.reference : null;
  return tx.$queryRaw<PayoutRow[]>`
    SELECT p."id"::text AS id, p."reference", p."status"::text AS status, p."amount"::text AS amount, p."grant_id"::text AS grant_id,
           p."instalment_id"::text AS instalment_id, p."bank_reference", p."outcome_bank_reference", p."settled_transaction_id"::text AS settled_transaction_id,
           g."status"::text AS grant_status
    FROM "payout" p JOIN "grant" g ON g."id" = p."grant_id"
    WHERE p."programme_id" = ${programmeId}::uuid
      AND (${id}::uuid IS NULL OR p."id" = ${id}::uuid) AND (${reference}::text IS NULL OR p."reference" = ${reference}::text)
    FOR UPDATE OF p`;
}

/** The rule a problem breaks, as the proposal answers it (422). */
function refusal(problem: HandMatchProblem, line: LineRow, payout: PayoutRow): RuleViolationError {
  switch (problem.problem) {
    case 'line_not_matchable':
      return new RuleViolationError('bank_line_not_matchable', { outcome: problem.outcome, field: 'position' });
    case 'amount_differs':
      return new RuleViolationError('hand_match_amount_differs', {
        lineAmount: formatMoney(line.amount),
        payoutAmount: formatMoney(payout.amount),
        field: 'payoutId',
      });
    case 'payout_state':
      return new RuleViolationError('hand_match_payout_state', { payoutStatus: problem.status, kind: problem.kind, field: 'payoutId' });
  }
}

function judge(line: LineRow, payout: PayoutRow) {
  return judgeHandMatch(
    { outcome: line.outcome, kind: line.kind, amount: money(line.amount) },
    { status: payout.status as PayoutStatus, amount: money(payout.amount) },
  );
}

/** An open or confirmed match of the line, or of the payout for a line of this kind. */
async function openMatches(tx: Tx, line: { importId: string; position: number }, payout: { id: string; kind: string }) {
  const rows = await tx.bankLineMatch.findMany({
    where: {
      status: { in: ['proposed', 'confirmed'] },
      OR: [
        { importId: line.importId, position: line.position },
        { payoutId: payout.id, kind: payout.kind },
      ],
    },
    select: { id: true, importId: true, position: true },
  });
  const ofLine = rows.find((r) => r.importId === line.importId && r.position === line.position);
  if (ofLine) throw new ConflictError('bank_line_already_matched', { matchId: ofLine.id });
  const ofPayout = rows[0];
  if (ofPayout) throw new ConflictError('payout_already_matched', { matchId: ofPayout.id });
}

export async function proposeBankLineMatch({ ctx, input: raw }: UseCaseCall<ProposeBankLineMatchInput>): Promise<BankLineMatchView> {
  const input = parseInput(ProposeBankLineMatchInput, raw);
  requirePermission(ctx.actor, 'bank_line_match.propose');
  return inTransaction(ctx, async (tx) => {
    const found = await tx.bankResultImport.findUnique({ where: { id: input.importId }, select: { programmeId: true } });
    if (!found) throw new NotFoundError('bank_result_import', [{ path: 'importId', message: 'names no import of the bank’s answer' }]);
    // Out of the actor's scope: the same 404 as no import at all.
    const programme = await lockProgramme(tx, ctx.actor, found.programmeId).catch((error: unknown) => {
      if (error instanceof NotFoundError)
        throw new NotFoundError('bank_result_import', [{ path: 'importId', message: 'names no import of the bank’s answer' }]);
      throw error;
    });
    const [line] = await readLine(tx, input.importId, input.position);
    if (!line) throw new NotFoundError('bank_result_line', [{ path: 'position', message: 'names no line of this import' }]);
    const [payout] = await lockPayout(tx, programme.id, input.payoutId ? { id: input.payoutId } : { reference: input.payoutReference as string });
    if (!payout) throw new NotFoundError('payout', [{ path: input.payoutId ? 'payoutId' : 'payoutReference', message: 'names no payout of this programme' }]);
    const judged = judge(line, payout);
    if ('problem' in judged) throw refusal(judged, line, payout);
    await openMatches(tx, { importId: line.import_id, position: line.position }, { id: payout.id, kind: line.kind });

    const id = crypto.randomUUID();
    try {
      await tx.bankLineMatch.create({
        data: {
          id,
          programmeId: programme.id,
          importId: line.import_id,
          position: line.position,
          payoutId: payout.id,
          kind: line.kind,
          reason: input.reason,
          proposedById: ctx.actor.userId,
        },
      });
    } catch (error) {
      // The indexes hold the rule whatever path writes; under the programme's lock this is not reached.
      if (isUniqueViolation(error)) throw new ConflictError('bank_line_already_matched', {});
      throw error;
    }
    await recordAudit(tx, ctx, {
      action: 'bank_line_match.propose',
      recordType: 'bank_line_match',
      recordId: id,
      after: auditFacts(line, payout, { status: 'proposed', reason: input.reason, outcome: judged.outcome }),
    });
    return matchView(tx, id);
  });
}

export async function confirmBankLineMatch({ ctx, input: raw }: UseCaseCall<ConfirmBankLineMatchInput>): Promise<BankLineMatchView> {
  const input = parseInput(ConfirmBankLineMatchInput, raw);
  requirePermission(ctx.actor, 'bank_line_match.confirm');
  return inTransaction(ctx, async (tx) => {
    const match = await lockMatch(tx, ctx, input.matchId);
    const checker = confirmerProblem(match.proposedById, ctx.actor);
    if (checker === 'role') throw new ForbiddenError('bank_line_match confirm');
    if (checker === 'same_user') throw new RuleViolationError('maker_checker', { record: 'hand match' });
    const [payout] = await lockPayout(tx, match.programmeId, { id: match.payoutId });
    const [line] = await readLine(tx, match.importId, match.position);
    if (!payout || !line) throw new NotFoundError('bank_line_match');
    // Everything again, on what is there now: a payout settled (or failed, returned) meanwhile, a
    // line applied meanwhile, answer 409 and nothing is written.
    const judged = judge(line, payout);
    if ('problem' in judged) throw new ConflictError('hand_match_stale', { payoutStatus: payout.status });

    const decided = await tx.bankLineMatch.updateMany({
      where: { id: match.id, status: 'proposed' },
      data: { status: 'confirmed', confirmedById: ctx.actor.userId, confirmedAt: new Date() },
    });
    if (decided.count !== 1) throw new ConflictError('concurrent_change');
    await tx.$executeRaw`
      UPDATE "bank_result_line" SET "outcome" = ${MATCHED_BY_HAND}, "payout_id" = ${payout.id}::uuid
      WHERE "import_id" = ${line.import_id}::uuid AND "position" = ${line.position}`;
    const posts = await applyOutcomes(
      tx,
      ctx,
      line.import_id,
      [{ position: line.position, line: asResultLine(line), outcome: judged.outcome, explanation: null, payoutId: payout.id }],
      new Map([[payout.id, payout]]),
      match.programmeId,
    );
    await recordAudit(tx, ctx, {
      action: 'bank_line_match.confirm',
      recordType: 'bank_line_match',
      recordId: match.id,
      before: { status: 'proposed', payoutStatus: payout.status, lineOutcome: line.outcome },
      after: auditFacts(line, payout, { status: 'confirmed', reason: match.reason, outcome: judged.outcome, proposedById: match.proposedById }),
    });
    // Last: the ledger's append lock is then held only to commit.
    await postPairs(tx, posts);
    return matchView(tx, match.id);
  });
}

export async function rejectBankLineMatch({ ctx, input: raw }: UseCaseCall<RejectBankLineMatchInput>): Promise<BankLineMatchView> {
  const input = parseInput(RejectBankLineMatchInput, raw);
  requirePermission(ctx.actor, 'bank_line_match.confirm');
  return inTransaction(ctx, async (tx) => {
    const match = await lockMatch(tx, ctx, input.matchId);
    const decided = await tx.bankLineMatch.updateMany({
      where: { id: match.id, status: 'proposed' },
      data: { status: 'rejected', rejectedById: ctx.actor.userId, rejectedAt: new Date(), rejectionReason: input.reason },
    });
    if (decided.count !== 1) throw new ConflictError('concurrent_change');
    await recordAudit(tx, ctx, {
      action: 'bank_line_match.reject',
      recordType: 'bank_line_match',
      recordId: match.id,
      before: { status: 'proposed' },
      after: { status: 'rejected', importId: match.importId, position: match.position, payoutId: match.payoutId, reason: input.reason },
    });
    return matchView(tx, match.id);
  });
}

/**
 * The match, under its programme's lock (404 outside the actor's scope), then its own row locked
 * and still proposed — else 409, a proposal is decided once.
 */
async function lockMatch(tx: Tx, ctx: ServiceContext, matchId: string) {
  const found = await tx.bankLineMatch.findUnique({ where: { id: matchId }, select: { programmeId: true } });
  if (!found) throw new NotFoundError('bank_line_match');
  await lockProgramme(tx, ctx.actor, found.programmeId).catch((error: unknown) => {
    if (error instanceof NotFoundError) throw new NotFoundError('bank_line_match');
    throw error;
  });
  await tx.$queryRaw`SELECT 1 FROM "bank_line_match" WHERE "id" = ${matchId}::uuid FOR UPDATE`;
  const match = await tx.bankLineMatch.findUniqueOrThrow({ where: { id: matchId } });
  if (match.status !== 'proposed') throw new ConflictError('hand_match_already_decided', { currentStatus: match.status });
  return match;
}

/** The stored line as the writing of an applying line reads it. */
function asResultLine(line: LineRow): BankResultLine {
  return {
    line: line.line,
    reference: line.reference,
    amount: formatMoney(line.amount),
    currency: 'CNY',
    kind: line.kind,
    // The bank's own reason (a return's code): the payout's outcome keeps it, never the import's explanation.
    reason: reasonsOf(line).reason,
    bookingDate: line.booking_date,
    bankReference: line.bank_reference,
  };
}

function auditFacts(line: LineRow, payout: PayoutRow, extra: Record<string, unknown>) {
  return {
    importId: line.import_id,
    position: line.position,
    line: { reference: line.reference, amount: formatMoney(line.amount), kind: line.kind, outcome: line.outcome, bankReference: line.bank_reference },
    payout: { id: payout.id, reference: payout.reference, amount: formatMoney(payout.amount), status: payout.status },
    ...extra,
  };
}
