// The caseworker's intake pages: the county list checked and imported (/students/import, with its
// templates), then the bulk step for the students it brought (/students/bulk), run in the
// background and followed on its job's page (/students/bulk/jobs/:jobId). Mounted before the
// student pages, whose /students/:id would otherwise take "import" and "bulk" for an id.
//
// The check writes nothing, so it needs only the CSRF token; the import and the bulk step change
// things and go through submitOnce (a second post of the same form does nothing). The upload paths
// take files up to the import's 5 MiB; the bulk form up to 5,000 ticked students.
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { academicYearContaining } from '../../domain/academic-year.ts';
import { todayInChina } from '../../domain/dates.ts';
import { fieldMessageZh } from '../../domain/error-catalogue.ts';
import { RuleViolationError } from '../../domain/errors.ts';
import { ENROLMENT_LEVELS } from '../../domain/eligibility.ts';
import { randomToken } from '../../domain/random-token.ts';
import { sha256Hex } from '../../domain/sha256.ts';
import { formDataOf } from '../../http/reconciliation-upload.ts';
import type { BulkStepInput } from '../../services/bulk-step.ts';
import { getBulkStepJob, startBulkStepJob } from '../../services/bulk-step-jobs.ts';
import type { ServiceContext } from '../../services/context.ts';
import { ImportFileError } from '../../services/import/errors.ts';
import { listProgrammes } from '../../services/programmes.ts';
import { requirePermission } from '../../services/scope.ts';
import { type ImportReport, MAX_IMPORT_BYTES, importStudents } from '../../services/student-import.ts';
import { importedStudents } from '../../services/student-import-students.ts';
import { studentImportTemplate } from '../../services/student-import-template.ts';
import { formIsFromUs } from '../csrf.ts';
import type { Viewer } from '../layout.tsx';
import { type BulkFormState, StudentBulkPage } from '../pages/student-bulk.tsx';
import { StudentBulkJobPage } from '../pages/student-bulk-job.tsx';
import { type ImportPageState, StudentImportPage } from '../pages/student-import.tsx';
import { RequestTooLargePage } from '../pages/too-large.tsx';
import { FORM_FORGED, formList, formText, submitOnce } from '../submit-once.ts';
import { type WebContext, type WebEnv, personalPage } from '../web-kit.tsx';

export interface IntakePageOptions {
  trustProxy: boolean;
}

/** The paths whose forms are larger than the pages' 64 KiB (routes.tsx leaves them to the limits here). */
export const INTAKE_UPLOAD_PATHS: readonly string[] = ['/students/import', '/students/import/confirm', '/students/bulk'];

const uploadLimit = bodyLimit({ maxSize: MAX_IMPORT_BYTES + 64 * 1024, onError: (c) => c.html(<RequestTooLargePage />, 413) });
/** 5,000 student ids of 36 characters, with their field names. */
const bulkLimit = bodyLimit({ maxSize: 512 * 1024, onError: (c) => c.html(<RequestTooLargePage />, 413) });

const NO_FILE = '请选择要导入的名单文件（.xlsx 或 .csv）。';
const OTHER_FILE = '所选文件与刚才检查的文件不同。请重新检查这个文件，检查无误后再导入。';

/** The chosen file's bytes; null when none was chosen (browsers send an empty file then). */
async function fileOf(form: FormData): Promise<Uint8Array<ArrayBuffer> | null> {
  const file = form.get('file');
  if (!(file instanceof File) || file.size === 0) return null;
  return new Uint8Array(await file.arrayBuffer());
}

const encodingOf = (form: FormData) => {
  const value = form.get('encoding');
  return value === 'utf-8' || value === 'gbk' ? value : undefined;
};

/** A file refused as a whole, in Chinese with each place to fix; null for anything else. */
function refusalOf(error: unknown): ImportPageState['refusal'] {
  if (!(error instanceof ImportFileError)) return null;
  return { notice: error.messageZh, details: error.fields.map((f) => fieldMessageZh(f.message)) };
}

