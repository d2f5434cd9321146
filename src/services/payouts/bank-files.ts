// The files a batch is paid with: ISO 20022 pain.001.001.09 and the 代发 CSV (UTF-8 or GBK).
//
// Streaming both ways: payouts are read from the database a page at a time and their snapshotted
// names and accounts opened one by one, so a 10,000-payout file is never in memory. Deterministic:
// every input is stored with the batch (code, creation time, execution date, the snapshot), so
// re-exporting gives the same bytes. The first export of each format stores the file's SHA-256;
// every later export is hashed again and must match — if it ever did not, the file is refused
// rather than sent to the bank.
//
// An export is a read of personal data in clear (whole accounts, names): finance only, and every
// export is an audit event.
import { sha256Stream } from '../../domain/sha256.ts';
import { z } from 'zod';
import { Uuid } from '../fields.ts';
import { parseInput } from '../validation.ts';
import { makeBankPayoutSource } from './bank-file-payouts.ts';
import { ConflictError, RuleViolationError } from '../../domain/errors.ts';
import { formatMoney } from '../../domain/money.ts';
import { BankFileError } from '../../bank/outgoing/errors.ts';
import type { BankPayout } from '../../bank/outgoing/types.ts';
import { writeDaifaCsv } from '../../bank/outgoing/daifa-csv.ts';
import { writePain001 } from '../../bank/outgoing/pain001.ts';

import { recordAudit } from '../audit.ts';
import { type UseCaseCall, vaultOf } from '../context.ts';
import { requirePermission } from '../scope.ts';
import { batchInScope } from './batch-views.ts';
import { reportOperation } from '../../telemetry/operations.ts';

export const BankFileFormat = z.enum(['pain001', 'daifa_csv_utf8', 'daifa_csv_gbk']).meta({
  description:
    'pain001: ISO 20022 pain.001.001.09 XML · daifa_csv_utf8 / daifa_csv_gbk: the 代发 batch CSV (序号, 收款账号, 收款户名, 金额, 用途, 收款行, 备注 = payout reference)',
});

export const ExportBatchFileInput = z.strictObject({ batchId: Uuid, format: BankFileFormat.default('pain001') });
export type ExportBatchFileInput = z.input<typeof ExportBatchFileInput>;
export type BankFileFormatValue = z.infer<typeof BankFileFormat>;

export interface BatchFile {
  fileName: string;
  contentType: string;
  sha256: string;
  bytes: number;
  /** The file's bytes; may be iterated more than once, each time from the database. */
  chunks: () => AsyncIterable<Uint8Array>;
}

/** Beijing time with offset, second precision: the pain.001 CreDtTm of the batch. */
function beijingDateTime(at: Date): string {
  const shifted = new Date(at.getTime() + 8 * 3600_000).toISOString();
  return `${shifted.slice(0, 19)}+08:00`;
}

interface FileContext {
  batch: { id: string; code: string; createdAt: Date; requestedExecutionOn: string; payoutCount: number; total: string };
  programme: { code: string; payoutAccountNumber: string; payoutAccountName: string; payoutBankName: string | null; payoutBankCode: string | null };
  administratorName: string;
}

function writerFor(format: BankFileFormatValue, f: FileContext, payouts: () => AsyncIterable<BankPayout>): AsyncIterable<Uint8Array> {
  const totals = { count: f.batch.payoutCount, controlSum: f.batch.total };
  const purpose = `助学金 ${f.programme.code}`;
  if (format === 'pain001') {
    const bank = f.programme;
    return writePain001(
      {
        messageId: f.batch.code,
        createdAt: beijingDateTime(f.batch.createdAt),
        initiatingParty: { name: f.administratorName },
        paymentInfoId: `${f.batch.code}-1`,
        requestedExecutionDate: f.batch.requestedExecutionOn,
        debtor: {
          name: bank.payoutAccountName,
          account: bank.payoutAccountNumber,
          agent: {
            ...(bank.payoutBankName ? { name: bank.payoutBankName } : {}),
            ...(bank.payoutBankCode ? { clearingMemberId: bank.payoutBankCode, clearingSystem: 'CNAPS' } : {}),
          },
        },
        // One debit per payout on the programme's statement, so each settles on its own line.
        batchBooking: false,
        remittanceInfo: purpose,
        totals,
      },
      payouts(),
    );
  }
  return writeDaifaCsv({ purpose, totals }, payouts(), {
    encoding: format === 'daifa_csv_gbk' ? 'gbk' : 'utf-8',
    bankNameColumn: true,
    referenceColumn: true,
  });
}

