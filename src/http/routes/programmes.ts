import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { createProgramme, getProgramme, listProgrammes } from '../../services/programmes.ts';
import { serviceContext } from '../context.ts';
import type { AppEnv } from '../env.ts';
import { Uuid, errorResponses, security } from '../schemas/common.ts';
import { CreateProgrammeBody, ProgrammeOut, ProgrammePage, ProgrammeQuery } from '../schemas/programmes.ts';

const tags = ['Programmes'];

const create = createRoute({
  method: 'post',
  path: '/programmes',
  tags,
  security,
  summary: 'Create a programme with its bands; opens its ledger accounts (admin)',
  request: { body: { required: true, content: { 'application/json': { schema: CreateProgrammeBody } } } },
  responses: { 201: { description: 'Created', content: { 'application/json': { schema: ProgrammeOut } } }, ...errorResponses },
});

const list = createRoute({
  method: 'get',
  path: '/programmes',
  tags,
  security,
  summary: 'Programmes in the caller’s scope, with balances',
  request: { query: ProgrammeQuery },
  responses: { 200: { description: 'A page', content: { 'application/json': { schema: ProgrammePage } } }, ...errorResponses },
});

const get = createRoute({
  method: 'get',
  path: '/programmes/{programmeId}',
  tags,
  security,
  summary: 'One programme with its bands and balances',
  request: { params: z.object({ programmeId: Uuid }) },
  responses: { 200: { description: 'The programme', content: { 'application/json': { schema: ProgrammeOut } } }, ...errorResponses },
});

export const programmeRoutes = new OpenAPIHono<AppEnv>()
  .openapi(create, async (c) => c.json(await createProgramme({ ctx: serviceContext(c), input: c.req.valid('json') }), 201))
  .openapi(list, async (c) => c.json(await listProgrammes({ ctx: serviceContext(c), input: c.req.valid('query') }), 200))
  .openapi(get, async (c) => c.json(await getProgramme({ ctx: serviceContext(c), input: { id: c.req.valid('param').programmeId } }), 200));
