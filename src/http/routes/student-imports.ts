// Bulk intake: POST /students/imports (the CSV or XLSX file as the raw body) and GET /students/imports/template(.xlsx).
//
// Body limit. The API allows 1 MiB per request body; a county's list of up to 5,000 rows is larger
// than that (a row is about 300 bytes of UTF-8), so this path allows 5 MiB and no other path does:
// app.ts's body-limit middleware picks `studentImportBodyLimit` for STUDENT_IMPORT_PATH, after
// authentication. The import tests prove both limits.
import { z } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { render } from '../../domain/error-catalogue.ts';
import { IMPORT_COLUMNS } from '../../domain/student-import/layout.ts';
import { XLSX_CONTENT_TYPE } from '../../files/table-xlsx.ts';
import { studentImportTemplate } from '../../services/student-import-template.ts';
import { MAX_IMPORT_BYTES, MAX_IMPORT_ROWS, importStudents } from '../../services/student-import.ts';
import { serviceContext } from '../context.ts';
import { fileResponse, jsonResponse, routeGroup } from '../define-route.ts';
import type { AppEnv } from '../env.ts';
import { problem, problemResponse } from '../problem.ts';
import { problemContent } from '../schemas/common.ts';
import { ImportQuery, ImportReportOut } from '../schemas/student-imports.ts';

const IMPORTS = '/students/imports';
const TEMPLATE = '/students/imports/template';
const TEMPLATE_XLSX = '/students/imports/template.xlsx';
/** What browsers and spreadsheet tools label a .csv or .xlsx file with (the service tells them apart by their bytes). */
const FILE_TYPES = ['text/csv', 'application/csv', 'text/plain', 'application/vnd.ms-excel', XLSX_CONTENT_TYPE, 'application/octet-stream'];

/** The one path whose body may exceed the API's 1 MiB: app.ts picks this limit for it. */
export const STUDENT_IMPORT_PATH = IMPORTS;

export const studentImportBodyLimit = bodyLimit({
  maxSize: MAX_IMPORT_BYTES,
  onError: (c) =>
    problemResponse(
      c,
      problem(
        413,
        'payload_too_large',
        render('payload_too_large', { of: 'student_list', maxMiB: MAX_IMPORT_BYTES / (1024 * 1024), maxRows: MAX_IMPORT_ROWS }),
      ),
    ),
});

/** The column list of the documentation, from the layout itself so the two cannot drift apart. */
const COLUMN_LIST = IMPORT_COLUMNS.map((c) => `${c.zh} ${c.key}${c.required ? '' : ' (optional)'}`).join(' · ');

