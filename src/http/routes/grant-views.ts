// Views of grants: a programme's summary per academic year, a student's grant
// history, and the grant list for the foundation as CSV and XLSX.
import { z } from '@hono/zod-openapi';
import { exportProgrammeGrantsCsv, programmeGrantSummary } from '../../services/grant-views.ts';
import { XLSX_CONTENT_TYPE } from '../../files/table-xlsx.ts';
import { exportGrantRegister } from '../../services/grant-register-files.ts';
import { studentGrantHistory } from '../../services/grants.ts';
import { fileResponse, jsonResponse, routeGroup } from '../define-route.ts';
import { Uuid } from '../schemas/common.ts';
import { GrantCsvQuery, GrantSummaryOut, GrantSummaryQuery, GrantXlsxQuery, StudentGrantsOut } from '../schemas/grants.ts';

const { get } = routeGroup({ tags: ['Grants'] });
const Params = z.object({ id: Uuid });

export const grantViewRoutes = [
  get('/programmes/{id}/grant-summary', 'grant.summary', {
    summary:
      'A programme’s grants per academic year and cumulated: students funded, by level and region, committed, paid, cancelled, remaining; uncommitted fund',
    description:
      'Computed from the database on each call. Approved and ended grants count; remaining = committed − paid − cancelled. Without `academicYear`, every year with grants, and the cumulative figures.',
    request: { params: Params, query: GrantSummaryQuery },
    responses: { 200: jsonResponse('The summary', GrantSummaryOut) },
  }).runs(({ ctx, input: { id, ...query } }) => programmeGrantSummary({ ctx, input: { programmeId: id, ...query } })),
  get('/programmes/{id}/grants.csv', 'grant.export', {
    summary: 'The grant list for the foundation as CSV: one row per approved or ended grant, identities masked',
    description:
      'Columns: 学年, 姓名 (masked), 身份证号 (masked), 学校, 层次 (本科/大专/高职), 地区, 状态 (已批准/已终止), 资助金额, 已发放, 在途, 已取消, 待发放, 资助编号. UTF-8 with a BOM, or GBK. The same list as the pages’ XLSX download. Every export is audited.',
    request: { params: Params, query: GrantCsvQuery },
    responses: { 200: fileResponse('The CSV file (attachment)', 'text/csv') },
  }).downloads(({ ctx, input: { id, ...query } }) => exportProgrammeGrantsCsv({ ctx, input: { programmeId: id, ...query } })),
  get('/programmes/{id}/grants.xlsx', 'grant.export', {
    summary: 'The same grant list as an Excel workbook (XLSX)',
    description:
      'The columns of grants.csv, in one worksheet 资助名单: identity numbers and other text as text cells (Excel and WPS keep them whole), amounts as numbers to the fen. Filters: academicYear, status (approved or ended). Every export is audited.',
    request: { params: Params, query: GrantXlsxQuery },
    responses: { 200: fileResponse('The XLSX file (attachment)', XLSX_CONTENT_TYPE) },
  }).downloads(({ ctx, input: { id, ...query } }) => exportGrantRegister({ ctx, input: { programmeId: id, ...query, format: 'xlsx' } })),
  get('/students/{id}/grants', 'grant.read', {
    summary: 'A student’s grants across academic years, with instalments and their status',
    request: { params: Params },
    responses: { 200: jsonResponse('The history', StudentGrantsOut) },
  }).runs(({ ctx, input }) => studentGrantHistory({ ctx, input: { studentId: input.id } })),
];
