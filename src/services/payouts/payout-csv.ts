// The payout list as a spreadsheet (same filters as the list): masked identities and accounts,
// UTF-8 with a BOM (for Excel) or GBK. Formula-like cells are escaped by papaparse. Audited.
import Papa from 'papaparse';
import iconv from 'iconv-lite';
import { recordAudit } from '../audit.ts';
import type { UseCaseCall } from '../context.ts';
import { requirePermission } from '../scope.ts';
import { z } from 'zod';
import { parseInput } from '../validation.ts';
import { PayoutFilters, allPayouts } from './payout-views.ts';

export const PAYOUT_CSV_HEADER = [
  '付款编号',
  '批次',
  '姓名',
  '身份证号',
  '收款账号',
  '收款行',
  '金额',
  '状态',
  '发送日期',
  '到账日期',
  '退回/失败日期',
  '原因',
  '银行流水号',
] as const;

export const ExportPayoutsCsvInput = PayoutFilters.extend({ encoding: z.enum(['utf-8', 'gbk']).default('utf-8') });
export type ExportPayoutsCsvInput = z.input<typeof ExportPayoutsCsvInput>;

export interface PayoutCsv {
  filename: string;
  contentType: string;
  bytes: Uint8Array;
  rows: number;
}

export async function exportPayoutsCsv({ ctx, input: raw }: UseCaseCall<ExportPayoutsCsvInput>): Promise<PayoutCsv> {
  const input = parseInput(ExportPayoutsCsvInput, raw);
  requirePermission(ctx.actor, 'payout.export');
  const data: string[][] = [];
  for await (const p of allPayouts(ctx, input)) {
    data.push([
      p.reference,
      p.batch.code,
      p.student.nameMasked,
      p.student.identityNumberMasked,
      p.payee.accountMasked,
      p.payee.bankName,
      p.amount,
      p.status,
      p.sentOn ?? '',
      p.settledOn ?? '',
      p.outcome?.on ?? '',
      p.outcome?.reason ?? '',
      [p.bankReference, p.outcome?.bankReference].filter(Boolean).join(' / '),
    ]);
  }
  const text = `${Papa.unparse({ fields: [...PAYOUT_CSV_HEADER], data }, { newline: '\r\n', escapeFormulae: true })}\r\n`;
  const bytes = input.encoding === 'gbk' ? new Uint8Array(iconv.encode(text, 'gbk')) : new TextEncoder().encode(`\uFEFF${text}`);
  const { encoding, ...filters } = input;
  await recordAudit(ctx.db, ctx, {
    action: 'payout.export',
    recordType: 'payout',
    recordId: input.programmeId ?? input.batchId ?? '*',
    after: { filters, encoding, rows: data.length },
  });
  return { filename: 'payouts.csv', contentType: `text/csv; charset=${encoding === 'gbk' ? 'GBK' : 'utf-8'}`, bytes, rows: data.length };
}