/** The body must be labelled as a CSV or XLSX file: a JSON or form body here is a client mistake, answered before reading it. */
const fileOnly: MiddlewareHandler<AppEnv> = async (c, next) => {
  const essence = (c.req.header('Content-Type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (!FILE_TYPES.includes(essence)) {
    return problemResponse(c, problem(415, 'unsupported_media_type', render('unsupported_media_type', { file: 'text/csv' })));
  }
  return next();
};

const { get, post } = routeGroup({ tags: ['Students'] });

const importRoute = post(IMPORTS, 'student.import', {
  summary: 'Import students with their recognition and enrolment from a CSV or XLSX list; dry run by default (caseworker)',
  description: [
    'The body is the file itself: a CSV (`Content-Type: text/csv`), UTF-8 with or without BOM, or GBK; or an .xlsx workbook (`Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet`), its first worksheet read. At most 5 MiB and 5,000 student rows.',
    'A workbook with a formula or merged cells in the list (the header row and below) is refused (400 workbook_formula / workbook_merged_cells, errors[] naming each cell); an identity or account number stored as a number (its last digits already lost, 6.30102E+17) is an error of its row, naming the cell.',
    `Columns (header row; Chinese names or the English keys; order free; \`序号\` and \`备注\` ignored; other unknown columns ignored with a warning): ${COLUMN_LIST}.`,
    'Parent situations: 死亡, 失踪, 重残, 重病, 服刑在押, 强制隔离戒毒, 其他限制人身自由, 失联, 被撤销监护资格, 被遣送/驱逐出境, 无. Dates: 2024-09-01, 2024/9/1 or 2024年9月1日. Evidence: `类型|编号|签发机关|日期`, documents separated by `;`.',
    'Every row is checked by the same use cases as POST /students, …/recognitions and …/enrolments. Outcomes: create, exists (already on the department’s file with the same details — a second import of the same list creates nothing), error (column, cell and reason in Chinese and English; e.g. conflicts_with_existing, exists_elsewhere, duplicate_in_file). Identity numbers and names appear masked only.',
    'dryRun=false imports all rows in one transaction, or none: any error answers 422 import_rejected with the report. The same file sent again is answered with the first import’s report (replayed: true, Idempotency-Replayed: true).',
  ].join('\n\n'),
  request: {
    query: ImportQuery,
    body: {
      required: true,
      description: 'The CSV or XLSX file',
      content: {
        'text/csv': { schema: z.string().openapi({ example: '姓名,身份证号,性别,…\r\n韩梅梅,630102200603151249,女,…' }) },
        [XLSX_CONTENT_TYPE]: { schema: z.string().openapi({ format: 'binary' }) },
      },
    },
  },
  responses: {
    200: jsonResponse('Dry run: what would happen to each row; or the replayed report of a file imported before', ImportReportOut),
    201: jsonResponse('Imported: every row created or already on file', ImportReportOut),
    413: { description: 'The file is larger than 5 MiB', content: problemContent },
    415: { description: 'The body is sent neither as text/csv nor as an XLSX workbook', content: problemContent },
  },
  middleware: fileOnly,
}).answers(async (c) => {
  const query = c.req.valid('query');
  const fileBytes = new Uint8Array(await c.req.arrayBuffer());
  const result = await importStudents({ ctx: serviceContext(c), input: { fileBytes, encoding: query.encoding, dryRun: query.dryRun === 'true' } });
  if (result.replayed) c.header('Idempotency-Replayed', 'true');
  return c.json(result, result.committed && !result.replayed ? 201 : 200);
});

/** The template as an attachment; the file name in Chinese for browsers that read filename*. */
async function templateFile(format: 'csv' | 'xlsx') {
  const file = await studentImportTemplate({ input: { format } });
  const ascii = `student-import-template.${format}`;
  return { file, disposition: `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file.filename)}` };
}

const templateRoute = get(TEMPLATE, 'authenticated', {
  summary: 'The CSV template: the header row and one fictional example row (marked 示例, never imported)',
  description:
    'UTF-8 with a byte-order mark, so that Excel opens the Chinese headers correctly. Format the 身份证号 and 银行账号 columns as Text before typing, or Excel turns them into 6.30102E+17 — or take the XLSX template, whose columns are text already.',
  responses: { 200: fileResponse('The template', 'text/csv') },
}).answers(async (c) => {
  const { file, disposition } = await templateFile('csv');
  return c.body(file.bytes as Uint8Array<ArrayBuffer>, 200, { 'Content-Type': file.contentType, 'Content-Disposition': disposition });
});

const templateXlsxRoute = get(TEMPLATE_XLSX, 'authenticated', {
  summary: 'The XLSX template: the same header and example row, every column formatted as text (@)',
  description:
    'Identity and account numbers typed into it stay text in Excel and WPS (never 6.30102E+17). Send the filled-in workbook itself to POST /students/imports.',
  responses: { 200: fileResponse('The template', XLSX_CONTENT_TYPE) },
}).answers(async (c) => {
  const { file, disposition } = await templateFile('xlsx');
  return c.body(file.bytes as Uint8Array<ArrayBuffer>, 200, { 'Content-Type': file.contentType, 'Content-Disposition': disposition });
});

export const studentImportRoutes = [importRoute, templateRoute, templateXlsxRoute];
