// The admin's tokens page: list, issue (the secret shown once, on the page the post answers — a
// repeated post issues nothing and shows nothing), revoke. The services decide the scope: another
// organisation's user or token is the 404 page for a department's admin.
import { Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { randomToken } from '../../domain/random-token.ts';
import type { ServiceContext } from '../../services/context.ts';
import { issueUserToken, listTokens, listUsers, revokeToken } from '../../services/token-admin.ts';
import { requirePermission } from '../../services/scope.ts';
import { type FormState, emptyForm, formValues, sendForm } from '../admin-forms.tsx';
import type { Viewer } from '../layout.tsx';
import { TokenIssuedPage, TokensPage } from '../pages/admin-tokens.tsx';
import { type WebContext, type WebEnv, personalPage } from '../web-kit.tsx';

async function show(c: WebContext, ctx: ServiceContext, viewer: Viewer, form: FormState, status: ContentfulStatusCode = 200) {
  const tokens = await listTokens({ ctx, input: { limit: 100, cursor: c.req.query('cursor') } });
  const users = await listUsers({ ctx, input: { limit: 200 } });
  return c.html(
    <TokensPage
      viewer={viewer}
      tokens={tokens.items}
      nextCursor={tokens.nextCursor}
      users={users.items}
      formKey={randomToken()}
      form={form}
      done={c.req.query('done')}
    />,
    status,
  );
}

/** Days as the form sends them: a whole number, or what was typed (for the service to refuse by name). */
function days(text: string): number | undefined {
  if (text === '') return undefined;
  return /^\d{1,6}$/.test(text) ? Number(text) : (text as unknown as number);
}

export function adminTokenPages(options: { trustProxy: boolean }) {
  const web = new Hono<WebEnv>();

  web.get('/admin/tokens', (c) =>
    personalPage(c, async (ctx, viewer) => {
      requirePermission(ctx.actor, 'token.manage');
      return show(c, ctx, viewer, emptyForm);
    }),
  );

  web.post('/admin/tokens', (c) =>
    personalPage(c, async (ctx, viewer) => {
      requirePermission(ctx.actor, 'token.manage');
      const body = await c.req.parseBody();
      const values = formValues(body, ['userId', 'label', 'expiresInDays']);
      return sendForm(
        c,
        ctx,
        viewer,
        { trustProxy: options.trustProxy, form: 'token.issue', body, values },
        async () => {
          const token = await issueUserToken({
            ctx,
            input: { userId: values.userId ?? '', label: values.label ?? '', expiresInDays: days(values.expiresInDays ?? '') },
          });
          return { response: await c.html(<TokenIssuedPage viewer={viewer} token={token} />) };
        },
        (form, status) => show(c, ctx, viewer, form, status),
      );
    }),
  );

  web.post('/admin/tokens/:id/revoke', (c) =>
    personalPage(c, async (ctx, viewer) => {
      requirePermission(ctx.actor, 'token.manage');
      const body = await c.req.parseBody();
      return sendForm(
        c,
        ctx,
        viewer,
        { trustProxy: options.trustProxy, form: 'token.revoke', body, values: {} },
        async () => {
          await revokeToken({ ctx, input: { id: c.req.param('id') } });
          return { location: '/admin/tokens?done=revoked' };
        },
        (form, status) => show(c, ctx, viewer, form, status),
      );
    }),
  );

  return web;
}
