// Reading the journal: a programme's transactions with their entries, and the chain's integrity.
import { z } from 'zod';
import { IsoDate, PageInput, Uuid } from './fields.ts';
import { parseInput } from './validation.ts';
import { NotFoundError, ValidationError } from '../domain/errors.ts';
import { toIsoDate } from '../domain/dates.ts';
import { formatMoney } from '../domain/money.ts';
import type { LedgerTransactionKind } from '../domain/ledger-postings.ts';
import { type VerificationResult, verifyLedger } from '../ledger/verify.ts';
import type { ServiceContext, UseCaseCall } from './context.ts';
import { type Page, decodeCursor, pageOf } from './pagination.ts';
import { findProgrammeInScope } from './programmes.ts';
import { requirePermission, seesAllProgrammes } from './scope.ts';
import { ForbiddenError } from '../domain/errors.ts';

const MAX_BIGINT = 9_223_372_036_854_775_807n;

export const TransactionKind = z.enum([
  'funding_received',
  'grant_approved',
  'payout_sent',
  'payout_settled',
  'payout_failed',
  'payout_returned',
  'remainder_cancelled',
  'correction',
]);

export const ListLedgerTransactionsInput = PageInput.extend({
  programmeId: Uuid,
  kind: TransactionKind.optional(),
  from: IsoDate.optional(),
  to: IsoDate.optional(),
});
export type ListLedgerTransactionsInput = z.input<typeof ListLedgerTransactionsInput>;

export const GetLedgerTransactionInput = z.strictObject({ programmeId: Uuid, transactionId: Uuid });

export interface LedgerTransactionView {
  id: string;
  seq: string;
  programmeId: string;
  kind: LedgerTransactionKind;
  eventDate: string;
  recordedAt: string;
  description: string;
  source: { type: string; id: string };
  actorId: string;
  reversesId: string | null;
  reversedById: string | null;
  prevHash: string;
  hash: string;
  entries: { line: number; account: string; direction: 'debit' | 'credit'; amount: string; currency: string; balanceAfter: string }[];
}

const include = {
  entries: { include: { account: { select: { code: true } } }, orderBy: { line: 'asc' as const } },
  reversal: { select: { id: true } },
};

type Row = NonNullable<Awaited<ReturnType<ServiceContext['db']['ledgerTransaction']['findFirst']>>> & {
  entries: {
    line: number;
    direction: 'debit' | 'credit';
    amount: { toString(): string };
    currency: string;
    balanceAfter: { toString(): string };
    account: { code: string };
  }[];
  reversal: { id: string } | null;
};

function view(t: Row): LedgerTransactionView {
  return {
    id: t.id,
    seq: t.seq.toString(),
    programmeId: t.programmeId,
    kind: t.kind,
    eventDate: toIsoDate(t.eventDate),
    recordedAt: t.recordedAt.toISOString(),
    description: t.description,
    source: { type: t.sourceType, id: t.sourceId },
    actorId: t.actorId,
    reversesId: t.reversesId,
    reversedById: t.reversal?.id ?? null,
    prevHash: t.prevHash,
    hash: t.hash,
    entries: t.entries.map((e) => ({
      line: e.line,
      account: e.account.code,
      direction: e.direction,
      amount: formatMoney(e.amount.toString()),
      currency: e.currency,
      balanceAfter: formatMoney(e.balanceAfter.toString()),
    })),
  };
}

export async function listLedgerTransactions({ ctx, input: raw }: UseCaseCall<ListLedgerTransactionsInput>): Promise<Page<LedgerTransactionView>> {
  const input = parseInput(ListLedgerTransactionsInput, raw);
  await findProgrammeInScope(ctx.db, ctx, input.programmeId);
  requirePermission(ctx.actor, 'ledger.read');
  const after = decodeCursor(input.cursor, ['seq']);
  // A sequence number is a PostgreSQL bigint: a larger one was never returned by this list.
  if (after && (!/^\d{1,19}$/.test(after.seq) || BigInt(after.seq) > MAX_BIGINT)) {
    throw new ValidationError([{ path: 'cursor', message: 'not a cursor returned by this list' }]);
  }
  const rows = await ctx.db.ledgerTransaction.findMany({
    where: {
      programmeId: input.programmeId,
      ...(input.kind ? { kind: input.kind } : {}),
      ...(input.from || input.to
        ? {
            eventDate: { ...(input.from ? { gte: new Date(`${input.from}T00:00:00Z`) } : {}), ...(input.to ? { lte: new Date(`${input.to}T00:00:00Z`) } : {}) },
          }
        : {}),
      ...(after ? { seq: { gt: BigInt(after.seq) } } : {}),
    },
    include,
    orderBy: { seq: 'asc' },
    take: input.limit + 1,
  });
  return pageOf((rows as Row[]).map(view), input.limit, (t) => ({ seq: t.seq }));
}

export async function getLedgerTransaction({ ctx, input: raw }: UseCaseCall<z.input<typeof GetLedgerTransactionInput>>): Promise<LedgerTransactionView> {
  const input = parseInput(GetLedgerTransactionInput, raw);
  await findProgrammeInScope(ctx.db, ctx, input.programmeId);
  requirePermission(ctx.actor, 'ledger.read');
  const row = await ctx.db.ledgerTransaction.findFirst({ where: { id: input.transactionId, programmeId: input.programmeId }, include });
  if (!row) throw new NotFoundError('ledger_transaction');
  return view(row as Row);
}

/**
 * The whole chain is verified, not a programme's slice: hashes link across programmes. Its counts
 * and any break it names are about every programme, so an auditor needs an engagement on all
 * programmes (one on listed programmes, or none, gets 403: the route is not a record, and that
 * a ledger exists is no secret); its programmes' own transactions stay readable one by one.
 */
export async function verifyWholeLedger({ ctx }: { ctx: ServiceContext }): Promise<VerificationResult> {
  requirePermission(ctx.actor, 'ledger.verify');
  if (!seesAllProgrammes(ctx.actor)) throw new ForbiddenError('verify the whole ledger without an engagement covering every programme');
  return verifyLedger(ctx.db);
}
