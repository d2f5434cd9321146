// A student's whole account for a query to the bank (a payout refused or returned): reached from
// the payout that came back, through its grant. The purpose is asked and audited; the values are
// the answer to the post, shown once — a repeated post of the same form does not show them again.
import { Hono } from 'hono';
import { randomToken } from '../../domain/random-token.ts';
import { getGrant } from '../../services/grants.ts';
import { type ProgrammeView, getProgramme } from '../../services/programmes.ts';
import { requirePermission } from '../../services/scope.ts';
import { unmaskStudent } from '../../services/students.ts';
import { NotFoundError } from '../../domain/errors.ts';
import type { ServiceContext } from '../../services/context.ts';
import { UnmaskPage, UnmaskedPage } from '../pages/finance-unmask.tsx';
import { formText } from '../submit-once.ts';
import { type WebEnv, personalPage } from '../web-kit.tsx';
import { financeForm } from './finance-forms.ts';

/** The grant's student, only for an approved or ended grant of this programme (as the grant page shows). */
async function grantOf(ctx: ServiceContext, programme: ProgrammeView, grantId: string) {
  const grant = await getGrant({ ctx, input: { id: grantId } });
  if (grant.programme.id !== programme.id || (grant.status !== 'approved' && grant.status !== 'ended')) throw new NotFoundError('grant');
  return { grantId: grant.id, student: grant.student };
}

export function financeStudentPages(options: { trustProxy: boolean }) {
  const web = new Hono<WebEnv>();

  web.get('/programmes/:id/grants/:grantId/unmask', (c) =>
    personalPage(c, async (ctx, viewer) => {
      const programme = await getProgramme({ ctx, input: { id: c.req.param('id') } });
      requirePermission(ctx.actor, 'student.unmask');
      const grant = await grantOf(ctx, programme, c.req.param('grantId'));
      return c.html(<UnmaskPage viewer={viewer} programme={programme} grant={grant} formKey={randomToken()} />);
    }),
  );

  web.post('/programmes/:id/grants/:grantId/unmask', (c) =>
    personalPage(c, async (ctx, viewer) => {
      const programme = await getProgramme({ ctx, input: { id: c.req.param('id') } });
      const grant = await grantOf(ctx, programme, c.req.param('grantId'));
      const body = await c.req.parseBody();
      const purpose = formText(body, 'purpose');
      return financeForm(
        c,
        ctx,
        viewer,
        {
          ...options,
          action: 'student.unmask',
          form: 'student.unmask',
          body,
          again: async (refusal) =>
            c.html(
              <UnmaskPage viewer={viewer} programme={programme} grant={grant} formKey={randomToken()} purpose={purpose} refusal={refusal} />,
              refusal.status,
            ),
        },
        async () => {
          const unmasked = await unmaskStudent({ ctx, input: { studentId: grant.student.id, purpose } });
          return { response: await c.html(<UnmaskedPage viewer={viewer} programme={programme} grantId={grant.grantId} unmasked={unmasked} />) };
        },
      );
    }),
  );

  return web;
}
