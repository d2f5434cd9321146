// The grant register as a download: CSV (UTF-8 with a BOM, or GBK) or XLSX, with Chinese headers
// and Chinese words for levels and statuses, identities masked, the grant's own number last (a
// reference to quote, never the first thing a reader sees). Every download is an audit event:
// who took which list, in which form, how many rows.
import { z } from 'zod';
import { ENROLMENT_LEVEL_LABELS } from '../domain/eligibility.ts';
import { GRANT_STATUS_LABELS, labelOf } from '../domain/status-labels.ts';
import type { Column, Table, TableFile } from '../files/table.ts';
import { tableCsv } from '../files/table-csv.ts';
import { XLSX_CONTENT_TYPE, tableXlsx } from '../files/table-xlsx.ts';
import { recordAudit } from './audit.ts';
import type { ServiceContext } from './context.ts';
import { type GrantRegisterRow, GrantRegisterFilters, allGrantRegisterRows } from './grant-register.ts';
import { findProgrammeInScope } from './programmes.ts';
import { requirePermission } from './scope.ts';
import { parseInput } from './validation.ts';

export const ExportGrantRegisterInput = GrantRegisterFilters.extend({
  format: z.enum(['csv', 'xlsx'], { message: 'must be csv or xlsx' }).default('csv'),
  encoding: z
    .enum(['utf-8', 'gbk'], { message: 'must be utf-8 or gbk' })
    .default('utf-8')
    .meta({ description: 'CSV only: utf-8 (with a BOM, the default) or gbk' }),
});
export type ExportGrantRegisterInput = z.input<typeof ExportGrantRegisterInput>;

const COLUMNS: { header: string; kind: Column['kind']; cell: (r: GrantRegisterRow) => string }[] = [
  { header: '学年', kind: 'text', cell: (r) => r.academicYear },
  { header: '姓名', kind: 'text', cell: (r) => r.studentNameMasked },
  { header: '身份证号', kind: 'text', cell: (r) => r.identityNumberMasked },
  { header: '学校', kind: 'text', cell: (r) => r.school },
  { header: '层次', kind: 'text', cell: (r) => ENROLMENT_LEVEL_LABELS[r.level].zh },
  { header: '地区', kind: 'text', cell: (r) => r.regionName },
  { header: '状态', kind: 'text', cell: (r) => labelOf(GRANT_STATUS_LABELS, r.status) },
  { header: '资助金额', kind: 'money', cell: (r) => r.amount },
  { header: '已发放', kind: 'money', cell: (r) => r.paid },
  { header: '在途', kind: 'money', cell: (r) => r.inTransit },
  { header: '已取消', kind: 'money', cell: (r) => r.cancelled },
  { header: '待发放', kind: 'money', cell: (r) => r.toPay },
  { header: '资助编号', kind: 'text', cell: (r) => r.grantId },
];

export const GRANT_REGISTER_HEADER: readonly string[] = COLUMNS.map((c) => c.header);

export async function exportGrantRegister({
  ctx,
  input: raw,
}: {
  ctx: ServiceContext;
  input: ExportGrantRegisterInput;
}): Promise<TableFile & { rows: number }> {
  const input = parseInput(ExportGrantRegisterInput, raw);
  const programme = await findProgrammeInScope(ctx.db, ctx, input.programmeId);
  requirePermission(ctx.actor, 'grant.export');
  const rows: string[][] = [];
  for await (const row of allGrantRegisterRows(ctx, { programmeId: programme.id, academicYear: input.academicYear, status: input.status })) {
    rows.push(COLUMNS.map((c) => c.cell(row)));
  }
  const table: Table = { name: '资助名单', columns: COLUMNS, rows };
  const file = input.format === 'xlsx' ? { bytes: await tableXlsx(table), contentType: XLSX_CONTENT_TYPE } : tableCsv(table, input.encoding);
  await recordAudit(ctx.db, ctx, {
    action: 'grant.export',
    recordType: 'programme',
    recordId: programme.id,
    after: {
      academicYear: input.academicYear ?? null,
      status: input.status ?? null,
      format: input.format,
      encoding: input.format === 'csv' ? input.encoding : null,
      rows: rows.length,
    },
  });
  const safeCode = programme.code.replace(/[^A-Za-z0-9_-]/g, '_');
  return { filename: `grants-${safeCode}-${input.academicYear ?? 'all-years'}.${input.format}`, ...file, rows: rows.length };
}
