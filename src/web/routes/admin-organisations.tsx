// The admin's organisations page: the list, and a form that adds one (createOrganisation decides
// who may). A refused form comes back with its values and the Chinese messages beside the fields.
import { Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { randomToken } from '../../domain/random-token.ts';
import type { ServiceContext } from '../../services/context.ts';
import { type CreateOrganisationInput, createOrganisation, listOrganisations } from '../../services/organisations.ts';
import { requirePermission } from '../../services/scope.ts';
import { type FormState, emptyForm, formValues, sendForm } from '../admin-forms.tsx';
import type { Viewer } from '../layout.tsx';
import { OrganisationsPage } from '../pages/admin-organisations.tsx';
import { type WebContext, type WebEnv, personalPage } from '../web-kit.tsx';

const FIELDS = ['code', 'name', 'kind'] as const;

async function show(c: WebContext, ctx: ServiceContext, viewer: Viewer, form: FormState, status: ContentfulStatusCode = 200) {
  const page = await listOrganisations({ ctx, input: { limit: 100, cursor: c.req.query('cursor') } });
  return c.html(
    <OrganisationsPage
      viewer={viewer}
      organisations={page.items}
      nextCursor={page.nextCursor}
      formKey={randomToken()}
      form={form}
      done={c.req.query('done')}
    />,
    status,
  );
}

export function adminOrganisationPages(options: { trustProxy: boolean }) {
  const web = new Hono<WebEnv>();

  web.get('/admin/organisations', (c) =>
    personalPage(c, async (ctx, viewer) => {
      requirePermission(ctx.actor, 'organisation.create');
      return show(c, ctx, viewer, emptyForm);
    }),
  );

  web.post('/admin/organisations', (c) =>
    personalPage(c, async (ctx, viewer) => {
      requirePermission(ctx.actor, 'organisation.create');
      const body = await c.req.parseBody();
      const values = formValues(body, FIELDS);
      return sendForm(
        c,
        ctx,
        viewer,
        { trustProxy: options.trustProxy, form: 'organisation.create', body, values },
        async () => {
          await createOrganisation({ ctx, input: values as CreateOrganisationInput });
          return { location: '/admin/organisations?done=created' };
        },
        (form, status) => show(c, ctx, viewer, form, status),
      );
    }),
  );

  return web;
}
