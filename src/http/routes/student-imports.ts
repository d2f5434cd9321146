// Bulk intake: POST /students/imports (the CSV as the raw body) and GET /students/imports/template.
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
import { importTemplateCsv } from '../../domain/student-import/template.ts';
import { MAX_IMPORT_BYTES, MAX_IMPORT_ROWS, importStudents } from '../../services/student-import.ts';
import { serviceContext } from '../context.ts';
import { fileResponse, jsonResponse, routeGroup } from '../define-route.ts';
import type { AppEnv } from '../env.ts';
import { problem, problemResponse } from '../problem.ts';
import { problemContent } from '../schemas/common.ts';
import { ImportQuery, ImportReportOut } from '../schemas/student-imports.ts';

const IMPORTS = '/students/imports';
const TEMPLATE = '/students/imports/template';
/** What browsers and spreadsheet tools label a .csv file with. */
const CSV_TYPES = ['text/csv', 'application/csv', 'text/plain', 'application/vnd.ms-excel'];

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

/** The body must be labelled as CSV: a JSON or form body here is a client mistake, answered before reading it. */
const csvOnly: MiddlewareHandler<AppEnv> = async (c, next) => {
  const essence = (c.req.header('Content-Type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (!CSV_TYPES.includes(essence)) {
    return problemResponse(c, problem(415, 'unsupported_media_type', render('unsupported_media_type', { file: 'text/csv' })));
  }
  return next();
};

const { get, post } = routeGroup({ tags: ['Students'] });

const importRoute = post(IMPORTS, 'student.import', {
  summary: 'Import students with their recognition and enrolment from a CSV list; dry run by default (caseworker)',
  description: [
    'The body is the CSV file itself (`Content-Type: text/csv`), UTF-8 with or without BOM, or GBK; at most 5 MiB and 5,000 student rows.',
    `Columns (header row; Chinese names or the English keys; order free; \`序号\` and \`备注\` ignored; other unknown columns ignored with a warning): ${COLUMN_LIST}.`,
    'Parent situations: 死亡, 失踪, 重残, 重病, 服刑在押, 强制隔离戒毒, 其他限制人身自由, 失联, 被撤销监护资格, 被遣送/驱逐出境, 无. Dates: 2024-09-01, 2024/9/1 or 2024年9月1日. Evidence: `类型|编号|签发机关|日期`, documents separated by `;`.',
    'Every row is checked by the same use cases as POST /students, …/recognitions and …/enrolments. Outcomes: create, exists (already on the department’s file with the same details — a second import of the same list creates nothing), error (column, cell and reason in Chinese and English; e.g. conflicts_with_existing, exists_elsewhere, duplicate_in_file). Identity numbers and names appear masked only.',
    'dryRun=false imports all rows in one transaction, or none: any error answers 422 import_rejected with the report. The same file sent again is answered with the first import’s report (replayed: true, Idempotency-Replayed: true).',
  ].join('\n\n'),
  request: {
    query: ImportQuery,
    body: {
      required: true,
      description: 'The CSV file',
      content: { 'text/csv': { schema: z.string().openapi({ example: '姓名,身份证号,性别,…\r\n韩梅梅,630102200603151249,女,…' }) } },
    },
  },
  responses: {
    200: jsonResponse('Dry run: what would happen to each row; or the replayed report of a file imported before', ImportReportOut),
    201: jsonResponse('Imported: every row created or already on file', ImportReportOut),
    413: { description: 'The file is larger than 5 MiB', content: problemContent },
    415: { description: 'The body is not sent as text/csv', content: problemContent },
  },
  middleware: csvOnly,
}).answers(async (c) => {
  const query = c.req.valid('query');
  const fileBytes = new Uint8Array(await c.req.arrayBuffer());
  const result = await importStudents({ ctx: serviceContext(c), input: { fileBytes, encoding: query.encoding, dryRun: query.dryRun === 'true' } });
  if (result.replayed) c.header('Idempotency-Replayed', 'true');
  return c.json(result, result.committed && !result.replayed ? 201 : 200);
});

const templateRoute = get(TEMPLATE, 'authenticated', {
  summary: 'The CSV template: the header row and one fictional example row (marked 示例, never imported)',
  description:
    'UTF-8 with a byte-order mark, so that Excel opens the Chinese headers correctly. Format the 身份证号 and 银行账号 columns as Text before typing, or Excel turns them into 6.30102E+17.',
  responses: { 200: fileResponse('The template', 'text/csv') },
}).answers(async (c) => {
  const bom = new Uint8Array([0xef, 0xbb, 0xbf]);
  const text = new TextEncoder().encode(importTemplateCsv());
  const body = new Uint8Array(bom.length + text.length);
  body.set(bom);
  body.set(text, bom.length);
  return c.body(body, 200, {
    'Content-Type': 'text/csv; charset=utf-8',
    'Content-Disposition': `attachment; filename="student-import-template.csv"; filename*=UTF-8''${encodeURIComponent('学生批量导入模板.csv')}`,
  });
});

export const studentImportRoutes = [importRoute, templateRoute];
