import { z } from '@hono/zod-openapi';
import { ExportBatchFileInput, BankFileFormat } from '../../services/payouts/bank-files.ts';
import { ListBankLineMatchesInput } from '../../services/payouts/bank-line-match-views.ts';
import { ProposeBankLineMatchInput, RejectBankLineMatchInput } from '../../services/payouts/bank-line-matches.ts';
import { ListBankResultImportsInput } from '../../services/payouts/bank-result-views.ts';
import { ImportBankResultsInput } from '../../services/payouts/bank-results.ts';
import { BatchStatus, ListBatchesInput } from '../../services/payouts/batch-views.ts';
import { CancelPayoutBatchInput, CreateBatchInput, SendPayoutBatchInput } from '../../services/payouts/batches.ts';
import { ExportPayoutsCsvInput } from '../../services/payouts/payout-csv.ts';
import { ListPayoutsInput, PayoutStatus } from '../../services/payouts/payout-views.ts';
import { MoneyOut, Uuid, pageOf } from './common.ts';
import { ProgrammeRef, StudentRef } from './references.ts';

export { BankFileFormat, BatchStatus, PayoutStatus };

export const CreateBatchBody = CreateBatchInput.meta({
  id: 'CreatePayoutBatch',
  example: { programmeId: '0f8fad5b-d9cb-469f-a165-70867728950e', cutoffOn: '2026-11-30' },
});

export const SendBatchBody = SendPayoutBatchInput.omit({ batchId: true }).meta({
  id: 'SendPayoutBatch',
  example: { exportOverride: { reason: '银行柜台以纸质清单办理，批次未经本系统导出文件' } },
});

export const CancelBody = CancelPayoutBatchInput.omit({ batchId: true }).meta({
  id: 'CancelWithReason',
  example: { reason: '学生账户信息有误，重新生成批次' },
});

const StatusTotal = z.object({ count: z.number().int(), amount: MoneyOut });

export const BatchOut = z
  .object({
    id: Uuid,
    code: z.string(),
    programme: ProgrammeRef,
    status: BatchStatus,
    cutoffOn: z.string(),
    requestedExecutionOn: z.string(),
    payoutCount: z.number().int(),
    total: MoneyOut,
    currency: z.literal('CNY'),
    byStatus: z.record(PayoutStatus, StatusTotal),
    heldCount: z.number().int(),
    createdById: Uuid,
    createdAt: z.string(),
    sent: z.object({ sentById: Uuid, sentAt: z.string(), sentOn: z.string() }).nullable(),
    cancelled: z.object({ cancelledById: Uuid, cancelledAt: z.string(), reason: z.string() }).nullable(),
    exports: z.array(z.object({ format: BankFileFormat, sha256: z.string(), bytes: z.number().int(), createdAt: z.string() })),
  })
  .openapi('PayoutBatch');

export const BatchDetailOut = BatchOut.extend({
  held: z.array(z.object({ instalmentId: Uuid, student: StudentRef, amount: MoneyOut, reason: z.string() })),
}).openapi('PayoutBatchDetail');

export const BatchPage = pageOf(BatchOut, 'PayoutBatchPage');
export const BatchQuery = ListBatchesInput;

export const FileQuery = ExportBatchFileInput.omit({ batchId: true });

export const PayoutOut = z
  .object({
    id: Uuid,
    reference: z.string(),
    batch: z.object({ id: Uuid, code: z.string() }),
    programmeId: Uuid,
    grantId: Uuid,
    instalmentId: Uuid,
    student: StudentRef,
    amount: MoneyOut,
    currency: z.literal('CNY'),
    payee: z.object({ nameMasked: z.string(), accountMasked: z.string(), bankName: z.string() }),
    status: PayoutStatus,
    sentOn: z.string().nullable(),
    settledOn: z.string().nullable(),
    outcome: z
      .object({
        on: z.string().nullable(),
        reason: z.string().nullable(),
        reasonText: z.string().nullable().openapi({ description: 'The reason with its ISO return code named in Chinese and English' }),
        bankReference: z.string().nullable(),
      })
      .nullable(),
    bankReference: z.string().nullable(),
    retryOfId: Uuid.nullable(),
    resolved: z.boolean(),
  })
  .openapi('Payout');

export const PayoutPage = pageOf(PayoutOut, 'PayoutPage');

/** A yes/no in a query string: the words true and false. */
const Flag = z.enum(['true', 'false']).transform((v) => v === 'true');

/** Query strings carry text: numbers and yes/no are read from it, then the service's filters apply. */
const PayoutFilterQuery = {
  inTransitForDays: z.coerce
    .number()
    .int('must be a whole number')
    .min(0)
    .max(3650)
    .optional()
    .openapi({ type: 'integer', description: 'Sent at least this many days ago and still in transit' }),
  toActOn: Flag.optional().openapi({ type: 'string', enum: ['true', 'false'], description: 'Failed or returned, neither retried nor cancelled yet' }),
};
export const PayoutQuery = ListPayoutsInput.extend(PayoutFilterQuery);
export const PayoutCsvQuery = ExportPayoutsCsvInput.extend(PayoutFilterQuery);

