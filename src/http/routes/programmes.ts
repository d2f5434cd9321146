import { z } from '@hono/zod-openapi';
import { createProgramme, getProgramme, listProgrammes } from '../../services/programmes.ts';
import { serviceContext } from '../context.ts';
import { defineRoute, jsonBody, jsonResponse } from '../define-route.ts';
import { Uuid } from '../schemas/common.ts';
import { CreateProgrammeBody, ProgrammeOut, ProgrammePage, ProgrammeQuery } from '../schemas/programmes.ts';

const tags = ['Programmes'];

const create = defineRoute(
  {
    method: 'post',
    path: '/programmes',
    action: 'programme.create',
    tags,
    summary: 'Create a programme with its bands; opens its ledger accounts (admin)',
    request: { body: jsonBody(CreateProgrammeBody) },
    responses: { 201: jsonResponse('Created', ProgrammeOut) },
  },
  async (c) => c.json(await createProgramme({ ctx: serviceContext(c), input: c.req.valid('json') }), 201),
);

const list = defineRoute(
  {
    method: 'get',
    path: '/programmes',
    action: 'programme.read',
    tags,
    summary: 'Programmes in the caller’s scope, with balances',
    request: { query: ProgrammeQuery },
    responses: { 200: jsonResponse('A page', ProgrammePage) },
  },
  async (c) => c.json(await listProgrammes({ ctx: serviceContext(c), input: c.req.valid('query') }), 200),
);

const get = defineRoute(
  {
    method: 'get',
    path: '/programmes/{programmeId}',
    action: 'programme.read',
    tags,
    summary: 'One programme with its bands and balances',
    request: { params: z.object({ programmeId: Uuid }) },
    responses: { 200: jsonResponse('The programme', ProgrammeOut) },
  },
  async (c) => c.json(await getProgramme({ ctx: serviceContext(c), input: { id: c.req.valid('param').programmeId } }), 200),
);

export const programmeRoutes = [create, list, get];
