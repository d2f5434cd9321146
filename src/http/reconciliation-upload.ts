// The reconciliation upload form, as the API (POST /api/v1/reconciliation-runs) and the auditor's
// page (POST /reconciliation/new) receive it: read here and handed to the use case as it is, so that
// the run's own input schema (RunReconciliationInput) judges it and names the field; only what a
// form alone can get wrong is refused here (a file given as text, a field given twice, an unknown
// field). Uploads stay in memory as the form's Blobs, read in chunks (blobSource), for the job's
// life only.
//
// Size. Each file at most 64 MiB (as a bank's answer), all files together at most 128 MiB, at most
// 20 statements: larger statements are read from disk by `npm run reconcile` on the server. The body
// limit of the upload paths (app.ts picks `reconciliationUploadBodyLimit`) is the total plus room
// for the form's own bytes; a file over its own limit answers 413 naming it.
import { bodyLimit } from 'hono/body-limit';
import { type FieldProblem, PayloadTooLargeError, ValidationError } from '../domain/errors.ts';
import { type ByteSource, baseName, blobSource } from '../reconcile/sources.ts';
import type { StartReconciliationJobInput } from '../services/reconciliation-jobs.ts';
import { problem, problemResponse } from './problem.ts';

const MiB = 1024 * 1024;
export const RECONCILIATION_UPLOAD_LIMITS = { fileBytes: 64 * MiB, totalBytes: 128 * MiB, statements: 20 } as const;

const _JOB = '/reconciliation-jobs/{id}';

export const reconciliationUploadBodyLimit = bodyLimit({
  maxSize: RECONCILIATION_UPLOAD_LIMITS.totalBytes + MiB,
  onError: (c) =>
    problemResponse(
      c,
      problem(413, 'payload_too_large', {
        zh: '上传的文件合计超过 128 MiB；更大的对账单请在服务器上用 npm run reconcile 核对',
        en: 'The uploads are larger than 128 MiB together; run the larger statements with npm run reconcile on the server.',
      }),
    ),
});

const TEXT_FIELDS = ['checks', 'programmeId', 'csvPreset', 'account'] as const;

/** The body of an upload as a form; a body that is not one answers 400. */
export async function formDataOf(request: Request): Promise<FormData> {
  try {
    return await request.formData();
  } catch {
    throw new ValidationError([{ path: '(body)', message: 'must be a multipart/form-data form with the fields of this route' }], 'body');
  }
}

/**
 * The form as the use case's input; what only a form can get wrong is refused (400) naming the field,
 * a file too large (413) too. `ignored`: the page's own fields (its CSRF token and form key).
 */
export function readReconciliationForm(form: FormData, ignored: readonly string[] = []): StartReconciliationJobInput {
  const problems: FieldProblem[] = [];
  const tooLarge: FieldProblem[] = [];
  const checks: string[] = [];
  const text: Partial<Record<(typeof TEXT_FIELDS)[number], string>> = {};
  const statements: ByteSource[] = [];
  let remittances: ByteSource | undefined;
  let total = 0;
  const file = (path: string, value: string | File): ByteSource | undefined => {
    if (typeof value === 'string') return void problems.push({ path, message: 'must be a file (a name and its bytes)' });
    total += value.size;
    if (value.size > RECONCILIATION_UPLOAD_LIMITS.fileBytes) tooLarge.push({ path, message: 'must be at most 64 MiB' });
    else if (value.size === 0) problems.push({ path, message: 'must not be empty' });
    // The name the report shows: its base name, without control characters, at most 255 characters.
    const name = baseName(value.name)
      .replace(/\p{Cc}/gu, '')
      .slice(0, 255);
    return blobSource(name || path, value);
  };
  for (const [key, value] of form.entries()) {
    // A file input left empty: browsers send it as a file with no name and no bytes (some clients
    // as an empty text). Nothing chosen.
    const nothing = typeof value === 'string' ? value === '' : value.name === '' && value.size === 0;
    if (nothing && (key === 'statements' || key === 'remittances')) continue;
    if (key === 'statements') {
      const source = file(`statements.${statements.length}`, value);
      if (source) statements.push(source);
    } else if (key === 'remittances') {
      if (remittances !== undefined) problems.push({ path: key, message: 'must be given once' });
      remittances = file(key, value);
    } else if ((TEXT_FIELDS as readonly string[]).includes(key)) {
      const field = key as (typeof TEXT_FIELDS)[number];
      if (typeof value !== 'string') problems.push({ path: key, message: 'must be text, not a file' });
      else if (field === 'checks')
        checks.push(
          ...value
            .split(',')
            .map((check) => check.trim())
            .filter(Boolean),
        );
      else if (text[field] !== undefined) problems.push({ path: key, message: 'must be given once' });
      else text[field] = value.trim();
    } else if (!ignored.includes(key)) {
      problems.push({ path: key, message: 'unknown field' });
    }
  }
  if (statements.length > RECONCILIATION_UPLOAD_LIMITS.statements)
    problems.push({ path: 'statements', message: `must be at most ${RECONCILIATION_UPLOAD_LIMITS.statements} files` });
  if (total > RECONCILIATION_UPLOAD_LIMITS.totalBytes) tooLarge.push({ path: '(body)', message: 'the files together must be at most 128 MiB' });
  if (tooLarge.length > 0) throw new PayloadTooLargeError(tooLarge);
  if (problems.length > 0) throw new ValidationError(problems, 'body');
  return {
    ...(checks.length > 0 ? { checks: checks as StartReconciliationJobInput['checks'] } : {}),
    ...(text.programmeId !== undefined ? { programmeId: text.programmeId } : {}),
    ...(text.csvPreset !== undefined ? { csvPreset: text.csvPreset } : {}),
    ...(text.account !== undefined ? { account: text.account } : {}),
    statements,
    ...(remittances ? { remittances } : {}),
  };
}
