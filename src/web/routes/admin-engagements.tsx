// The platform admin's audit engagements page: list, create, end. The service refuses any admin
// but the platform's (403), which the pages answer with the 404 page, as for every other role.
import { Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { todayInChina } from '../../domain/dates.ts';
import { randomToken } from '../../domain/random-token.ts';
import { createAuditEngagement, endAuditEngagement, listAuditEngagements } from '../../services/audit-engagements.ts';
import type { ServiceContext } from '../../services/context.ts';
import { listOrganisations } from '../../services/organisations.ts';
import { listProgrammes } from '../../services/programmes.ts';
import { requirePermission } from '../../services/scope.ts';
import { type FormState, emptyForm, formValues, renameErrors, sendForm } from '../admin-forms.tsx';
import type { Viewer } from '../layout.tsx';
import { EngagementsPage } from '../pages/admin-engagements.tsx';
import { formList } from '../submit-once.ts';
import { type WebContext, type WebEnv, personalPage } from '../web-kit.tsx';

type EngagementForm = FormState & { programmeIds?: string[] };

async function show(c: WebContext, ctx: ServiceContext, viewer: Viewer, form: EngagementForm, status: ContentfulStatusCode = 200) {
  const engagements = await listAuditEngagements({ ctx, input: { limit: 100, cursor: c.req.query('cursor') } });
  const organisations = await listOrganisations({ ctx, input: { limit: 200 } });
  const programmes = await listProgrammes({ ctx, input: { limit: 200 } });
  return c.html(
    <EngagementsPage
      viewer={viewer}
      engagements={engagements.items}
      nextCursor={engagements.nextCursor}
      auditors={organisations.items.filter((o) => o.kind === 'audit' || o.kind === 'platform')}
      programmes={programmes.items}
      formKey={randomToken()}
      form={form}
      done={c.req.query('done')}
      today={todayInChina()}
    />,
    status,
  );
}

export function adminEngagementPages(options: { trustProxy: boolean }) {
  const web = new Hono<WebEnv>();

  web.get('/admin/engagements', (c) =>
    personalPage(c, async (ctx, viewer) => {
      requirePermission(ctx.actor, 'audit_engagement.manage');
      return show(c, ctx, viewer, emptyForm);
    }),
  );

  web.post('/admin/engagements', (c) =>
    personalPage(c, async (ctx, viewer) => {
      requirePermission(ctx.actor, 'audit_engagement.manage');
      // A department's admin is refused before anything is claimed (the service's 403 → the 404 page).
      await listAuditEngagements({ ctx, input: { limit: 1 } });
      const body = await c.req.parseBody({ all: true });
      const values = formValues(body, ['auditorOrganisationId', 'scope', 'startsOn', 'endsOn']);
      const programmeIds = formList(body, 'programmeIds', 500);
      return sendForm(
        c,
        ctx,
        viewer,
        { trustProxy: options.trustProxy, form: 'audit_engagement.create', body, values },
        async () => {
          await createAuditEngagement({
            ctx,
            input: {
              auditorOrganisationId: values.auditorOrganisationId ?? '',
              scope: values.scope as 'all' | 'programmes',
              // Ticks left over from choosing "all" are not a contradiction the person meant.
              programmeIds: values.scope === 'all' ? [] : programmeIds,
              startsOn: values.startsOn ?? '',
              endsOn: values.endsOn || null,
            },
          });
          return { location: '/admin/engagements?done=created' };
        },
        (form, status) => show(c, ctx, viewer, { ...renameErrors(form, (path) => path.replace(/^programmeIds\.\d+$/, 'programmeIds')), programmeIds }, status),
      );
    }),
  );

  web.post('/admin/engagements/:id/end', (c) =>
    personalPage(c, async (ctx, viewer) => {
      requirePermission(ctx.actor, 'audit_engagement.manage');
      await listAuditEngagements({ ctx, input: { limit: 1 } });
      const body = await c.req.parseBody();
      return sendForm(
        c,
        ctx,
        viewer,
        { trustProxy: options.trustProxy, form: 'audit_engagement.end', body, values: {} },
        async () => {
          await endAuditEngagement({ ctx, input: { id: c.req.param('id') } });
          return { location: '/admin/engagements?done=ended' };
        },
        (form, status) => show(c, ctx, viewer, form, status),
      );
    }),
  );

  return web;
}
