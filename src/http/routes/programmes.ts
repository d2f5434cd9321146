import { z } from '@hono/zod-openapi';
import { createProgramme, getProgramme, listProgrammes } from '../../services/programmes.ts';
import { jsonBody, jsonResponse, routeGroup } from '../define-route.ts';
import { Uuid } from '../schemas/common.ts';
import { CreateProgrammeBody, ProgrammeOut, ProgrammePage, ProgrammeQuery } from '../schemas/programmes.ts';

const { get, post } = routeGroup({ tags: ['Programmes'] });

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
];
