import { z } from '@hono/zod-openapi';
import { createOrganisation, getOrganisation, listOrganisations } from '../../services/organisations.ts';
import { serviceContext } from '../context.ts';
import { defineRoute, jsonBody, jsonResponse } from '../define-route.ts';
import { Uuid } from '../schemas/common.ts';
import { CreateOrganisationBody, OrganisationOut, OrganisationPage, OrganisationQuery } from '../schemas/programmes.ts';

const tags = ['Organisations'];

const create = defineRoute(
  {
    method: 'post',
    path: '/organisations',
    action: 'organisation.create',
    tags,
    summary: 'Create an organisation (admin)',
    request: { body: jsonBody(CreateOrganisationBody) },
    responses: { 201: jsonResponse('Created', OrganisationOut) },
  },
  async (c) => c.json(await createOrganisation({ ctx: serviceContext(c), input: c.req.valid('json') }), 201),
);

const list = defineRoute(
  {
    method: 'get',
    path: '/organisations',
    action: 'organisation.read',
    tags,
    summary: 'List organisations (admin; auditor: its own and those of the programmes it is engaged on)',
    request: { query: OrganisationQuery },
    responses: { 200: jsonResponse('A page', OrganisationPage) },
  },
  async (c) => c.json(await listOrganisations({ ctx: serviceContext(c), input: c.req.valid('query') }), 200),
);

const get = defineRoute(
  {
    method: 'get',
    path: '/organisations/{id}',
    action: 'organisation.read',
    tags,
    summary: 'One organisation (admin; auditor: its own and those of the programmes it is engaged on)',
    request: { params: z.object({ id: Uuid }) },
    responses: { 200: jsonResponse('The organisation', OrganisationOut) },
  },
  async (c) => c.json(await getOrganisation({ ctx: serviceContext(c), input: c.req.valid('param') }), 200),
);

export const organisationRoutes = [create, list, get];
