// Bulk intake (学生批量导入): a county's list, one row per student with their recognition and
// enrolment — a CSV, or the first worksheet of an .xlsx workbook (import/xlsx.ts) — imported into
// the caseworker's department. The layout is src/domain/student-import/.
//
// How a row is judged — with the single-record use cases themselves, not a copy of their rules.
// First what the three use cases refuse without the database (registrationRefusals,
// recognitionRefusals, enrolmentRefusals, exported beside them): all of them, for every part of the
// row, so that one dry run shows every mistake of a row and not the first only. A row that passes
// runs registerStudent, recordRecognition and recordEnrolment inside ONE database
// transaction, each row behind a savepoint that is rolled back when the row fails. A dry run rolls
// the whole transaction back at the end; a real run commits only when no row failed. So a dry run
// answers exactly what the real run will do (including rules that need the database: an account
// already on another student's file, a number registered elsewhere, two rows sharing an account),
// and no rule is written twice. The price: a dry run takes the same row locks as a real run for as
// long as it runs, and audit-event ids it used are skipped (ids, not the hash-chained ledger).
//
// Outcomes per row: `create`; `exists` (the student is on the department's file with the same
// details, recognition and enrolment — importing the same list twice creates nothing); `error`,
// with each problem's column and reason in Chinese and English. Errors include
// `conflicts_with_existing` (the student is on file but the row says something else: see
// import/existing.ts), `exists_elsewhere` (registered by another department, which is not named),
// and `duplicate_in_file` (the same identity number on an earlier row).
//
// A committed file is remembered by its SHA-256 per department (table student_import): sending the
// same bytes again answers the first import's report, marked replayed, and writes nothing.
// Personal data: the report carries masked identity numbers and names only; the audit event of the
// import carries the file hash and counts; each created record has its own use case's audit event.
import { sha256Hex } from '../domain/sha256.ts';
import { z } from 'zod';
import { parseInput } from './validation.ts';
import { todayInChina } from '../domain/dates.ts';
import { RuleViolationError } from '../domain/errors.ts';
import { parseIdentityNumber } from '../domain/identity-number.ts';
import { maskChineseName, maskIdentityNumber } from '../domain/masking.ts';
import { IMPORT_COLUMNS, columnLetter, type HeaderLayout } from '../domain/student-import/layout.ts';
import { cleanText } from '../domain/student-import/cells.ts';
import { shownValue } from '../domain/student-import/shown-value.ts';
import { type RowProblem, mapImportRow } from '../domain/student-import/row.ts';
import type { Prisma } from '#prisma';
import { recordAudit } from './audit.ts';
import { type ServiceContext, type Tx, type UseCaseCall, vaultOf } from './context.ts';
import { enrolmentRefusals, recordEnrolment } from './enrolments.ts';
import { type FileRow, type ImportWarning, type ReadFile, readImportCsv } from './import/csv.ts';
import { XLSX_SIGNATURE, readImportXlsx } from './import/xlsx.ts';
import { type ImportEncoding, decodeImportFile } from './import/decode.ts';
import { ImportFileError } from './import/errors.ts';
import { differencesFromFile } from './import/existing.ts';
import { problemsFromDomainError } from './import/row-problems.ts';
import { type CheckedParts, checkParts } from './import/row-schemas.ts';
import { recognitionRefusals, recordRecognition } from './recognitions.ts';
import { requirePermission, studentScope } from './scope.ts';
import { normaliseName } from './student-pii.ts';
import { registerStudent, registrationRefusals } from './students.ts';

export type { ImportEncoding } from './import/decode.ts';

/** Largest file accepted: 5 MiB (the route raises the API's 1 MiB body limit for this one path). */
export const MAX_IMPORT_BYTES = 5 * 1024 * 1024;
/** Most student rows per file: a county's list fits; a province's is split. */
export const MAX_IMPORT_ROWS = 5000;
/** One transaction holds the whole file: allow it the time 5,000 rows take on a slow disk. */
const IMPORT_TRANSACTION = { maxWait: 15_000, timeout: 10 * 60_000 };

