import { z } from '@hono/zod-openapi';
import { createProgramme, getProgramme, listProgrammes, updateProgrammeSettings } from '../../services/programmes.ts';
import { jsonBody, jsonResponse, routeGroup } from '../define-route.ts';
import { Uuid } from '../schemas/common.ts';
import { CreateProgrammeBody, ProgrammeOut, ProgrammePage, ProgrammeQuery, ProgrammeSettingsBody } from '../schemas/programmes.ts';

const { get, post, put } = routeGroup({ tags: ['Programmes'] });

export const programmeRoutes = [
  post('/programmes', 'programme.create', {
    summary: 'Create a programme with its bands; opens its ledger accounts (admin)',
    request: { body: jsonBody(CreateProgrammeBody) },
    responses: { 201: jsonResponse('Created', ProgrammeOut) },
  }).runs(createProgramme),
  get('/programmes', 'programme.read', {
    summary: 'Programmes in the caller’s scope, with balances',
    request: { query: ProgrammeQuery },
    responses: { 200: jsonResponse('A page', ProgrammePage) },
  }).runs(listProgrammes),
  get('/programmes/{programmeId}', 'programme.read', {
    summary: 'One programme with its bands and balances',
    request: { params: z.object({ programmeId: Uuid }) },
    responses: { 200: jsonResponse('The programme', ProgrammeOut) },
  }).runs(({ ctx, input }) => getProgramme({ ctx, input: { id: input.programmeId } })),
  put('/programmes/{programmeId}/settings', 'programme.update', {
    summary: 'Set a programme’s settings: the bank business days a payout may stay in transit (admin)',
    description:
      'A payout sent and not confirmed by the bank `transitBusinessDays` bank business days (1–30; mainland China’s bank holidays counted) after its batch’s requested execution date is overdue: the bank check reports it `not_booked_by_bank`, and finance’s list of payouts to follow up shows it. Another department’s programme answers 404.',
    request: { params: z.object({ programmeId: Uuid }), body: jsonBody(ProgrammeSettingsBody) },
    responses: { 200: jsonResponse('The programme as set', ProgrammeOut) },
  }).runs(({ ctx, input }) => updateProgrammeSettings({ ctx, input: { id: input.programmeId, transitBusinessDays: input.transitBusinessDays } })),
];
