// The admin's pages: the people who use the service, adding one with a set-password link shown
// once, and a new link for anyone who lost theirs. Posting the same form twice (a double click, a
// refresh) adds one person and makes one link.
import { Hono } from 'hono';
import { ConflictError } from '../../domain/errors.ts';
import { randomToken } from '../../domain/random-token.ts';
import { ROLES, type Role } from '../../domain/roles.ts';
import type { ServiceContext } from '../../services/context.ts';
import { createPerson, issuePasswordSetup } from '../../services/credentials.ts';
import { claimFormSubmission, isFormKey, releaseFormSubmission } from '../../services/form-submissions.ts';
import { listOrganisations } from '../../services/organisations.ts';
import { listUsers } from '../../services/token-admin.ts';
import { requirePermission } from '../../services/scope.ts';
import { formIsFromUs } from '../csrf.ts';
import type { Viewer } from '../layout.tsx';
import { LinkIssuedPage, type NewPersonForm, PeoplePage } from '../pages/people.tsx';
import { type WebContext, type WebEnv, fieldErrors, personalPage } from '../web-kit.tsx';

export interface AdminPageOptions {
  trustProxy: boolean;
}

const text = (value: unknown) => (typeof value === 'string' ? value.trim().slice(0, 200) : '');

async function peoplePage(c: WebContext, ctx: ServiceContext, viewer: Viewer, form: NewPersonForm, status: 200 | 400 | 403 | 409 = 200) {
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
      if (!formIsFromUs(c, { trustProxy: options.trustProxy, expectedToken: viewer.csrfToken, sentToken: body.csrf })) {
        return peoplePage(c, ctx, viewer, { ...form, notice: '表单已过期或不是从本系统提交的，请重新填写。' }, 403);
      }
      if (!isFormKey(body.formKey)) return peoplePage(c, ctx, viewer, { ...form, notice: '表单不完整，请重新填写。' }, 400);
      const claim = await claimFormSubmission(ctx.db, ctx.actor.userId, body.formKey, 'user.create');
      if (!claim.first) {
        // The link was shown once, to the first post; it is not shown again.
        return peoplePage(c, ctx, viewer, { notice: '这份表单已经提交过：用户已添加，链接只在第一次提交后显示。如未记下，请在列表中为其生成新链接。' }, 409);
      }
      try {
        const issued = await createPerson({
          ctx,
          input: {
            organisationId: form.organisationId || undefined,
            displayName: form.displayName ?? '',
            role: (role ?? '') as Role,
            username: form.username ?? '',
          },
        });
        return c.html(<LinkIssuedPage viewer={viewer} issued={issued} url={new URL(issued.link, c.req.url).toString()} />);
      } catch (error) {
        await releaseFormSubmission(ctx.db, ctx.actor.userId, body.formKey);
        const errors = fieldErrors(error);
        if (errors) return peoplePage(c, ctx, viewer, { ...form, errors, notice: '请按提示修改后再提交。' }, 400);
        if (error instanceof ConflictError && error.code === 'duplicate_username') {
          return peoplePage(c, ctx, viewer, { ...form, errors: { username: error.messageZh } }, 409);
        }
        throw error;
      }
    }),
  );

  web.post('/admin/people/:id/link', (c) =>
    personalPage(c, async (ctx, viewer) => {
      requirePermission(ctx.actor, 'user.manage');
      const body = await c.req.parseBody();
      if (!formIsFromUs(c, { trustProxy: options.trustProxy, expectedToken: viewer.csrfToken, sentToken: body.csrf })) {
        return peoplePage(c, ctx, viewer, { notice: '表单已过期或不是从本系统提交的，请重新操作。' }, 403);
      }
      if (!isFormKey(body.formKey)) return peoplePage(c, ctx, viewer, { notice: '表单不完整，请重新操作。' }, 400);
      const claim = await claimFormSubmission(ctx.db, ctx.actor.userId, body.formKey, 'user.issue_password_setup');
      if (!claim.first) return peoplePage(c, ctx, viewer, { notice: '这个按钮已经按过：链接只在第一次显示。如未记下，请刷新列表后再生成一次。' }, 409);
      const issued = await issuePasswordSetup({ ctx, input: { userId: c.req.param('id') } });
      return c.html(<LinkIssuedPage viewer={viewer} issued={issued} url={new URL(issued.link, c.req.url).toString()} />);
    }),
  );

  return web;
}