async function importPage(c: WebContext, viewer: Viewer, state: ImportPageState, status: 200 | 400 | 403 | 409 | 413 | 422 = 200): Promise<Response> {
  return c.html(<StudentImportPage viewer={viewer} state={state} />, status);
}

async function bulkPage(
  c: WebContext,
  ctx: ServiceContext,
  viewer: Viewer,
  state: BulkFormState,
  importId: string | undefined,
  extra: { status?: 200 | 400 | 403 | 409 | 422 } = {},
) {
  const programmes = (await listProgrammes({ ctx, input: { limit: 200 } })).items.filter((p) => p.administrator.id === ctx.actor.organisationId);
  const imported = importId ? await importedStudents({ ctx, input: { importId } }) : null;
  const year = state.academicYear ?? academicYearContaining(todayInChina())?.label ?? '';
  return c.html(
    <StudentBulkPage
      viewer={viewer}
      formKey={randomToken()}
      programmes={programmes}
      imported={imported}
      state={{ verifiedOn: todayInChina(), source: '学信网学籍在线验证', ...state, academicYear: year }}
    />,
    extra.status ?? 200,
  );
}

/** The bulk form as the person filled it in, to show again beside its refusal. */
function bulkState(body: Record<string, unknown>): BulkFormState {
  return {
    programmeId: formText(body, 'programmeId', 64),
    academicYear: formText(body, 'academicYear', 20),
    verifiedOn: formText(body, 'verifiedOn', 20),
    source: formText(body, 'source', 100),
    reference: formText(body, 'reference', 200),
    amounts: Object.fromEntries(ENROLMENT_LEVELS.map((level) => [level, formText(body, `amount_${level}`, 30)])),
    studentIdsText: formText(body, 'studentIdsText', 200_000),
    chosen: formList(body, 'studentIds'),
  };
}

function bulkInput(state: BulkFormState): BulkStepInput {
  const ids = state.chosen && state.chosen.length > 0 ? state.chosen : (state.studentIdsText ?? '').split(/[\s,，;；]+/u).filter((id) => id !== '');
  const amounts = Object.fromEntries(Object.entries(state.amounts ?? {}).filter(([, v]) => v !== ''));
  return {
    studentIds: ids,
    programmeId: state.programmeId ?? '',
    academicYear: state.academicYear ?? '',
    verification: { verifiedOn: state.verifiedOn ?? '', source: state.source ?? '', reference: state.reference || null },
    amounts,
  };
}

/** Field messages by the place the page shows them: every student id's under studentIds. */
function bulkErrors(errors: Record<string, string>): Record<string, string> {
  const shown: Record<string, string> = {};
  for (const [path, message] of Object.entries(errors)) shown[path.startsWith('studentIds') ? 'studentIds' : path] ??= message;
  return shown;
}

