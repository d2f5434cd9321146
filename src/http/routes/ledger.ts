import { z } from '@hono/zod-openapi';
import {
  ListLedgerTransactionsInput,
  TransactionKind,
  getLedgerTransaction,
  listLedgerTransactions,
  verifyWholeLedger,
} from '../../services/ledger-queries.ts';
import { serviceContext } from '../context.ts';
import { defineRoute, jsonResponse } from '../define-route.ts';
import { MoneyOut, Uuid, pageOf } from '../schemas/common.ts';

const tags = ['Ledger'];

const LedgerTransactionOut = z
  .object({
    id: Uuid,
    seq: z.string(),
    programmeId: Uuid,
    kind: TransactionKind,
    eventDate: z.string(),
    recordedAt: z.string(),
    description: z.string(),
    source: z.object({ type: z.string(), id: Uuid }),
    actorId: Uuid,
    reversesId: Uuid.nullable(),
    reversedById: Uuid.nullable(),
    prevHash: z.string(),
    hash: z.string(),
    entries: z.array(
      z.object({
        line: z.number().int(),
        account: z.string(),
        direction: z.enum(['debit', 'credit']),
        amount: MoneyOut,
        currency: z.string(),
        balanceAfter: MoneyOut,
      }),
    ),
  })
  .openapi('LedgerTransaction');

const VerificationOut = z
  .object({
    ok: z.boolean(),
    transactionsChecked: z.number().int(),
    entriesChecked: z.number().int(),
    head: z.object({ seq: z.string(), hash: z.string() }),
    firstProblem: z.object({ seq: z.string(), problem: z.string() }).nullable(),
    problems: z.array(z.object({ seq: z.string(), problem: z.string() })),
    commitmentProblems: z
      .array(
        z.object({
          code: z.enum(['grant_open_on_revoked_eligibility', 'grant_open_on_ended_enrolment', 'instalment_scheduled_while_suspended']),
          grantId: z.string(),
          problem: z.string(),
        }),
      )
      .openapi({
        description:
          'Open commitments resting on facts that no longer hold: an approved grant on a revoked eligibility or an ended enrolment, an instalment scheduled while the enrolment is suspended.',
      }),
  })
  .openapi('LedgerVerification');

const list = defineRoute(
  {
    method: 'get',
    path: '/programmes/{programmeId}/ledger/transactions',
    action: 'ledger.read',
    tags,
    summary: 'A programme’s ledger transactions with entries, in sequence order',
    request: { params: z.object({ programmeId: Uuid }), query: ListLedgerTransactionsInput.omit({ programmeId: true }) },
    responses: { 200: jsonResponse('A page', pageOf(LedgerTransactionOut, 'LedgerTransactionPage')) },
  },
  async (c) => c.json(await listLedgerTransactions({ ctx: serviceContext(c), input: { ...c.req.valid('query'), ...c.req.valid('param') } }), 200),
);

const get = defineRoute(
  {
    method: 'get',
    path: '/programmes/{programmeId}/ledger/transactions/{transactionId}',
    action: 'ledger.read',
    tags,
    summary: 'One ledger transaction',
    request: { params: z.object({ programmeId: Uuid, transactionId: Uuid }) },
    responses: { 200: jsonResponse('The transaction', LedgerTransactionOut) },
  },
  async (c) => c.json(await getLedgerTransaction({ ctx: serviceContext(c), input: c.req.valid('param') }), 200),
);

const verify = defineRoute(
  {
    method: 'get',
    path: '/ledger/verification',
    action: 'ledger.verify',
    tags,
    summary: 'Recompute the whole hash chain and every ledger invariant (admin; auditor engaged on all programmes, else 403)',
    responses: { 200: jsonResponse('The result', VerificationOut) },
  },
  async (c) => c.json(await verifyWholeLedger({ ctx: serviceContext(c) }), 200),
);

export const ledgerRoutes = [list, get, verify];