export type ImportFormat = 'csv' | 'xlsx';

export type RowOutcome = 'create' | 'exists' | 'error';

export interface ImportProblem {
  /** The column's header as written in the file (its template name when the column is absent); null for the row as a whole. */
  column: string | null;
  /** The column's key (IMPORT_COLUMNS), the same whatever the file called it. */
  field: string | null;
  /** Spreadsheet cell, e.g. `B7`, when the column is in the file. */
  cell: string | null;
  /** The cell's value as written, masked when personal (src/domain/student-import/shown-value.ts); null for the row as a whole. */
  value: string | null;
  code: string;
  message_zh: string;
  message_en: string;
}

export interface ImportRowReport {
  /** As in the file: the header is row 1 when it is the first row. */
  row: number;
  outcome: RowOutcome;
  /** Masked (630102********1234); a number of the wrong length is masked entirely. */
  identityNumber: string;
  /** Masked (韩**). */
  name: string;
  /** The student created (real run) or already on file; null otherwise. */
  studentId: string | null;
  errors: ImportProblem[];
}

export interface ImportReport {
  /** The committed import's id; null for a dry run or a refused file. */
  importId: string | null;
  dryRun: boolean;
  /** True when the rows were written. */
  committed: boolean;
  /** True when this answer is the earlier import of the same file, replayed without writing. */
  replayed: boolean;
  fileSha256: string;
  /** For a workbook, utf-8 (its XML's). */
  encoding: ImportEncoding;
  format: ImportFormat;
  headerRow: number;
  /** The same file already imported into this department, if it was. */
  previousImport: { id: string; importedAt: string } | null;
  counts: { rows: number; create: number; exists: number; error: number };
  warnings: ImportWarning[];
  rows: ImportRowReport[];
}

export const ImportStudentsInput = z.strictObject({
  fileBytes: z.instanceof(Uint8Array, { message: 'must be the file’s bytes' }),
  /** Absent: detected (valid UTF-8 is UTF-8, anything else GBK). */
  encoding: z.enum(['utf-8', 'gbk'], { message: 'must be utf-8 or gbk' }).optional(),
  dryRun: z.boolean(),
});
export type ImportStudentsInput = z.input<typeof ImportStudentsInput>;

/** Ends the transaction of a dry run (always) and of a refused real run: nothing it wrote stays. */
class RollBack extends Error {
  constructor(readonly report: ImportReport) {
    super('import rolled back');
  }
}

const DUPLICATE_IN_FILE = (first: number): Omit<RowProblem, 'column'> => ({
  code: 'duplicate_in_file',
  message_zh: `与第${first}行的身份证号码重复；同一学生只能出现一次`,
  message_en: `the same identity number as row ${first}; a student appears once per file`,
});

const EXISTS_ELSEWHERE: Omit<RowProblem, 'column'> = {
  code: 'exists_elsewhere',
  message_zh: '该学生已由其他部门登记，不能重复登记；请与登记部门联系转交档案',
  message_en: 'the student is registered by another department and cannot be registered again; ask that department to transfer the file',
};

interface PreparedRow {
  row: number;
  parts: CheckedParts;
  problems: RowProblem[];
  identityNumberText: string;
  maskedName: string;
  /** The normalised number when it is valid (for the lookup), else null. */
  identityNumber: string | null;
  /** The birth date the valid number carries, else null (the recognition's timing is then not judged). */
  birthDate: string | null;
  duplicateOf: number | null;
  /** The row's cell of a column, as written. */
  cellOf: (key: string) => string | undefined;
  /** More cells than the header: probably shifted by an unquoted comma. */
  shifted: boolean;
}

