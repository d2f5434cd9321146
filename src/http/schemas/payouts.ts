import { z } from '@hono/zod-openapi';
import { IsoDate, MoneyOut, PageQuery, Uuid, pageOf } from './common.ts';
import { ProgrammeRef, StudentRef } from './references.ts';

export const PayoutStatus = z.enum(['pending', 'sent', 'settled', 'failed', 'returned', 'cancelled']).openapi({
  description: 'pending (in an open batch) · sent (Dr payable / Cr in_transit) · settled (Dr in_transit / Cr bank) · failed (refused or returned before settling: Dr in_transit / Cr payable) · returned (came back after settling: Dr bank / Cr payable) · cancelled (its batch was cancelled before sending)',
});
export const BatchStatus = z.enum(['open', 'sent', 'cancelled']);
export const BankFileFormat = z.enum(['pain001', 'daifa_csv_utf8', 'daifa_csv_gbk']).openapi({
  description: 'pain001: ISO 20022 pain.001.001.09 XML · daifa_csv_utf8 / daifa_csv_gbk: the 代发 batch CSV (序号, 收款账号, 收款户名, 金额, 用途, 收款行, 备注 = payout reference)',
});

const Reason = z.string({ message: 'state the reason' }).trim().min(2, 'state the reason (at least 2 characters)').max(500, 'must be at most 500 characters');

export const CreateBatchBody = z
  .strictObject({
    programmeId: Uuid,
    cutoffOn: IsoDate.meta({ description: 'Instalments due on or before this day are taken' }),
    requestedExecutionOn: IsoDate.optional().openapi({ description: 'The day the bank is asked to pay (pain.001 ReqdExctnDt); default the cut-off, or today if that is past' }),
    instalmentIds: z
      .array(Uuid)
      .min(1, 'name at least one instalment, or leave the list out to take everything due')
      .max(20_000)
      .refine((ids) => new Set(ids).size === ids.length, 'names an instalment twice')
      .optional()
      .openapi({ description: 'Only these instalments (e.g. retries of failed payouts); each must be payable and due by the cut-off, else 422 `instalments_not_payable` names each and why' }),
  })
  .openapi('CreatePayoutBatch', { example: { programmeId: '0f8fad5b-d9cb-469f-a165-70867728950e', cutoffOn: '2026-11-30' } });

export const CancelBody = z.strictObject({ reason: Reason }).openapi('CancelWithReason', { example: { reason: '学生账户信息有误，重新生成批次' } });

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
export const BatchQuery = PageQuery.extend({ programmeId: Uuid.optional(), status: BatchStatus.optional() });

export const FileQuery = z.object({ format: BankFileFormat.default('pain001') });

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
    outcome: z.object({ on: z.string().nullable(), reason: z.string().nullable(), bankReference: z.string().nullable() }).nullable(),
    bankReference: z.string().nullable(),
    retryOfId: Uuid.nullable(),
    resolved: z.boolean(),
  })
  .openapi('Payout');

export const PayoutPage = pageOf(PayoutOut, 'PayoutPage');

const Flag = z.enum(['true', 'false']).transform((v) => v === 'true');

export const PayoutFilters = z.object({
  programmeId: Uuid.optional(),
  batchId: Uuid.optional(),
  studentId: Uuid.optional(),
  status: PayoutStatus.optional(),
  inTransitForDays: z.coerce.number().int('must be a whole number').min(0).max(3650).optional().openapi({ type: 'integer', description: 'Sent at least this many days ago and still in transit' }),
  toActOn: Flag.optional().openapi({ type: 'string', enum: ['true', 'false'], description: 'Failed or returned, neither retried nor cancelled yet' }),
});
export const PayoutQuery = PageQuery.extend(PayoutFilters.shape);
export const PayoutCsvQuery = PayoutFilters.extend({ encoding: z.enum(['utf-8', 'gbk']).default('utf-8') });

export const BankResultsQuery = z.object({
  format: z.enum(['camt.054', 'camt.053', 'csv', 'auto']).default('auto'),
  encoding: z.enum(['auto', 'utf-8', 'gbk']).default('auto').openapi({ description: 'For a result CSV' }),
  fileName: z.string().max(200).regex(/^[^/\\]+$/, 'a file name, not a path').optional(),
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
  reason: z.string().nullable(),
  bookingDate: z.string().nullable(),
  bankReference: z.string().nullable(),
});

export const BankResultImportOut = z
  .object({
    id: Uuid,
    programmeId: Uuid,
    format: z.string(),
    messageId: z.string().nullable(),
    sha256: z.string(),
    fileName: z.string().nullable(),
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
export const BankResultImportQuery = PageQuery.extend({ programmeId: Uuid.optional() });

export const CancelledInstalmentOut = z
  .object({ instalmentId: Uuid, grantId: Uuid, amount: MoneyOut, status: z.literal('cancelled'), failedPayoutId: Uuid, ledgerTransactionId: Uuid })
  .openapi('CancelledInstalment');
