// How the finance pages carry out a form: the permission first (a role that may not act gets the
// 404 page and nothing is written), then submitOnce (CSRF, the form's key claimed once, refusals
// in Chinese), and a refused form rendered again with a new key and the status of the refusal.
import type { Action } from '../../domain/roles.ts';
import type { ServiceContext } from '../../services/context.ts';
import { requirePermission } from '../../services/scope.ts';
import type { Viewer } from '../layout.tsx';
import { type FormDone, type FormRefusal, submitOnce } from '../submit-once.ts';
import type { WebContext } from '../web-kit.tsx';

export interface FinanceFormOptions {
  trustProxy: boolean;
  action: Action;
  form: string;
  body: Record<string, unknown>;
  /** The form again, with why it was refused. */
  again: (refusal: FormRefusal) => Response | Promise<Response>;
}

export async function financeForm(
  c: WebContext,
  ctx: ServiceContext,
  viewer: Viewer,
  options: FinanceFormOptions,
  work: () => Promise<FormDone>,
): Promise<Response> {
  requirePermission(ctx.actor, options.action);
  const outcome = await submitOnce(c, ctx, viewer, { trustProxy: options.trustProxy, form: options.form, body: options.body }, work);
  return outcome instanceof Response ? outcome : options.again(outcome);
}
