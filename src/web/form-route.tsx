// A form page and its post as one pair of routes: GET shows the form (empty, or with defaults);
// POST checks the permission, loads what the form is about (out of scope: the 404 page), sends the
// form once through submitOnce, and goes where the use case leads (post/redirect/get) or shows the
// form again with what was refused, the values as typed and the Chinese messages beside the fields.
import type { HtmlEscapedString } from 'hono/utils/html';
import type { Hono } from 'hono';
import { randomToken } from '../domain/random-token.ts';
import type { Action } from '../domain/roles.ts';
import type { ServiceContext } from '../services/context.ts';
import { requirePermission } from '../services/scope.ts';
import type { Viewer } from './layout.tsx';
import type { FormState } from './pages/student-form-kit.tsx';
import { submitOnce } from './submit-once.ts';
import { type WebContext, type WebEnv, personalPage } from './web-kit.tsx';

export interface FormRouteSpec<L> {
  path: string;
  /** The permission the form needs; checked before anything is loaded or parsed. */
  action: Action;
  /** The use case's name for the form's claim. */
  form: string;
  load(c: WebContext, ctx: ServiceContext): Promise<L>;
  defaults?(loaded: L): Record<string, string>;
  render(viewer: Viewer, loaded: L, formKey: string, state: FormState): HtmlEscapedString | Promise<HtmlEscapedString>;
  /** Runs the use case; gives the address to go to next. */
  submit(ctx: ServiceContext, values: Record<string, string>, loaded: L, c: WebContext): Promise<string>;
}

/** The form's text fields as sent (each cut to 500 characters), without the CSRF token and the key. */
export function formValues(body: Record<string, unknown>): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [name, value] of Object.entries(body)) {
    if (typeof value === 'string' && name !== 'csrf' && name !== 'formKey') values[name] = value.slice(0, 500);
  }
  return values;
}

export function formRoute<L>(web: Hono<WebEnv>, spec: FormRouteSpec<L>, options: { trustProxy: boolean }): void {
  web.get(spec.path, (c) =>
    personalPage(c, async (ctx, viewer) => {
      requirePermission(ctx.actor, spec.action);
      const loaded = await spec.load(c, ctx);
      return c.html(spec.render(viewer, loaded, randomToken(), { values: spec.defaults?.(loaded) ?? {} }));
    }),
  );
  web.post(spec.path, (c) =>
    personalPage(c, async (ctx, viewer) => {
      requirePermission(ctx.actor, spec.action);
      const loaded = await spec.load(c, ctx);
      const body = await c.req.parseBody();
      const values = formValues(body);
      const result = await submitOnce(c, ctx, viewer, { trustProxy: options.trustProxy, form: spec.form, body }, async () => ({
        location: await spec.submit(ctx, values, loaded, c),
      }));
      if (result instanceof Response) return result;
      // A fresh key: the refused post released its claim, but a new key keeps each attempt its own.
      const state: FormState = { values, errors: result.errors ?? null, notice: result.notice };
      return c.html(spec.render(viewer, loaded, randomToken(), state), result.status);
    }),
  );
}