function prepareRows(layout: HeaderLayout, rows: FileRow[], today: string): PreparedRow[] {
  const firstRowOf = new Map<string, number>();
  const width = layoutWidth(layout);
  return rows.map(({ row, cells, formatProblems = [] }) => {
    const cellOf = (key: string) => {
      const index = layout.indexOf.get(key);
      return index === undefined ? undefined : cells[index];
    };
    const mapped = mapImportRow(cellOf);
    // A cell the workbook stored wrongly is read as empty: its one problem is how it was stored.
    const refusedColumns = new Set(formatProblems.map((p) => p.column));
    mapped.problems = [...mapped.problems.filter((p) => !refusedColumns.has(p.column)), ...formatProblems];
    const parts = checkParts(mapped);
    const shifted = cells.slice(width).some((c) => cleanText(c) !== '');
    if (shifted) {
      // Cells beyond the header: usually an unquoted comma inside a cell, which shifts every column after it.
      mapped.problems.unshift({
        column: '',
        code: 'too_many_cells',
        message_zh: '本行的单元格比表头多，可能某个单元格中含有未加引号的逗号',
        message_en: 'the row has more cells than the header; a cell probably holds an unquoted comma',
      });
    }
    const parsed = parseIdentityNumber(mapped.identityNumberText, today);
    const key = parsed.ok ? parsed.value.normalised : mapped.identityNumberText.toUpperCase();
    let duplicateOf: number | null = null;
    if (key !== '') {
      duplicateOf = firstRowOf.get(key) ?? null;
      if (duplicateOf === null) firstRowOf.set(key, row);
    }
    return {
      row,
      parts,
      problems: mapped.problems,
      identityNumberText: mapped.identityNumberText,
      maskedName: maskChineseName(normaliseName(mapped.nameText)),
      identityNumber: parsed.ok ? parsed.value.normalised : null,
      birthDate: parsed.ok ? parsed.value.birthDate : null,
      duplicateOf,
      cellOf,
      shifted,
    };
  });
}

function layoutWidth(layout: HeaderLayout): number {
  return Math.max(...layout.indexOf.values(), layout.sequenceIndex ?? -1, ...layout.unknown.map((u) => u.index)) + 1;
}

const COLUMN_ORDER = new Map(IMPORT_COLUMNS.map((c, i) => [c.key, i]));

/** Problems left to right as the clerk reads the row; a problem of the whole row first. */
function inColumnOrder(problems: RowProblem[]): RowProblem[] {
  const rank = (p: RowProblem) => (p.column === '' ? -1 : (COLUMN_ORDER.get(p.column) ?? IMPORT_COLUMNS.length));
  return [...problems].sort((a, b) => rank(a) - rank(b));
}

/** `column` '' marks a problem of the row as a whole. */
function describe(layout: HeaderLayout, r: PreparedRow, problem: RowProblem): ImportProblem {
  const { row } = r;
  if (problem.column === '')
    return { column: null, field: null, cell: null, value: null, code: problem.code, message_zh: problem.message_zh, message_en: problem.message_en };
  const index = layout.indexOf.get(problem.column);
  const spec = IMPORT_COLUMNS.find((c) => c.key === problem.column);
  return {
    column: layout.headerOf.get(problem.column) ?? spec?.zh ?? problem.column,
    field: problem.column,
    cell: index === undefined ? null : `${columnLetter(index)}${row}`,
    // A shifted row's cells are not where their headers say: none of them is shown.
    value: index === undefined || r.shifted ? null : shownValue(problem.column, r.cellOf(problem.column)),
    code: problem.code,
    message_zh: problem.message_zh,
    message_en: problem.message_en,
  };
}

/**
 * What the three use cases refuse without looking at stored facts, every part at once: a row whose
 * gender, holder and graduation date are all wrong shows the three, not the first one only.
 */
function refusalsWithoutDatabase(r: PreparedRow, today: string): RowProblem[] {
  const refusals = [
    ...(r.parts.student ? registrationRefusals(r.parts.student, today) : []),
    ...(r.parts.recognition ? recognitionRefusals(r.parts.recognition, r.birthDate) : []),
    ...(r.parts.enrolment ? enrolmentRefusals(r.parts.enrolment) : []),
  ];
  return refusals.flatMap((error) => problemsFromDomainError(error) ?? []);
}