const FILE_SHAPE: Record<BankFileFormatValue, { suffix: string; contentType: string }> = {
  pain001: { suffix: 'pain001.xml', contentType: 'application/xml' },
  daifa_csv_utf8: { suffix: 'daifa.utf8.csv', contentType: 'text/csv; charset=utf-8' },
  daifa_csv_gbk: { suffix: 'daifa.gbk.csv', contentType: 'text/csv; charset=gbk' },
};

/** Hashes the file as it is written. A payout the bank format cannot carry is a 422 naming it (no personal data). */
async function hashFile(chunks: () => AsyncIterable<Uint8Array>, code: string): Promise<{ sha256: string; bytes: number }> {
  const hash = sha256Stream();
  let bytes = 0;
  try {
    for await (const chunk of chunks()) {
      hash.update(chunk);
      bytes += chunk.byteLength;
    }
  } catch (error) {
    if (!(error instanceof BankFileError)) throw error;
    throw new RuleViolationError('bank_file_refused', { batch: code, field: error.field ?? null, reference: error.reference ?? null });
  }
  return { sha256: hash.hex(), bytes };
}

/**
 * Prepares the export: checks, hashes the file once (streaming), records or compares the hash and
 * audits the export. The returned `chunks` produce the same bytes again for the response.
 */
export async function exportBatchFile({ ctx, input: raw }: UseCaseCall<ExportBatchFileInput>): Promise<BatchFile> {
  const input = parseInput(ExportBatchFileInput, raw);
  requirePermission(ctx.actor, 'payout_batch.export_file');
  const vault = vaultOf(ctx);
  const scoped = await batchInScope(ctx.db, ctx, input.batchId);
  if (scoped.status === 'cancelled') throw new ConflictError('batch_cancelled', { batch: scoped.code });
  const batch = await ctx.db.payoutBatch.findUniqueOrThrow({
    where: { id: scoped.id },
    include: { programme: { include: { administrator: { select: { name: true } } } } },
  });
  const p = batch.programme;
  if (!p.payoutAccountNumber || !p.payoutAccountName) {
    throw new RuleViolationError('programme_payout_account_missing');
  }
  const f: FileContext = {
    batch: {
      id: batch.id,
      code: batch.code,
      createdAt: batch.createdAt,
      requestedExecutionOn: batch.requestedExecutionOn.toISOString().slice(0, 10),
      payoutCount: batch.payoutCount,
      total: formatMoney(batch.total.toString()),
    },
    programme: {
      code: p.code,
      payoutAccountNumber: p.payoutAccountNumber,
      payoutAccountName: p.payoutAccountName,
      payoutBankName: p.payoutBankName,
      payoutBankCode: p.payoutBankCode,
    },
    administratorName: p.administrator.name,
  };
  const payouts = makeBankPayoutSource(ctx.db, vault, batch.id);
  const chunks = () => writerFor(input.format, f, payouts);

  const { sha256, bytes } = await hashFile(chunks, batch.code);

  await ctx.db.$transaction(async (tx) => {
    // The batch was checked open before the file was written; a cancellation may have committed
    // since. Its row is held (FOR SHARE; a cancellation or a send locks it for update) and read
    // again, so that no file is recorded and handed out for a batch already cancelled.
    const [now] = await tx.$queryRaw<{ status: string }[]>`SELECT "status"::text AS status FROM "payout_batch" WHERE "id" = ${batch.id}::uuid FOR SHARE`;
    if (now?.status === 'cancelled') throw new ConflictError('batch_cancelled', { batch: batch.code });
    await tx.payoutExport.createMany({
      data: [{ batchId: batch.id, format: input.format, sha256, bytes, createdById: ctx.actor.userId }],
      skipDuplicates: true,
    });
    const first = await tx.payoutExport.findUniqueOrThrow({ where: { batchId_format: { batchId: batch.id, format: input.format } } });
    if (first.sha256 !== sha256) {
      throw new Error(`payout batch ${batch.code}: the ${input.format} export no longer matches its first export (${first.sha256}); refusing to hand it out`);
    }
    // The batch may now be marked sent (src/services/payouts/batches.ts): a file exists for the bank.
    await tx.payoutBatch.updateMany({ where: { id: batch.id, firstExportedAt: null }, data: { firstExportedAt: first.createdAt } });
    await recordAudit(tx, ctx, {
      action: 'payout_batch.export_file',
      recordType: 'payout_batch',
      recordId: batch.id,
      after: { code: batch.code, format: input.format, sha256, bytes, firstExportedAt: first.createdAt.toISOString() },
    });
  });
  reportOperation({ kind: 'bank_file_exported', format: input.format });
  return { fileName: `${batch.code}.${FILE_SHAPE[input.format].suffix}`, contentType: FILE_SHAPE[input.format].contentType, sha256, bytes, chunks };
}
