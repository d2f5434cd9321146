// One way for every page form that changes something: the post must come from our own page (CSRF),
// carry the form's key, and claim it before the use case runs, so a double click or a refresh
// that posts again does the work once. What the use case refuses comes back as what the page
// shows beside its fields: field messages (400), a rule (422) or a collision (409), in the
// catalogue's Chinese; the claim is then released so that the corrected form can be sent again.
// What lies outside the person's scope is thrown on, for personalPage's 404.
import { ConflictError, RuleViolationError } from '../domain/errors.ts';
import type { ServiceContext } from '../services/context.ts';
import { claimFormSubmission, completeFormSubmission, isFormKey, releaseFormSubmission } from '../services/form-submissions.ts';
import { formIsFromUs } from './csrf.ts';
import type { Viewer } from './layout.tsx';
import { type WebContext, fieldErrors } from './web-kit.tsx';

/** Why a form was not carried out, for the page to show above and beside its fields. */
export interface FormRefusal {
  status: 400 | 403 | 409 | 422;
  notice: string;
  errors?: Record<string, string>;
  /** The refusing rule's code, when a rule refused (e.g. `insufficient_fund`). */
  code?: string;
}

/** What the use case led to: a page to go to next (post/redirect/get), or a page to show once. */
export type FormDone = { location: string } | { response: Response };

export interface SubmitOptions {
  trustProxy: boolean;
  /** The use case's name, kept with the claim (`form:<name>`). */
  form: string;
  body: Record<string, unknown>;
}

export const FORM_FORGED = '表单已过期或不是从本系统提交的，请刷新页面后重新填写。';
export const FORM_INCOMPLETE = '表单不完整，请刷新页面后重新填写。';
export const FORM_REPEATED = '这份表单已经提交过，没有再次执行。请在列表中查看结果。';
export const FORM_TO_CORRECT = '请按提示修改后再提交。';

/** The refusal a use case's error stands for, or null when the error is not the person's to fix. */
export function refusalOf(error: unknown): FormRefusal | null {
  const errors = fieldErrors(error);
  if (errors) return { status: 400, notice: FORM_TO_CORRECT, errors };
  if (error instanceof RuleViolationError) return { status: 422, notice: error.messageZh, code: error.code };
  if (error instanceof ConflictError) return { status: 409, notice: error.messageZh, code: error.code };
  return null;
}

/**
 * Runs `work` once for this form: a redirect (303) to where it leads, the page it rendered, or the
 * refusal to show. A repeated post goes where the first one led, or is told it was sent already.
 */
export async function submitOnce(
  c: WebContext,
  ctx: ServiceContext,
  viewer: Viewer,
  options: SubmitOptions,
  work: () => Promise<FormDone>,
): Promise<Response | FormRefusal> {
  const { body } = options;
  if (!formIsFromUs(c, { trustProxy: options.trustProxy, expectedToken: viewer.csrfToken, sentToken: body.csrf })) {
    return { status: 403, notice: FORM_FORGED };
  }
  if (!isFormKey(body.formKey)) return { status: 400, notice: FORM_INCOMPLETE };
  const key = body.formKey;
  const claim = await claimFormSubmission(ctx.db, ctx.actor.userId, key, options.form);
  if (!claim.first) return claim.location ? c.redirect(claim.location, 303) : { status: 409, notice: FORM_REPEATED };
  let done: FormDone;
  try {
    done = await work();
  } catch (error) {
    await releaseFormSubmission(ctx.db, ctx.actor.userId, key);
    const refusal = refusalOf(error);
    if (refusal) return refusal;
    throw error;
  }
  if ('response' in done) return done.response;
  await completeFormSubmission(ctx.db, ctx.actor.userId, key, done.location);
  return c.redirect(done.location, 303);
}

/** The form's fields as trimmed text, each cut to `max` characters; anything that is not text is empty. */
export function formText(body: Record<string, unknown>, name: string, max = 500): string {
  const value = body[name];
  return typeof value === 'string' ? value.trim().slice(0, max) : '';
}

/** The values of a field sent more than once (checkboxes), as text. */
export function formList(body: Record<string, unknown>, name: string, max = 5000): string[] {
  const value = body[name] ?? body[`${name}[]`];
  const values = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return values.filter((v): v is string => typeof v === 'string').slice(0, max);
}