/** Runs the three use cases for a new student behind a savepoint; the row's problems, or the new id. */
async function createRow(tx: Tx, ctx: ServiceContext, r: PreparedRow): Promise<{ studentId: string | null; problems: RowProblem[] }> {
  const rowCtx: ServiceContext = { ...ctx, tx };
  const problems = [...r.problems, ...refusalsWithoutDatabase(r, todayInChina())];
  // The use cases would refuse the same things again, one at a time: they run on a row that passes.
  if (problems.length > 0 || !r.parts.student) return { studentId: null, problems };
  const refused = (error: unknown) => {
    const found = problemsFromDomainError(error);
    if (found === null) throw error;
    problems.push(...found);
  };
  await tx.$executeRawUnsafe('SAVEPOINT student_import_row');
  let studentId: string | null = null;
  try {
    studentId = (await registerStudent({ ctx: rowCtx, input: r.parts.student })).id;
  } catch (error) {
    refused(error);
  }
  if (studentId !== null) {
    // Recognition and enrolment are independent of each other: both are tried, so the row reports both.
    if (r.parts.recognition) {
      try {
        await recordRecognition({ ctx: rowCtx, input: { ...r.parts.recognition, studentId } });
      } catch (error) {
        refused(error);
      }
    }
    if (r.parts.enrolment) {
      try {
        await recordEnrolment({ ctx: rowCtx, input: { ...r.parts.enrolment, studentId } });
      } catch (error) {
        refused(error);
      }
    }
  }
  if (problems.length > 0 || studentId === null || !r.parts.recognition || !r.parts.enrolment) {
    // Also after a database error inside a use case (a unique index raced): the savepoint un-spoils the transaction.
    await tx.$executeRawUnsafe('ROLLBACK TO SAVEPOINT student_import_row');
    await tx.$executeRawUnsafe('RELEASE SAVEPOINT student_import_row');
    return { studentId: null, problems };
  }
  await tx.$executeRawUnsafe('RELEASE SAVEPOINT student_import_row');
  return { studentId, problems: [] };
}

async function judgeRow(tx: Tx, ctx: ServiceContext, r: PreparedRow): Promise<{ outcome: RowOutcome; studentId: string | null; problems: RowProblem[] }> {
  if (r.duplicateOf !== null) {
    return { outcome: 'error', studentId: null, problems: [{ column: 'identity_number', ...DUPLICATE_IN_FILE(r.duplicateOf) }, ...r.problems] };
  }
  const vault = vaultOf(ctx);
  const existing =
    r.identityNumber === null
      ? null
      : await tx.student.findUnique({ where: { identityNumberHash: await vault.lookupHash('identity_number', r.identityNumber) } });
  if (existing) {
    const visible = (await tx.student.count({ where: { AND: [{ id: existing.id }, studentScope(ctx.actor)] } })) > 0;
    if (!visible) return { outcome: 'error', studentId: null, problems: [{ column: 'identity_number', ...EXISTS_ELSEWHERE }, ...r.problems] };
    const problems = [...r.problems, ...(await differencesFromFile(tx, vault, existing, r.parts))];
    return problems.length > 0 ? { outcome: 'error', studentId: existing.id, problems } : { outcome: 'exists', studentId: existing.id, problems: [] };
  }
  const created = await createRow(tx, ctx, r);
  return created.studentId === null
    ? { outcome: 'error', studentId: null, problems: created.problems }
    : { outcome: 'create', studentId: created.studentId, problems: [] };
}

async function previousImport(db: Tx, departmentId: string, fileSha256: string) {
  return db.studentImport.findUnique({ where: { departmentId_fileSha256: { departmentId, fileSha256 } } });
}

/** A workbook by its zip signature, else text in the encoding given or detected. */
async function readImportFile(
  bytes: Uint8Array,
  given: ImportEncoding | undefined,
): Promise<{ file: ReadFile; encoding: ImportEncoding; format: ImportFormat }> {
  if (XLSX_SIGNATURE.every((b, i) => bytes[i] === b)) {
    // The workbook's own XML is UTF-8 whatever the clerk's computer uses.
    return { file: await readImportXlsx(bytes, MAX_IMPORT_ROWS), encoding: 'utf-8', format: 'xlsx' };
  }
  const { text, encoding } = decodeImportFile(bytes, given);
  return { file: readImportCsv(text, MAX_IMPORT_ROWS), encoding, format: 'csv' };
}