export function studentIntakePages(options: IntakePageOptions) {
  const web = new Hono<WebEnv>();

  web.get('/students/import', (c) =>
    personalPage(c, async (ctx, viewer) => {
      requirePermission(ctx.actor, 'student.import');
      return importPage(c, viewer, {});
    }),
  );

  for (const format of ['csv', 'xlsx'] as const) {
    web.get(`/students/import/template.${format}`, (c) =>
      personalPage(c, async (ctx) => {
        requirePermission(ctx.actor, 'student.import');
        const file = await studentImportTemplate({ input: { format } });
        return c.body(file.bytes as Uint8Array<ArrayBuffer>, 200, {
          'Content-Type': file.contentType,
          'Content-Disposition': `attachment; filename="student-import-template.${format}"; filename*=UTF-8''${encodeURIComponent(file.filename)}`,
        });
      }),
    );
  }

  // The check: writes nothing, so a second post only checks again.
  web.post('/students/import', uploadLimit, (c) =>
    personalPage(c, async (ctx, viewer) => {
      requirePermission(ctx.actor, 'student.import');
      const form = await formDataOf(c.req.raw);
      if (!formIsFromUs(c, { trustProxy: options.trustProxy, expectedToken: viewer.csrfToken, sentToken: form.get('csrf') })) {
        return importPage(c, viewer, { refusal: { notice: FORM_FORGED, details: [] } }, 403);
      }
      const fileBytes = await fileOf(form);
      if (!fileBytes) return importPage(c, viewer, { refusal: { notice: NO_FILE, details: [] } }, 400);
      try {
        const report = await importStudents({ ctx, input: { fileBytes, encoding: encodingOf(form), dryRun: true } });
        return importPage(c, viewer, { report, formKey: randomToken() });
      } catch (error) {
        const refusal = refusalOf(error);
        if (refusal) return importPage(c, viewer, { refusal }, 400);
        throw error;
      }
    }),
  );

  // The import: the same file again (checked by its hash), sent once, then on to the bulk step.
  web.post('/students/import/confirm', uploadLimit, (c) =>
    personalPage(c, async (ctx, viewer) => {
      requirePermission(ctx.actor, 'student.import');
      const form = await formDataOf(c.req.raw);
      const body = { csrf: form.get('csrf'), formKey: form.get('formKey') };
      // The file is checked before the form's key is claimed, so that choosing the right file next sends the same form.
      const fileBytes = await fileOf(form);
      const fromUs = formIsFromUs(c, { trustProxy: options.trustProxy, expectedToken: viewer.csrfToken, sentToken: body.csrf });
      if (fromUs && !fileBytes) return importPage(c, viewer, { refusal: { notice: NO_FILE, details: [] } }, 400);
      if (fromUs && fileBytes && sha256Hex(fileBytes) !== form.get('fileSha256')) {
        return importPage(c, viewer, { refusal: { notice: OTHER_FILE, details: [] } }, 409);
      }
      const done = await submitOnce(c, ctx, viewer, { trustProxy: options.trustProxy, form: 'student.import', body }, async () => {
        if (!fileBytes) throw new Error('unreachable: a form from us without a file was answered above');
        try {
          const report: ImportReport = await importStudents({ ctx, input: { fileBytes, encoding: encodingOf(form), dryRun: false } });
          return { location: `/students/bulk?importId=${report.importId}` };
        } catch (error) {
          // Refused as a whole (a row changed meanwhile): the table of what to fix, nothing written.
          if (error instanceof RuleViolationError && error.code === 'import_rejected') {
            return { response: await importPage(c, viewer, { report: error.details.report as ImportReport }, 422) };
          }
          const refusal = refusalOf(error);
          if (refusal) return { response: await importPage(c, viewer, { refusal }, 400) };
          throw error;
        }
      });
      return done instanceof Response ? done : importPage(c, viewer, { refusal: { notice: done.notice, details: [] } }, done.status);
    }),
  );

  web.get('/students/bulk', (c) =>
    personalPage(c, async (ctx, viewer) => {
      requirePermission(ctx.actor, 'eligibility.propose');
      return bulkPage(c, ctx, viewer, {}, c.req.query('importId'));
    }),
  );

  web.post('/students/bulk', bulkLimit, (c) =>
    personalPage(c, async (ctx, viewer) => {
      requirePermission(ctx.actor, 'eligibility.propose');
      const body = await c.req.parseBody({ all: true });
      const state = bulkState(body);
      const importId = formText(body, 'importId', 64) || undefined;
      const done = await submitOnce(c, ctx, viewer, { trustProxy: options.trustProxy, form: 'student.bulk_step', body }, async () => {
        const runner = c.get('deps').bulkStepJobs;
        if (!runner) throw new Error('the app was made without a bulk step job runner');
        const job = await startBulkStepJob({ ctx, input: bulkInput(state), runner });
        return { location: `/students/bulk/jobs/${job.id}` };
      });
      if (done instanceof Response) return done;
      return bulkPage(c, ctx, viewer, { ...state, errors: done.errors ? bulkErrors(done.errors) : null, notice: done.notice }, importId, {
        status: done.status,
      });
    }),
  );

  web.get('/students/bulk/jobs/:bulkJobId', (c) =>
    personalPage(c, async (ctx, viewer) => {
      const job = await getBulkStepJob({ ctx, input: { id: c.req.param('bulkJobId') } });
      return c.html(<StudentBulkJobPage viewer={viewer} job={job} />);
    }),
  );

  return web;
}
