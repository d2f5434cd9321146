// The quarterly disclosure report (慈善项目实施情况公开) of a programme, for its foundation and auditors.
import { z } from '@hono/zod-openapi';
import { XLSX_CONTENT_TYPE } from '../../files/table-xlsx.ts';
import { produceDisclosure, produceDisclosureFile } from '../../services/disclosure.ts';
import { fileResponse, jsonResponse, routeGroup } from '../define-route.ts';
import { DisclosureOut } from '../schemas/disclosure.ts';
import { Uuid } from '../schemas/common.ts';

const { get } = routeGroup({ tags: ['Disclosure'] });
const Params = z.object({ programmeId: Uuid, quarter: z.string().openapi({ example: '2026Q1', pattern: '^[0-9]{4}Q[1-4]$' }) });

const DESCRIPTION =
  'Aggregates only: funds received; grants approved in the quarter (人次, students, amounts by level and prefecture); paid, returned, cancelled in it and remaining at its end; empowerment person-times by kind; cohort outcomes as of its last day. Cells of fewer than 3 students are hidden (null, `suppressed: true`), with complementary suppression; the rule is stated in the report. The same ledger and records give the same content and `contentSha256`. A quarter not yet over (Beijing date) answers 422 quarter_not_over. Every report produced is audited.';

export const disclosureRoutes = [
  get('/programmes/{programmeId}/disclosures/{quarter}', 'disclosure.produce', {
    summary: '慈善项目实施情况公开: the programme’s quarterly disclosure report (JSON)',
    description: DESCRIPTION,
    request: { params: Params },
    responses: { 200: jsonResponse('The report', DisclosureOut) },
  }).runs(produceDisclosure),
  get('/programmes/{programmeId}/disclosures/{quarter}/report.csv', 'disclosure.produce', {
    summary: 'The same report as CSV (UTF-8 with a BOM): its facts, hash and suppression rule first, then one figure a row, hidden cells “*”',
    description: DESCRIPTION,
    request: { params: Params },
    responses: { 200: fileResponse('The CSV file (attachment)', 'text/csv') },
  }).downloads(({ ctx, input }) => produceDisclosureFile({ ctx, input: { ...input, format: 'csv' } })),
  get('/programmes/{programmeId}/disclosures/{quarter}/report.xlsx', 'disclosure.produce', {
    summary: 'The same report as an Excel workbook (XLSX), byte for byte the same for the same report',
    description: DESCRIPTION,
    request: { params: Params },
    responses: { 200: fileResponse('The XLSX file (attachment)', XLSX_CONTENT_TYPE) },
  }).downloads(({ ctx, input }) => produceDisclosureFile({ ctx, input: { ...input, format: 'xlsx' } })),
];