/** Dry run: the report, nothing written. Real run: the report after committing, or 422 import_rejected with the report. */
export async function importStudents({ ctx, input: raw }: UseCaseCall<ImportStudentsInput>): Promise<ImportReport> {
  const input = parseInput(ImportStudentsInput, raw);
  requirePermission(ctx.actor, 'student.import');
  vaultOf(ctx);
  if (input.fileBytes.byteLength > MAX_IMPORT_BYTES) {
    throw new ImportFileError('file_too_large', '(body)', { maxBytes: MAX_IMPORT_BYTES });
  }
  const fileSha256 = sha256Hex(input.fileBytes);
  const { file, encoding, format } = await readImportFile(input.fileBytes, input.encoding);
  const prepared = prepareRows(file.layout, file.rows, todayInChina());
  const departmentId = ctx.actor.organisationId;

  const run = async (tx: Tx): Promise<ImportReport> => {
    // Two imports of the same file into one department run one after the other, so the second replays the first.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('student_import'), hashtext(${`${departmentId}:${fileSha256}`}))`;
    const earlier = await previousImport(tx, departmentId, fileSha256);
    if (earlier && !input.dryRun) throw new RollBack({ ...(earlier.report as unknown as ImportReport), replayed: true });

    const rows: ImportRowReport[] = [];
    for (const r of prepared) {
      const judged = await judgeRow(tx, ctx, r);
      rows.push({
        row: r.row,
        outcome: judged.outcome,
        identityNumber: maskIdentityNumber(r.identityNumberText),
        name: r.maskedName,
        studentId: judged.studentId,
        errors: inColumnOrder(judged.problems).map((p) => describe(file.layout, r, p)),
      });
    }
    const count = (o: RowOutcome) => rows.filter((x) => x.outcome === o).length;
    const counts = { rows: rows.length, create: count('create'), exists: count('exists'), error: count('error') };
    const rollsBack = input.dryRun || counts.error > 0;
    // A student created behind a savepoint of a transaction that rolls back does not exist: no id for it.
    if (rollsBack) for (const r of rows) if (r.outcome === 'create') r.studentId = null;
    const report: ImportReport = {
      importId: null,
      dryRun: input.dryRun,
      committed: false,
      replayed: false,
      fileSha256,
      encoding,
      format,
      headerRow: file.headerRow,
      previousImport: earlier ? { id: earlier.id, importedAt: earlier.importedAt.toISOString() } : null,
      counts,
      warnings: file.warnings,
      rows,
    };
    if (rollsBack) throw new RollBack(report);

    const importId = crypto.randomUUID();
    const committed: ImportReport = { ...report, importId, committed: true };
    await tx.studentImport.create({
      data: { id: importId, departmentId, fileSha256, report: committed as unknown as Prisma.InputJsonValue, importedById: ctx.actor.userId },
    });
    await recordAudit(tx, ctx, {
      action: 'student.import',
      recordType: 'student_import',
      recordId: importId,
      after: { fileSha256, encoding, rows: counts.rows, created: counts.create, exists: counts.exists },
    });
    return committed;
  };

  let report: ImportReport;
  try {
    // Always a transaction of its own, never the caller's: a dry run must be able to roll back everything it did.
    report = await ctx.db.$transaction(run, IMPORT_TRANSACTION);
  } catch (error) {
    if (!(error instanceof RollBack)) throw error;
    report = error.report;
  }
  if (!input.dryRun && !report.committed) {
    throw new RuleViolationError('import_rejected', {
      errorRows: report.counts.error,
      rows: report.counts.rows,
      report,
      errors: report.rows.flatMap((r) =>
        r.errors.map((e) => ({ path: `rows.${r.row}.${e.field ?? 'row'}`, message: `${e.code}: ${e.message_zh} (${e.message_en})` })),
      ),
    });
  }
  return report;
}
