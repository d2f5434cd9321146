// The admin's pages: the people who use the service, adding one with a set-password link shown
// once, and a new link for anyone who lost theirs. Posting the same form twice (a double click, a
// refresh) adds one person and makes one link.
import { Hono } from 'hono';
import { randomToken } from '../../domain/random-token.ts';
import { ROLES, type Role } from '../../domain/roles.ts';
import type { ServiceContext } from '../../services/context.ts';
import { createPerson, issuePasswordSetup } from '../../services/credentials.ts';
import { listOrganisations } from '../../services/organisations.ts';
import { listUsers } from '../../services/token-admin.ts';
import { requirePermission } from '../../services/scope.ts';
import type { Viewer } from '../layout.tsx';
import { LinkIssuedPage, type NewPersonForm, PeoplePage } from '../pages/people.tsx';
import { FORM_REPEATED, submitOnce } from '../submit-once.ts';
import { type WebContext, type WebEnv, personalPage } from '../web-kit.tsx';

export interface AdminPageOptions {
  trustProxy: boolean;
}

const text = (value: unknown) => (typeof value === 'string' ? value.trim().slice(0, 200) : '');

async function peoplePage(c: WebContext, ctx: ServiceContext, viewer: Viewer, form: NewPersonForm, status: 200 | 400 | 403 | 409 | 422 = 200) {
  const people = await listUsers({ ctx, input: { limit: 100, cursor: c.req.query('cursor') } });
  // A platform admin adds people to any organisation; another admin to its own only.
  const organisations =
    ctx.actor.organisationKind === 'platform'
      ? (await listOrganisations({ ctx, input: { limit: 200 } })).items
      : (await listOrganisations({ ctx, input: { limit: 200 } })).items.filter((o) => o.id === ctx.actor.organisationId);
  return c.html(
    <PeoplePage viewer={viewer} people={people.items} nextCursor={people.nextCursor} organisations={organisations} formKey={randomToken()} form={form} />,
    status,
  );
}

export function adminPages(options: AdminPageOptions) {
  const web = new Hono<WebEnv>();

  web.get('/admin/people', (c) =>
    personalPage(c, async (ctx, viewer) => {
      requirePermission(ctx.actor, 'user.manage');
      return peoplePage(c, ctx, viewer, {});
    }),
  );

  web.post('/admin/people', (c) =>
    personalPage(c, async (ctx, viewer) => {
      requirePermission(ctx.actor, 'user.manage');
      const body = await c.req.parseBody();
      const role = ROLES.find((r) => r === body.role);
      const form: NewPersonForm = { organisationId: text(body.organisationId), displayName: text(body.displayName), role, username: text(body.username) };
      const result = await submitOnce(c, ctx, viewer, { trustProxy: options.trustProxy, form: 'user.create', body }, async () => {
        const issued = await createPerson({
          ctx,
          input: {
            organisationId: form.organisationId || undefined,
            displayName: form.displayName ?? '',
            role: (role ?? '') as Role,
            username: form.username ?? '',
          },
        });
        return { response: await c.html(<LinkIssuedPage viewer={viewer} issued={issued} url={new URL(issued.link, c.req.url).toString()} />) };
      });
      if (result instanceof Response) return result;
      // The link was shown once, to the first post; a repeated post adds no one and shows no link.
      if (result.notice === FORM_REPEATED) {
        return peoplePage(c, ctx, viewer, { notice: '这份表单已经提交过：用户已添加，链接只在第一次提交后显示。如未记下，请在列表中为其生成新链接。' }, 409);
      }
      const errors = result.code === 'duplicate_username' ? { username: result.notice } : result.errors;
      return peoplePage(c, ctx, viewer, { ...form, errors, notice: result.status === 409 && errors ? null : result.notice }, result.status as 400);
    }),
  );

  web.post('/admin/people/:id/link', (c) =>
    personalPage(c, async (ctx, viewer) => {
      requirePermission(ctx.actor, 'user.manage');
      const body = await c.req.parseBody();
      const result = await submitOnce(c, ctx, viewer, { trustProxy: options.trustProxy, form: 'user.issue_password_setup', body }, async () => {
        const issued = await issuePasswordSetup({ ctx, input: { userId: c.req.param('id') } });
        return { response: await c.html(<LinkIssuedPage viewer={viewer} issued={issued} url={new URL(issued.link, c.req.url).toString()} />) };
      });
      if (result instanceof Response) return result;
      const notice = result.notice === FORM_REPEATED ? '这个按钮已经按过：链接只在第一次显示。如未记下，请刷新列表后再生成一次。' : result.notice;
      return peoplePage(c, ctx, viewer, { notice }, result.status as 400);
    }),
  );

  return web;
}