export const BankResultsQuery = ImportBankResultsInput.pick({ format: true, encoding: true, fileName: true, preset: true, account: true }).extend({
  acceptExceptions: Flag.default(false).openapi({ type: 'string', enum: ['true', 'false'] }),
  dryRun: Flag.default(false).openapi({ type: 'string', enum: ['true', 'false'] }),
});

const BankResultLineOut = z.object({
  position: z.number().int(),
  line: z.number().int(),
  reference: z.string().nullable(),
  amount: MoneyOut,
  kind: z.string(),
  outcome: z.string(),
  payoutId: Uuid.nullable(),
  reason: z.string().nullable().openapi({ description: 'The bank’s own reason for a refusal or return, as it gave it (ISO code and text)' }),
  explanation: z.string().nullable().openapi({ description: 'Why the import did not apply the line (an exception), in English; null when it applied' }),
  reasonText: z.string().nullable().openapi({
    description: 'The bank’s reason of a refusal or return with its ISO code named in Chinese and English, e.g. "AC04 账户已销户 (closed account number)"',
  }),
  bookingDate: z.string().nullable(),
  bankReference: z.string().nullable(),
  candidates: z
    .array(
      z
        .object({ payoutId: Uuid, reference: z.string(), amount: MoneyOut, accountMasked: z.string(), batchId: Uuid, batchCode: z.string() })
        .openapi('BankLineCandidate'),
    )
    .nullable()
    .openapi({
      description:
        'matched_without_reference: the payout matched; ambiguous_match / unmatched without a reference: the payouts it may be about (masked accounts), to pick from by hand',
    }),
});

export const BankResultImportOut = z
  .object({
    id: Uuid,
    programmeId: Uuid,
    format: z.string(),
    messageId: z.string().nullable(),
    sha256: z.string(),
    fileName: z.string().nullable(),
    preset: z.string().nullable().openapi({ description: 'The account-history CSV layout (format statement-csv)' }),
    accountStatedBy: z.enum(['file', 'declared', 'assumed']).openapi({
      description: 'Where the account came from: the file, the `account` given, or — the file naming none — the programme’s payout account, assumed',
    }),
    lineCount: z.number().int(),
    appliedCount: z.number().int(),
    exceptionCount: z.number().int(),
    outcomes: z.record(z.string(), z.number().int()),
    createdById: Uuid,
    createdAt: z.string(),
    lines: z.array(BankResultLineOut).optional().openapi({ description: 'Every line in the detail view; only the exceptions in the answer to an import' }),
  })
  .openapi('BankResultImport');

export const BankResultImportResultOut = z
  .object({ import: BankResultImportOut, replayed: z.boolean(), dryRun: z.boolean() })
  .openapi('BankResultImportResult');

export const BankResultImportPage = pageOf(BankResultImportOut, 'BankResultImportPage');
export const BankResultImportQuery = ListBankResultImportsInput;

export const CancelledInstalmentOut = z
  .object({ instalmentId: Uuid, grantId: Uuid, amount: MoneyOut, status: z.literal('cancelled'), failedPayoutId: Uuid, ledgerTransactionId: Uuid })
  .openapi('CancelledInstalment');

export const ProposeBankLineMatchBody = ProposeBankLineMatchInput.meta({
  id: 'ProposeBankLineMatch',
  example: {
    importId: '0f8fad5b-d9cb-469f-a165-70867728950e',
    position: 3,
    payoutReference: 'PB20261126-00001-000001',
    reason: '银行流水未带参考号，经与开户行核对为该笔发放',
  },
});

export const RejectBankLineMatchBody = RejectBankLineMatchInput.omit({ matchId: true }).meta({
  id: 'RejectBankLineMatch',
  example: { reason: '金额相同但收款账户不符，不是该笔发放' },
});

export const BankLineMatchQuery = ListBankLineMatchesInput.omit({ programmeId: true });

export const BankLineMatchOut = z
  .object({
    id: Uuid,
    programmeId: Uuid,
    importId: Uuid,
    position: z.number().int(),
    line: z.object({
      line: z.number().int(),
      reference: z.string().nullable(),
      amount: MoneyOut,
      kind: z.string(),
      outcome: z.string().openapi({ description: '`matched_by_hand` once the match is confirmed' }),
      bookingDate: z.string().nullable(),
      bankReference: z.string().nullable(),
    }),
    payout: z.object({ id: Uuid, reference: z.string(), amount: MoneyOut, status: z.string() }),
    reason: z.string(),
    status: z.enum(['proposed', 'confirmed', 'rejected']),
    proposedById: Uuid,
    proposedAt: z.string(),
    confirmedById: Uuid.nullable(),
    confirmedAt: z.string().nullable(),
    rejectedById: Uuid.nullable(),
    rejectedAt: z.string().nullable(),
    rejectionReason: z.string().nullable(),
  })
  .openapi('BankLineMatch');

export const BankLineMatchList = z.object({ items: z.array(BankLineMatchOut) }).openapi('BankLineMatchList');
