// The empowerment track's pages (青山陪伴赋能工程): the activities a person's programmes run, one
// activity with its participants, and the forms — a new activity (the foundation's coordinator), a
// registration and the record of attendance, completion or withdrawal (coordinator or caseworker).
// Handlers only call services and render; another organisation's activity answers the 404 page.
import type { Hono } from 'hono';
import { Hono as HonoApp } from 'hono';
import { todayInChina } from '../../domain/dates.ts';
import { may } from '../../domain/roles.ts';
import type { ServiceContext } from '../../services/context.ts';
import { createActivity, getActivity, listActivities, listEmpowermentProgrammes, updateActivity } from '../../services/empowerment-activities.ts';
import { changeParticipation, getParticipation, listActivityCandidates, listParticipations, registerParticipation } from '../../services/participations.ts';
import {
  activityChangeInput,
  activityInput,
  activityValues,
  destinationInput,
  participationChangeInput,
  registrationInput,
} from '../empowerment-form-inputs.ts';
import { listGraduatesAwaitingDestination, recordGraduateDestination } from '../../services/graduate-destinations.ts';
import { formRoute } from '../form-route.tsx';
import { ActivityListPage, ActivityPage } from '../pages/empowerment.tsx';
import { ActivityFormPage, DestinationFormPage, ParticipationFormPage, RegistrationFormPage } from '../pages/empowerment-forms.tsx';
import { type WebContext, type WebEnv, personalPage } from '../web-kit.tsx';

const DONE: Record<string, string> = {
  created: '活动已创建。',
  changed: '活动已修改。',
  registered: '已登记报名。',
  recorded: '参加情况已记录。',
  destination: '毕业生去向已记录。',
};

const activityOf = (c: WebContext, ctx: ServiceContext) => getActivity({ ctx, input: { id: c.req.param('activityId') ?? '' } });

async function participationOf(c: WebContext, ctx: ServiceContext) {
  const participation = await getParticipation({ ctx, input: { id: c.req.param('participationId') ?? '' } });
  return { participation, activity: await getActivity({ ctx, input: { id: participation.activity.id } }) };
}

export function empowermentPages(options: { trustProxy: boolean }) {
  const web: Hono<WebEnv> = new HonoApp<WebEnv>();

  web.get('/empowerment', (c) =>
    personalPage(c, async (ctx, viewer) => {
      const page = await listActivities({ ctx, input: { limit: 50, cursor: c.req.query('cursor') } });
      const programmes = may(viewer.role, 'graduate_destination.record') ? await listEmpowermentProgrammes({ ctx, input: {} }) : [];
      return c.html(
        <ActivityListPage
          viewer={viewer}
          activities={page.items}
          nextCursor={page.nextCursor}
          mayCreate={may(viewer.role, 'empowerment_activity.manage')}
          destinationsOf={programmes}
          notice={DONE[c.req.query('done') ?? '']}
        />,
      );
    }),
  );

  formRoute(
    web,
    {
      path: '/empowerment/new',
      action: 'empowerment_activity.manage',
      form: 'empowerment_activity.create',
      load: (_c, ctx) => listEmpowermentProgrammes({ ctx, input: {} }),
      defaults: () => ({ organiser: 'foundation' }),
      render: (viewer, programmes, formKey, state) => <ActivityFormPage viewer={viewer} programmes={programmes} formKey={formKey} form={state} />,
      submit: async (ctx, values) => {
        const created = await createActivity({ ctx, input: activityInput(values) });
        return `/empowerment/activities/${created.id}?done=created`;
      },
    },
    options,
  );

  formRoute(
    web,
    {
      path: '/empowerment/activities/:activityId/edit',
      action: 'empowerment_activity.manage',
      form: 'empowerment_activity.update',
      load: activityOf,
      defaults: activityValues,
      render: (viewer, activity, formKey, state) => <ActivityFormPage viewer={viewer} programmes={[]} activity={activity} formKey={formKey} form={state} />,
      submit: async (ctx, values, activity) => {
        await updateActivity({ ctx, input: activityChangeInput(activity.id, values) });
        return `/empowerment/activities/${activity.id}?done=changed`;
      },
    },
    options,
  );

  web.get('/empowerment/activities/:activityId', (c) =>
    personalPage(c, async (ctx, viewer) => {
      const activity = await activityOf(c, ctx);
      const participations = await listParticipations({ ctx, input: { activityId: activity.id, limit: 200 } });
      return c.html(
        <ActivityPage
          viewer={viewer}
          activity={activity}
          participations={participations.items}
          mayRecord={may(viewer.role, 'participation.record')}
          mayChange={may(viewer.role, 'empowerment_activity.manage')}
          notice={DONE[c.req.query('done') ?? '']}
        />,
      );
    }),
  );

  formRoute(
    web,
    {
      path: '/empowerment/activities/:activityId/register',
      action: 'participation.record',
      form: 'participation.register',
      load: async (c, ctx) => {
        const activity = await activityOf(c, ctx);
        return { activity, candidates: await listActivityCandidates({ ctx, input: { activityId: activity.id } }) };
      },
      defaults: ({ activity }) => ({ registeredOn: todayInChina() < activity.endsOn ? todayInChina() : activity.endsOn }),
      render: (viewer, loaded, formKey, state) => <RegistrationFormPage viewer={viewer} {...loaded} formKey={formKey} form={state} />,
      submit: async (ctx, values, { activity }) => {
        await registerParticipation({ ctx, input: registrationInput(activity.id, values) });
        return `/empowerment/activities/${activity.id}?done=registered`;
      },
    },
    options,
  );

  formRoute(
    web,
    {
      path: '/empowerment/participations/:participationId',
      action: 'participation.record',
      form: 'participation.change_status',
      load: participationOf,
      render: (viewer, loaded, formKey, state) => <ParticipationFormPage viewer={viewer} {...loaded} formKey={formKey} form={state} />,
      submit: async (ctx, values, { participation, activity }) => {
        await changeParticipation({ ctx, input: participationChangeInput(participation.id, values) });
        return `/empowerment/activities/${activity.id}?done=recorded`;
      },
    },
    options,
  );

  formRoute(
    web,
    {
      path: '/empowerment/programmes/:programmeId/destinations',
      action: 'graduate_destination.record',
      form: 'graduate_destination.record',
      load: (c, ctx) => listGraduatesAwaitingDestination({ ctx, input: { programmeId: c.req.param('programmeId') ?? '' } }),
      defaults: () => ({ sourceDate: todayInChina() }),
      render: (viewer, loaded, formKey, state) => <DestinationFormPage viewer={viewer} {...loaded} formKey={formKey} form={state} />,
      submit: async (ctx, values, { programme }) => {
        await recordGraduateDestination({ ctx, input: destinationInput(programme.id, values) });
        return `/empowerment/programmes/${programme.id}/destinations?done=destination`;
      },
    },
    options,
  );

  return web;
}
