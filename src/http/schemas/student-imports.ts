// Bulk intake on the wire: the query of POST /students/imports and the row-by-row report.
import { z } from '@hono/zod-openapi';
import { ImportStudentsInput } from '../../services/student-import.ts';
import { Uuid } from './common.ts';

export const ImportQuery = z.object({
  dryRun: z
    .enum(['true', 'false'], { message: 'must be true or false' })
    .default('true')
    .openapi({ description: 'true (the default): check every row and report, writing nothing. false: import, all rows or none.', example: 'true' }),
  encoding: ImportStudentsInput.shape.encoding.meta({
    description: 'The file’s encoding. Absent: valid UTF-8 (with or without BOM) is read as UTF-8, anything else as GBK (GB18030).',
  }),
});

const Problem = z.object({
  column: z.string().nullable().openapi({ example: '身份证号', description: 'The header as written in the file; null for the row as a whole' }),
  field: z.string().nullable().openapi({ example: 'identity_number' }),
  cell: z.string().nullable().openapi({ example: 'C3' }),
  value: z.string().nullable().openapi({
    example: '630102********1248',
    description: 'The cell as written, masked when personal (names, identity, account and phone numbers; of the evidence, the document types only)',
  }),
  code: z.string().openapi({ example: 'check_digit' }),
  message_zh: z.string().openapi({ example: '身份证号码校验位不正确' }),
  message_en: z.string().openapi({ example: 'The check character does not match the other digits.' }),
});

const Warning = z.object({
  row: z.number().int().optional(),
  column: z.string().optional(),
  code: z.string().openapi({ example: 'unknown_column_ignored' }),
  message_zh: z.string(),
  message_en: z.string(),
});

export const ImportReportOut = z
  .object({
    importId: Uuid.nullable(),
    dryRun: z.boolean(),
    committed: z.boolean(),
    replayed: z.boolean().openapi({ description: 'The same file was imported before: this is that import’s report; nothing was written now' }),
    fileSha256: z.string().openapi({ example: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08' }),
    encoding: z.enum(['utf-8', 'gbk']).openapi({ description: 'The CSV’s encoding; utf-8 for a workbook' }),
    format: z.enum(['csv', 'xlsx']),
    headerRow: z.number().int().openapi({ example: 1 }),
    previousImport: z.object({ id: Uuid, importedAt: z.string() }).nullable(),
    counts: z.object({ rows: z.number().int(), create: z.number().int(), exists: z.number().int(), error: z.number().int() }),
    warnings: z.array(Warning),
    rows: z.array(
      z.object({
        row: z.number().int().openapi({ example: 2 }),
        outcome: z.enum(['create', 'exists', 'error']),
        identityNumber: z.string().openapi({ example: '630102********1249', description: 'Masked' }),
        name: z.string().openapi({ example: '韩**', description: 'Masked' }),
        studentId: Uuid.nullable(),
        errors: z.array(Problem),
      }),
    ),
  })
  .openapi('StudentImportReport');
