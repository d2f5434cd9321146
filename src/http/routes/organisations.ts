import { z } from '@hono/zod-openapi';
import { createOrganisation, getOrganisation, listOrganisations } from '../../services/organisations.ts';
import { jsonBody, jsonResponse, routeGroup } from '../define-route.ts';
import { Uuid } from '../schemas/common.ts';
import { CreateOrganisationBody, OrganisationOut, OrganisationPage, OrganisationQuery } from '../schemas/programmes.ts';

const { get, post } = routeGroup({ tags: ['Organisations'] });

export const organisationRoutes = [
  post('/organisations', 'organisation.create', {
    summary: 'Create an organisation (an admin of the platform organisation)',
    request: { body: jsonBody(CreateOrganisationBody) },
    responses: { 201: jsonResponse('Created', OrganisationOut) },
  }).runs(createOrganisation),
  get('/organisations', 'organisation.read', {
    summary: 'List organisations (admin; auditor: its own and those of the programmes it is engaged on)',
    request: { query: OrganisationQuery },
    responses: { 200: jsonResponse('A page', OrganisationPage) },
  }).runs(listOrganisations),
  get('/organisations/{id}', 'organisation.read', {
    summary: 'One organisation (admin; auditor: its own and those of the programmes it is engaged on)',
    request: { params: z.object({ id: Uuid }) },
    responses: { 200: jsonResponse('The organisation', OrganisationOut) },
  }).runs(getOrganisation),
];
