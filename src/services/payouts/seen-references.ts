// What is already recorded for payouts, by the kind of file that said it: the bank references of the
// lines that settled, failed or returned them, or were found to repeat that (already_recorded). How a
// later line is told to be the same booking told again, or a second booking (src/domain/payouts.ts
// judgeResultLine).
import { type SeenReferences, answerSourceOf } from '../../domain/payouts.ts';
import type { Tx } from '../context.ts';

export type Seen = { debit: SeenReferences; return: SeenReferences };

export const nothingSeen = (): Seen => ({ debit: { statement: [], notice: [] }, return: { statement: [], notice: [] } });

/**
 * The bank references of the lines already recorded for these payouts (settled, failed, returned,
 * or found to be already recorded), by kind of line and kind of file: how judgeResultLine tells
 * the same booking told again from a second booking.
 */
export async function seenReferences(tx: Tx, payoutIds: string[]): Promise<Map<string, Seen>> {
  const seen = new Map<string, Seen>();
  if (payoutIds.length === 0) return seen;
  const rows = await tx.$queryRaw<{ payout_id: string; kind: string; bank_reference: string | null; format: string }[]>`
    SELECT l."payout_id"::text AS payout_id, l."kind", l."bank_reference", i."format"
    FROM "bank_result_line" l JOIN "bank_result_import" i ON i."id" = l."import_id"
    WHERE l."payout_id" = ANY(${payoutIds}::uuid[])
      AND l."outcome" IN ('settled', 'failed', 'returned', 'matched_without_reference', 'matched_by_hand', 'already_recorded')`;
  for (const r of rows) {
    let entry = seen.get(r.payout_id);
    if (!entry) {
      entry = nothingSeen();
      seen.set(r.payout_id, entry);
    }
    const list = entry[r.kind === 'debit' ? 'debit' : 'return'][answerSourceOf(r.format)];
    const key = r.bank_reference ?? '';
    if (!list.includes(key)) list.push(key);
  }
  return seen;
}
