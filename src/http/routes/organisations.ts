import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { createOrganisation, getOrganisation, listOrganisations } from '../../services/organisations.ts';
import { serviceContext } from '../context.ts';
import type { AppEnv } from '../env.ts';
import { Uuid, errorResponses, security } from '../schemas/common.ts';
import { CreateOrganisationBody, OrganisationOut, OrganisationPage, OrganisationQuery } from '../schemas/programmes.ts';

const tags = ['Organisations'];

const create = createRoute({
  method: 'post',
  path: '/organisations',
  tags,
  security,
  summary: 'Create an organisation (admin)',
  request: { body: { required: true, content: { 'application/json': { schema: CreateOrganisationBody } } } },
  responses: { 201: { description: 'Created', content: { 'application/json': { schema: OrganisationOut } } }, ...errorResponses },
});

const list = createRoute({
  method: 'get',
  path: '/organisations',
  tags,
  security,
  summary: 'List organisations (admin; auditor: its own and those of the programmes it is engaged on)',
  request: { query: OrganisationQuery },
  responses: { 200: { description: 'A page', content: { 'application/json': { schema: OrganisationPage } } }, ...errorResponses },
});

const get = createRoute({
  method: 'get',
  path: '/organisations/{id}',
  tags,
  security,
  summary: 'One organisation (admin; auditor: its own and those of the programmes it is engaged on)',
  request: { params: z.object({ id: Uuid }) },
  responses: { 200: { description: 'The organisation', content: { 'application/json': { schema: OrganisationOut } } }, ...errorResponses },
});

export const organisationRoutes = new OpenAPIHono<AppEnv>()
  .openapi(create, async (c) => c.json(await createOrganisation({ ctx: serviceContext(c), input: c.req.valid('json') }), 201))
  .openapi(list, async (c) => c.json(await listOrganisations({ ctx: serviceContext(c), input: c.req.valid('query') }), 200))
  .openapi(get, async (c) => c.json(await getOrganisation({ ctx: serviceContext(c), input: c.req.valid('param') }), 200));
