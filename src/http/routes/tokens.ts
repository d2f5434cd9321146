// Users and their bearer tokens (admin). Outside the admin's organisation (unless it is the
// platform's) a user or token answers 404.
import { z } from '@hono/zod-openapi';
import { createUserAccount, issueUserToken, listTokens, listUsers, revokeToken } from '../../services/token-admin.ts';
import { serviceContext } from '../context.ts';
import { defineRoute, jsonBody, jsonResponse } from '../define-route.ts';
import { Uuid } from '../schemas/common.ts';
import { CreateUserBody, IssueTokenBody, IssuedTokenOut, TokenListQuery, TokenOut, TokenPage, UserListQuery, UserOut, UserPage } from '../schemas/tokens.ts';

const createUser = defineRoute(
  {
    method: 'post',
    path: '/users',
    action: 'user.manage',
    tags: ['Users'],
    summary: 'Create a user in an organisation with a role (admin)',
    request: { body: jsonBody(CreateUserBody) },
    responses: { 201: jsonResponse('Created', UserOut) },
  },
  async (c) => c.json(await createUserAccount({ ctx: serviceContext(c), input: c.req.valid('json') }), 201),
);

const usersList = defineRoute(
  {
    method: 'get',
    path: '/users',
    action: 'user.manage',
    tags: ['Users'],
    summary: 'List users (admin: the platform’s all, another organisation’s its own)',
    request: { query: UserListQuery },
    responses: { 200: jsonResponse('A page', UserPage) },
  },
  async (c) => c.json(await listUsers({ ctx: serviceContext(c), input: c.req.valid('query') }), 200),
);

const issue = defineRoute(
  {
    method: 'post',
    path: '/users/{id}/tokens',
    action: 'token.manage',
    tags: ['Tokens'],
    summary: 'Issue a bearer token to a user (admin); the secret is in this answer only',
    request: { params: z.object({ id: Uuid }), body: jsonBody(IssueTokenBody) },
    responses: { 201: jsonResponse('Issued', IssuedTokenOut) },
  },
  async (c) => c.json(await issueUserToken({ ctx: serviceContext(c), input: { ...c.req.valid('json'), userId: c.req.valid('param').id } }), 201),
);

const tokensList = defineRoute(
  {
    method: 'get',
    path: '/tokens',
    action: 'token.manage',
    tags: ['Tokens'],
    summary: 'List tokens without their secrets (admin)',
    request: { query: TokenListQuery },
    responses: { 200: jsonResponse('A page', TokenPage) },
  },
  async (c) => c.json(await listTokens({ ctx: serviceContext(c), input: c.req.valid('query') }), 200),
);

const revoke = defineRoute(
  {
    method: 'post',
    path: '/tokens/{id}/revocation',
    action: 'token.manage',
    tags: ['Tokens'],
    summary: 'Revoke a token now (admin); revoking again answers the first revocation',
    request: { params: z.object({ id: Uuid }) },
    responses: { 200: jsonResponse('Revoked', TokenOut) },
  },
  async (c) => {
    const { alreadyRevoked: _, ...token } = await revokeToken({ ctx: serviceContext(c), input: { id: c.req.valid('param').id } });
    return c.json(token, 200);
  },
);

export const tokenRoutes = [createUser, usersList, issue, tokensList, revoke];
