// The admin's programmes: create one (with its payout account and the first year's bands), and set
// a year's bands of an existing one (setProgrammeBands). Both forms go through submitOnce and lead
// back to a page that lists the result; refused, they come back with the Chinese messages.
import { Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { formatAcademicYear, parseAcademicYear } from '../../domain/academic-year.ts';
import { randomToken } from '../../domain/random-token.ts';
import { getManagedProgramme, setProgrammeBands } from '../../services/bands.ts';
import type { ServiceContext } from '../../services/context.ts';
import { listOrganisations } from '../../services/organisations.ts';
import { managesProgrammesOf } from '../../services/scope.ts';
import { type CreateProgrammeInput, createProgramme, getProgramme, listProgrammes, updateProgrammeSettings } from '../../services/programmes.ts';
import { NotFoundError } from '../../domain/errors.ts';
import { requirePermission } from '../../services/scope.ts';
import { type FormState, emptyForm, formValues, sendForm } from '../admin-forms.tsx';
import { BAND_FIELDS, bandsOf, besideTheirRows } from '../band-form.ts';
import type { Viewer } from '../layout.tsx';
import { BandsPage } from '../pages/admin-bands.tsx';
import { AdminProgrammesPage } from '../pages/admin-programmes.tsx';
import { ProgrammeSettingsPage } from '../pages/admin-programme-settings.tsx';
import { type WebContext, type WebEnv, personalPage } from '../web-kit.tsx';

const ACCOUNT_FIELDS = ['accountNumber', 'accountName', 'bankName', 'bankCode'] as const;
const PROGRAMME_FIELDS = [
  'code',
  'name',
  'funderId',
  'administratorId',
  'firstAcademicYear',
  'lastAcademicYear',
  'instalmentPlan',
  'budget',
  'transitBusinessDays',
  ...ACCOUNT_FIELDS.map((f) => `payoutAccount.${f}`),
  ...BAND_FIELDS,
];

async function showProgrammes(c: WebContext, ctx: ServiceContext, viewer: Viewer, form: FormState, status: ContentfulStatusCode = 200) {
  const programmes = await listProgrammes({ ctx, input: { limit: 100, cursor: c.req.query('cursor') } });
  const organisations = (await listOrganisations({ ctx, input: { limit: 200 } })).items;
  return c.html(
    <AdminProgrammesPage
      viewer={viewer}
      programmes={programmes.items}
      nextCursor={programmes.nextCursor}
      funders={organisations.filter((o) => o.kind === 'foundation')}
      administrators={organisations.filter((o) => o.kind === 'civil_affairs' && managesProgrammesOf(ctx.actor, o.id))}
      formKey={randomToken()}
      form={form}
      done={c.req.query('done')}
    />,
    status,
  );
}

/** The programme's academic years, first to last, for the bands form. */
function yearsOf(first: string, last: string): string[] {
  const from = parseAcademicYear(first);
  const to = parseAcademicYear(last);
  if (!from.ok || !to.ok) return [];
  const years: string[] = [];
  for (let y = from.value.startYear; y <= to.value.startYear; y++) years.push(formatAcademicYear(y));
  return years;
}

async function showBands(c: WebContext, ctx: ServiceContext, viewer: Viewer, form: FormState, status: ContentfulStatusCode = 200) {
  const programme = await getManagedProgramme({ ctx, input: { programmeId: c.req.param('id') ?? '' } });
  return c.html(
    <BandsPage
      viewer={viewer}
      programme={programme}
      years={yearsOf(programme.firstAcademicYear, programme.lastAcademicYear)}
      formKey={randomToken()}
      form={form}
      done={c.req.query('done')}
    />,
    status,
  );
}

/** A programme this admin manages, for its settings page (another department's: the 404 page). */
async function managedProgramme(ctx: ServiceContext, id: string) {
  const programme = await getProgramme({ ctx, input: { id } });
  if (!managesProgrammesOf(ctx.actor, programme.administrator.id)) throw new NotFoundError('programme');
  return programme;
}

async function showSettings(c: WebContext, ctx: ServiceContext, viewer: Viewer, form: FormState, status: ContentfulStatusCode = 200) {
  const programme = await managedProgramme(ctx, c.req.param('id') ?? '');
  return c.html(<ProgrammeSettingsPage viewer={viewer} programme={programme} formKey={randomToken()} form={form} done={c.req.query('done')} />, status);
}

/** "3" → 3; anything but digits is not a number of days (the service names the field). */
function wholeNumber(text: string): number {
  return /^\d{1,4}$/.test(text.trim()) ? Number(text.trim()) : Number.NaN;
}

/** The payout account as the form gives it: left out when every field is blank, the code when given. */
function payoutAccountOf(values: Record<string, string>): CreateProgrammeInput['payoutAccount'] {
  const [accountNumber, accountName, bankName, bankCode] = ACCOUNT_FIELDS.map((f) => values[`payoutAccount.${f}`] ?? '');
  if (!accountNumber && !accountName && !bankName && !bankCode) return undefined;
  return { accountNumber: accountNumber ?? '', accountName: accountName ?? '', bankName: bankName ?? '', ...(bankCode ? { bankCode } : {}) };
}

export function adminProgrammePages(options: { trustProxy: boolean }) {
  const web = new Hono<WebEnv>();

  web.get('/admin/programmes', (c) =>
    personalPage(c, async (ctx, viewer) => {
      requirePermission(ctx.actor, 'programme.create');
      return showProgrammes(c, ctx, viewer, emptyForm);
    }),
  );

  web.post('/admin/programmes', (c) =>
    personalPage(c, async (ctx, viewer) => {
      requirePermission(ctx.actor, 'programme.create');
      const body = await c.req.parseBody();
      const values = formValues(body, PROGRAMME_FIELDS);
      const { bands, levels } = bandsOf(values);
      return sendForm(
        c,
        ctx,
        viewer,
        { trustProxy: options.trustProxy, form: 'programme.create', body, values },
        async () => {
          const v = (name: string) => values[name] ?? '';
          await createProgramme({
            ctx,
            input: {
              code: v('code'),
              name: v('name'),
              funderId: v('funderId'),
              administratorId: v('administratorId'),
              firstAcademicYear: v('firstAcademicYear'),
              lastAcademicYear: v('lastAcademicYear'),
              instalmentPlan: v('instalmentPlan') as CreateProgrammeInput['instalmentPlan'],
              budget: v('budget'),
              bands: bands.map((b) => ({ ...b, academicYear: v('firstAcademicYear') })),
              payoutAccount: payoutAccountOf(values),
              // Left blank: the default (3 business days).
              ...(v('transitBusinessDays').trim() !== '' ? { transitBusinessDays: wholeNumber(v('transitBusinessDays')) } : {}),
            },
          });
          return { location: '/admin/programmes?done=created' };
        },
        (form, status) => showProgrammes(c, ctx, viewer, besideTheirRows(form, levels, 'firstAcademicYear'), status),
      );
    }),
  );

  web.get('/admin/programmes/:id/settings', (c) =>
    personalPage(c, async (ctx, viewer) => {
      requirePermission(ctx.actor, 'programme.update');
      return showSettings(c, ctx, viewer, emptyForm);
    }),
  );

  web.post('/admin/programmes/:id/settings', (c) =>
    personalPage(c, async (ctx, viewer) => {
      requirePermission(ctx.actor, 'programme.update');
      const programmeId = c.req.param('id');
      await managedProgramme(ctx, programmeId);
      const body = await c.req.parseBody();
      const values = formValues(body, ['transitBusinessDays']);
      return sendForm(
        c,
        ctx,
        viewer,
        { trustProxy: options.trustProxy, form: 'programme.update', body, values },
        async () => {
          await updateProgrammeSettings({ ctx, input: { id: programmeId, transitBusinessDays: wholeNumber(values.transitBusinessDays ?? '') } });
          return { location: `/admin/programmes/${programmeId}/settings?done=set` };
        },
        (form, status) => showSettings(c, ctx, viewer, form, status),
      );
    }),
  );

  web.get('/admin/programmes/:id/bands', (c) =>
    personalPage(c, async (ctx, viewer) => {
      requirePermission(ctx.actor, 'band.manage');
      return showBands(c, ctx, viewer, emptyForm);
    }),
  );

  web.post('/admin/programmes/:id/bands', (c) =>
    personalPage(c, async (ctx, viewer) => {
      requirePermission(ctx.actor, 'band.manage');
      const programmeId = c.req.param('id');
      // A programme out of sight, or another department's, is the 404 page before anything is claimed.
      await getManagedProgramme({ ctx, input: { programmeId } });
      const body = await c.req.parseBody();
      const values = formValues(body, ['academicYear', ...BAND_FIELDS]);
      const { bands, levels } = bandsOf(values);
      return sendForm(
        c,
        ctx,
        viewer,
        { trustProxy: options.trustProxy, form: 'programme.set_bands', body, values },
        async () => {
          await setProgrammeBands({ ctx, input: { programmeId, academicYear: values.academicYear ?? '', bands } });
          return { location: `/admin/programmes/${programmeId}/bands?done=set` };
        },
        (form, status) => showBands(c, ctx, viewer, besideTheirRows(form, levels, 'academicYear'), status),
      );
    }),
  );

  return web;
}
