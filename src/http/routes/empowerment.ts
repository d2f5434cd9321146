import { z } from '@hono/zod-openapi';
import { programmeCohortOutcomes } from '../../services/cohort-outcomes.ts';
import { createActivity, getActivity, listActivities, updateActivity } from '../../services/empowerment-activities.ts';
import { EmpowermentKindField } from '../../services/empowerment-activities.ts';
import { programmeEmpowermentFigures } from '../../services/empowerment-figures.ts';
import { recordGraduateDestination } from '../../services/graduate-destinations.ts';
import { changeParticipation, listParticipations, registerParticipation } from '../../services/participations.ts';
import { jsonBody, jsonResponse, routeGroup } from '../define-route.ts';
import { PageQuery, Uuid } from '../schemas/common.ts';
import {
  ActivityOut,
  ActivityPage,
  ChangeParticipationBody,
  CohortOutcomesOut,
  CreateActivityBody,
  EmpowermentFiguresOut,
  GraduateDestinationOut,
  ParticipationOut,
  ParticipationPage,
  RecordGraduateDestinationBody,
  RegisterParticipationBody,
  UpdateActivityBody,
} from '../schemas/empowerment.ts';

const { get, post, put } = routeGroup({ tags: ['Empowerment'] });
const ProgrammeParams = z.object({ programmeId: Uuid });
const IdParams = z.object({ id: Uuid });

export const empowermentRoutes = [
  post('/programmes/{programmeId}/empowerment-activities', 'empowerment_activity.manage', {
    summary: 'Create an activity of the programme’s empowerment track (青山陪伴赋能工程) (the foundation’s coordinator)',
    request: { params: ProgrammeParams, body: jsonBody(CreateActivityBody) },
    responses: { 201: jsonResponse('Created', ActivityOut) },
  }).runs(createActivity),
  get('/empowerment-activities', 'empowerment.read', {
    summary: 'Activities of the programmes the caller sees, latest first day first, with their participants and person-times',
    request: { query: PageQuery.extend({ programmeId: Uuid.optional(), kind: EmpowermentKindField.optional() }) },
    responses: { 200: jsonResponse('A page', ActivityPage) },
  }).runs(listActivities),
  get('/empowerment-activities/{id}', 'empowerment.read', {
    summary: 'One activity',
    request: { params: IdParams },
    responses: { 200: jsonResponse('The activity', ActivityOut) },
  }).runs(getActivity),
  put('/empowerment-activities/{id}', 'empowerment_activity.manage', {
    summary: 'Change an activity (the foundation’s coordinator); its dates may not leave out a recorded attendance or completion',
    request: { params: IdParams, body: jsonBody(UpdateActivityBody) },
    responses: { 200: jsonResponse('The activity after the change', ActivityOut) },
  }).runs(updateActivity),
  post('/empowerment-activities/{activityId}/participations', 'participation.record', {
    summary: 'Register a student the programme granted for the activity (coordinator or caseworker)',
    request: { params: z.object({ activityId: Uuid }), body: jsonBody(RegisterParticipationBody) },
    responses: { 201: jsonResponse('Registered', ParticipationOut) },
  }).runs(registerParticipation),
  get('/empowerment-activities/{activityId}/participations', 'empowerment.read', {
    summary: 'Participations of the activity (students masked), latest registration first',
    request: { params: z.object({ activityId: Uuid }), query: PageQuery },
    responses: { 200: jsonResponse('A page', ParticipationPage) },
  }).runs(listParticipations),
  post('/participations/{id}/status', 'participation.record', {
    summary: 'Record attendance, completion or withdrawal, with hours, the outcome the kind has and evidence (coordinator or caseworker)',
    description:
      'registered → attended / completed / withdrawn; attended → completed / withdrawn. Attendance and completion are dated within the activity. An internship’s host and weeks belong to summer_internship, an employer’s sector and start date to employment_assistance (422 outcome_not_for_kind otherwise). One attended or completed participation is one person-time (人次).',
    request: { params: IdParams, body: jsonBody(ChangeParticipationBody) },
    responses: { 200: jsonResponse('The participation after the change', ParticipationOut) },
  }).runs(changeParticipation),
  get('/programmes/{programmeId}/empowerment-figures', 'empowerment.read', {
    summary: '赋能人次: person-times of the empowerment track by academic year and kind, and over all years',
    request: { params: ProgrammeParams },
    responses: { 200: jsonResponse('The figures', EmpowermentFiguresOut) },
  }).runs(programmeEmpowermentFigures),
  get('/programmes/{programmeId}/cohort-outcomes', 'empowerment.read', {
    summary:
      'Per cohort (year of first grant): graduated on time or late, still studying, withdrawn; employed or in further study within six months; internships and courses completed',
    request: { params: ProgrammeParams },
    responses: { 200: jsonResponse('The outcomes', CohortOutcomesOut) },
  }).runs(programmeCohortOutcomes),
  post('/programmes/{programmeId}/graduate-destinations', 'graduate_destination.record', {
    summary: 'Record where a graduate went (employed with its sector, further study, other), with the source (the foundation’s coordinator)',
    request: { params: ProgrammeParams, body: jsonBody(RecordGraduateDestinationBody) },
    responses: { 201: jsonResponse('Recorded', GraduateDestinationOut) },
  }).runs(recordGraduateDestination),
];
