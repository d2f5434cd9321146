// One user's page for the admin who manages them: change the role, disable or enable, end a
// session. Each form goes through submitOnce and leads back to the user's page; what the services
// refuse (a role the organisation cannot hold, an admin locking themselves out) is shown there in
// Chinese. Another organisation's user is the 404 page, as one that does not exist.
import { Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { randomToken } from '../../domain/random-token.ts';
import type { Role } from '../../domain/roles.ts';
import type { ServiceContext } from '../../services/context.ts';
import { changeUserRole, endUserSession, getManagedUser, listUserSessions, setUserDisabled } from '../../services/user-admin.ts';
import { type FormState, emptyForm, formValues, sendForm } from '../admin-forms.tsx';
import type { Viewer } from '../layout.tsx';
import { UserPage } from '../pages/admin-user.tsx';
import type { FormDone } from '../submit-once.ts';
import { type WebContext, type WebEnv, personalPage } from '../web-kit.tsx';

async function show(c: WebContext, ctx: ServiceContext, viewer: Viewer, userId: string, form: FormState, status: ContentfulStatusCode = 200) {
  const user = await getManagedUser({ ctx, input: { userId } });
  const sessions = await listUserSessions({ ctx, input: { userId } });
  return c.html(<UserPage viewer={viewer} user={user} sessions={sessions} formKey={randomToken()} form={form} done={c.req.query('done')} />, status);
}

export function adminUserPages(options: { trustProxy: boolean }) {
  const web = new Hono<WebEnv>();

  web.get('/admin/people/:userId', (c) => personalPage(c, (ctx, viewer) => show(c, ctx, viewer, c.req.param('userId'), emptyForm)));

  /** A form of the user's page: checked as one, then `work` with the path's ids and the form's values. */
  const userForm = (
    path: string,
    form: string,
    fields: readonly string[],
    work: (ctx: ServiceContext, ids: { userId: string; sessionId: string }, values: Record<string, string>) => Promise<FormDone>,
  ) =>
    web.post(path, (c) =>
      personalPage(c, async (ctx, viewer) => {
        const userId = c.req.param('userId') ?? '';
        // The user must be one the admin manages before anything is claimed: otherwise the 404 page.
        await getManagedUser({ ctx, input: { userId } });
        const body = await c.req.parseBody();
        const values = formValues(body, fields);
        return sendForm(
          c,
          ctx,
          viewer,
          { trustProxy: options.trustProxy, form, body, values },
          () => work(ctx, { userId, sessionId: c.req.param('sessionId') ?? '' }, values),
          (refused, status) => show(c, ctx, viewer, userId, refused, status),
        );
      }),
    );

  userForm('/admin/people/:userId/role', 'user.change_role', ['role'], async (ctx, { userId }, values) => {
    await changeUserRole({ ctx, input: { userId, role: values.role as Role } });
    return { location: `/admin/people/${userId}?done=role` };
  });

  userForm('/admin/people/:userId/disabled', 'user.set_disabled', ['disabled'], async (ctx, { userId }, values) => {
    // Anything but the two words the form sends goes to the service as it came, to be refused there.
    const disabled = values.disabled === 'true' ? true : values.disabled === 'false' ? false : (values.disabled as unknown as boolean);
    await setUserDisabled({ ctx, input: { userId, disabled } });
    return { location: `/admin/people/${userId}?done=${disabled ? 'disabled' : 'enabled'}` };
  });

  userForm('/admin/people/:userId/sessions/:sessionId/end', 'session.revoke', [], async (ctx, ids) => {
    await endUserSession({ ctx, input: ids });
    return { location: `/admin/people/${ids.userId}?done=session` };
  });

  return web;
}
