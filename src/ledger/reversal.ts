// Corrections: a new transaction that mirrors the one it reverses, linked to it. The database
// allows one reversal per transaction (unique reverses_id) and none of a correction.
import type { AccountRef } from '../domain/ledger-accounts.ts';
import { parseAccountCode } from '../domain/ledger-accounts.ts';
import { type Posting, mirror } from '../domain/ledger-postings.ts';
import { ConflictError, NotFoundError, RuleViolationError } from '../domain/errors.ts';
import { money } from '../domain/money.ts';
import type { Tx } from '../db/transaction.ts';
import { type PostedTransaction, postTransaction, takeAppendLock } from './journal.ts';

export interface ReverseInput {
  transactionId: string;
  eventDate: string;
  reason: string;
  actorId: string;
}

export async function reverseTransaction(tx: Tx, input: ReverseInput): Promise<PostedTransaction> {
  // Under the append lock, "not yet reversed" cannot change before this transaction commits.
  await takeAppendLock(tx);
  const original = await tx.ledgerTransaction.findUnique({
    where: { id: input.transactionId },
    include: { entries: { include: { account: { select: { code: true } } }, orderBy: { line: 'asc' } }, reversal: { select: { id: true } } },
  });
  if (!original) throw new NotFoundError('ledger_transaction');
  if (original.kind === 'correction') throw new RuleViolationError('correction_not_reversible');
  if (original.reversal) throw new ConflictError('already_reversed', { reversalId: original.reversal.id });
  const entries: Posting[] = original.entries.map((e) => ({
    account: parseAccountCode(e.account.code) as AccountRef,
    direction: e.direction,
    amount: money(e.amount.toString()),
  }));
  return postTransaction(tx, {
    programmeId: original.programmeId,
    kind: 'correction',
    eventDate: input.eventDate,
    description: input.reason,
    sourceType: original.sourceType,
    sourceId: original.sourceId,
    actorId: input.actorId,
    reversesId: original.id,
    postings: mirror(entries),
  });
}
