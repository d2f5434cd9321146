import { z } from '@hono/zod-openapi';
import {
  ListLedgerTransactionsInput,
  TransactionKind,
  getLedgerTransaction,
  listLedgerTransactions,
  verifyWholeLedger,
} from '../../services/ledger-queries.ts';
import { jsonResponse, routeGroup } from '../define-route.ts';
import { MoneyOut, Uuid, pageOf } from '../schemas/common.ts';

const { get } = routeGroup({ tags: ['Ledger'] });

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

export const ledgerRoutes = [
  get('/programmes/{programmeId}/ledger/transactions', 'ledger.read', {
    summary: 'A programme’s ledger transactions with entries, in sequence order',
    request: { params: z.object({ programmeId: Uuid }), query: ListLedgerTransactionsInput.omit({ programmeId: true }) },
    responses: { 200: jsonResponse('A page', pageOf(LedgerTransactionOut, 'LedgerTransactionPage')) },
  }).runs(listLedgerTransactions),
  get('/programmes/{programmeId}/ledger/transactions/{transactionId}', 'ledger.read', {
    summary: 'One ledger transaction',
    request: { params: z.object({ programmeId: Uuid, transactionId: Uuid }) },
    responses: { 200: jsonResponse('The transaction', LedgerTransactionOut) },
  }).runs(getLedgerTransaction),
  get('/ledger/verification', 'ledger.verify', {
    summary: 'Recompute the whole hash chain and every ledger invariant (admin; auditor engaged on all programmes, else 403)',
    responses: { 200: jsonResponse('The result', VerificationOut) },
  }).runs(verifyWholeLedger),
];
