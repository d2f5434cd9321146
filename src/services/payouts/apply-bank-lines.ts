// What an applying line of the bank's answer does, written once for every way a line reaches a
// payout (an imported file, a match made by hand): the payout's new status, its instalment's, and
// the ledger transactions to post — settled: Dr in_transit / Cr bank; failed or returned before
// settling: Dr in_transit / Cr payable; returned after settling: Dr bank / Cr payable; and, when the
// grant ended meanwhile, the amount back to the fund (Dr payable / Cr fund).
import { dateFromIso, todayInChina } from '../../domain/dates.ts';
import { type Money, money } from '../../domain/money.ts';
import type { LineOutcome } from '../../domain/payouts.ts';
import { describeReturnReason } from '../../domain/return-reasons.ts';
import type { PairPost } from '../../ledger/post-many.ts';
import type { BankResultLine } from '../../bank/results/index.ts';
import type { ServiceContext, Tx } from '../context.ts';

/** A line of the bank's answer with what it was judged to do and the payout it names. */
export interface JudgedLine {
  position: number;
  line: BankResultLine;
  outcome: LineOutcome;
  explanation: string | null;
  payoutId: string | null;
}

/** The payout as the import locked it (FOR UPDATE), with its grant's status. */
export interface PayoutRow {
  id: string;
  reference: string;
  status: 'pending' | 'sent' | 'settled' | 'failed' | 'returned' | 'cancelled';
  amount: string;
  grant_id: string;
  instalment_id: string;
  bank_reference: string | null;
  outcome_bank_reference: string | null;
  settled_transaction_id: string | null;
  grant_status: string;
}

/**
 * Writes what each applying line changes, in file order by phase (settlements, then failures, then
 * returns: a payout settled and returned in the same file passes through both), and returns the
 * ledger transactions to post.
 */
export async function applyOutcomes(
  tx: Tx,
  ctx: ServiceContext,
  importId: string,
  judged: JudgedLine[],
  payouts: Map<string, PayoutRow>,
  programmeId: string,
): Promise<PairPost[]> {
  const today = todayInChina();
  const posts: PairPost[] = [];
  const post = (
    p: PayoutRow,
    line: BankResultLine,
    kind: PairPost['kind'],
    description: string,
    debit: PairPost['debit'],
    credit: PairPost['credit'],
    amount: Money,
  ): string => {
    const id = crypto.randomUUID();
    posts.push({
      id,
      programmeId,
      kind,
      eventDate: eventDateOf(line, today),
      description,
      sourceType: 'payout',
      sourceId: p.id,
      actorId: ctx.actor.userId,
      debit,
      credit,
      amount,
    });
    return id;
  };
  const of = (outcome: LineOutcome) => judged.filter((j) => j.outcome === outcome).map((j) => ({ j, p: payouts.get(j.payoutId as string) as PayoutRow }));

  const settled = of('settled');
  if (settled.length > 0) {
    const ids = settled.map(({ j, p }) =>
      post(p, j.line, 'payout_settled', `Payout ${p.reference} settled by the bank`, { kind: 'in_transit' }, { kind: 'bank' }, money(p.amount)),
    );
    await tx.$executeRaw`
      UPDATE "payout" p SET "status" = 'settled', "settled_transaction_id" = w.tx_id, "settled_on" = w.booked,
                           "bank_reference" = w.bank_reference, "result_import_id" = ${importId}::uuid
      FROM unnest(${settled.map(({ p }) => p.id)}::uuid[], ${ids}::uuid[], ${settled.map(({ j }) => eventDateOf(j.line, today))}::date[],
                  ${settled.map(({ j }) => j.line.bankReference)}::text[]) AS w(id, tx_id, booked, bank_reference)
      WHERE p."id" = w.id AND p."status" = 'sent'`;
    await tx.$executeRaw`UPDATE "instalment" SET "status" = 'paid' WHERE "id" = ANY(${settled.map(({ p }) => p.instalment_id)}::uuid[]) AND "status" = 'sent'`;
  }

  for (const outcome of ['failed', 'returned'] as const) {
    const lines = of(outcome);
    if (lines.length === 0) continue;
    const ids = lines.map(({ j, p }) =>
      outcome === 'failed'
        ? post(
            p,
            j.line,
            'payout_failed',
            `Payout ${p.reference} failed or came back before settling: ${describeReturnReason(j.line.reason) ?? 'no reason given'}`,
            { kind: 'in_transit' },
            { kind: 'payable', grantId: p.grant_id },
            money(p.amount),
          )
        : post(
            p,
            j.line,
            'payout_returned',
            `Payout ${p.reference} returned after it settled: ${describeReturnReason(j.line.reason) ?? 'no reason given'}`,
            { kind: 'bank' },
            { kind: 'payable', grantId: p.grant_id },
            money(p.amount),
          ),
    );
    await tx.$executeRaw`
      UPDATE "payout" p SET "status" = ${outcome}::text::"PayoutStatus", "outcome_transaction_id" = w.tx_id, "outcome_on" = w.booked,
                           "outcome_reason" = w.reason, "outcome_bank_reference" = w.bank_reference,
                           "result_import_id" = ${importId}::uuid
      FROM unnest(${lines.map(({ p }) => p.id)}::uuid[], ${ids}::uuid[], ${lines.map(({ j }) => eventDateOf(j.line, today))}::date[],
                  ${lines.map(({ j }) => j.line.reason ?? 'no reason given')}::text[], ${lines.map(({ j }) => j.line.bankReference)}::text[])
           AS w(id, tx_id, booked, reason, bank_reference)
      WHERE p."id" = w.id`;
    // Payable again while the grant is approved; if it ended meanwhile, the money goes back to the fund.
    const open = lines.filter(({ p }) => p.grant_status === 'approved');
    const ended = lines.filter(({ p }) => p.grant_status !== 'approved');
    if (open.length > 0) {
      await tx.$executeRaw`
        UPDATE "instalment" SET "status" = 'scheduled', "status_reason" = ${`payout ${outcome}; to be paid again`}, "status_effective_on" = ${dateFromIso(today)}
        WHERE "id" = ANY(${open.map(({ p }) => p.instalment_id)}::uuid[])`;
    }
    if (ended.length > 0) {
      await tx.$executeRaw`
        UPDATE "instalment" SET "status" = 'cancelled', "status_reason" = ${`payout ${outcome} after the grant ended; returned to the fund`}, "status_effective_on" = ${dateFromIso(today)}
        WHERE "id" = ANY(${ended.map(({ p }) => p.instalment_id)}::uuid[])`;
      await tx.payout.updateMany({ where: { id: { in: ended.map(({ p }) => p.id) } }, data: { resolvedAt: new Date() } });
      for (const { j, p } of ended) {
        posts.push({
          programmeId,
          kind: 'remainder_cancelled',
          eventDate: today,
          description: `Payout ${p.reference} ${outcome} after its grant ended: the amount returns to the fund`,
          sourceType: 'grant',
          sourceId: p.grant_id,
          actorId: ctx.actor.userId,
          debit: { kind: 'payable', grantId: p.grant_id },
          credit: { kind: 'fund' },
          amount: money(j.line.amount),
        });
      }
    }
  }
  return posts;
}

/**
 * The day the bank booked it; a line without a booking date (some CSVs) is dated the day it is
 * recorded. Never re-dated: a file with a line booked after today is refused before it gets here.
 */
export function eventDateOf(line: BankResultLine, today: string): string {
  return line.bookingDate ?? today;
}
