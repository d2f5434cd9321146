// Users and their bearer tokens (admin). Outside the admin's organisation (unless it is the
// platform's) a user or token answers 404.
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { createUserAccount, issueUserToken, listTokens, listUsers, revokeToken } from '../../services/token-admin.ts';
import { serviceContext } from '../context.ts';
import type { AppEnv } from '../env.ts';
import { Uuid, errorResponses, security } from '../schemas/common.ts';
import { CreateUserBody, IssueTokenBody, IssuedTokenOut, TokenListQuery, TokenOut, TokenPage, UserListQuery, UserOut, UserPage } from '../schemas/tokens.ts';

const createUser = createRoute({
  method: 'post',
  path: '/users',
  tags: ['Users'],
  security,
  summary: 'Create a user in an organisation with a role (admin)',
  request: { body: { required: true, content: { 'application/json': { schema: CreateUserBody } } } },
  responses: { 201: { description: 'Created', content: { 'application/json': { schema: UserOut } } }, ...errorResponses },
});

const usersList = createRoute({
  method: 'get',
  path: '/users',
  tags: ['Users'],
  security,
  summary: 'List users (admin: the platform’s all, another organisation’s its own)',
  request: { query: UserListQuery },
  responses: { 200: { description: 'A page', content: { 'application/json': { schema: UserPage } } }, ...errorResponses },
});

const issue = createRoute({
  method: 'post',
  path: '/users/{id}/tokens',
  tags: ['Tokens'],
  security,
  summary: 'Issue a bearer token to a user (admin); the secret is in this answer only',
  request: { params: z.object({ id: Uuid }), body: { required: true, content: { 'application/json': { schema: IssueTokenBody } } } },
  responses: { 201: { description: 'Issued', content: { 'application/json': { schema: IssuedTokenOut } } }, ...errorResponses },
});

const tokensList = createRoute({
  method: 'get',
  path: '/tokens',
  tags: ['Tokens'],
  security,
  summary: 'List tokens without their secrets (admin)',
  request: { query: TokenListQuery },
  responses: { 200: { description: 'A page', content: { 'application/json': { schema: TokenPage } } }, ...errorResponses },
});

const revoke = createRoute({
  method: 'post',
  path: '/tokens/{id}/revocation',
  tags: ['Tokens'],
  security,
  summary: 'Revoke a token now (admin); revoking again answers the first revocation',
  request: { params: z.object({ id: Uuid }) },
  responses: { 200: { description: 'Revoked', content: { 'application/json': { schema: TokenOut } } }, ...errorResponses },
});

export const tokenRoutes = new OpenAPIHono<AppEnv>()
  .openapi(createUser, async (c) => c.json(await createUserAccount({ ctx: serviceContext(c), input: c.req.valid('json') }), 201))
  .openapi(usersList, async (c) => c.json(await listUsers({ ctx: serviceContext(c), input: c.req.valid('query') }), 200))
  .openapi(issue, async (c) => {
    const body = c.req.valid('json');
    const issued = await issueUserToken({
      ctx: serviceContext(c),
      input: { ...body, userId: c.req.valid('param').id },
    });
    return c.json(issued, 201);
  })
  .openapi(tokensList, async (c) => c.json(await listTokens({ ctx: serviceContext(c), input: c.req.valid('query') }), 200))
  .openapi(revoke, async (c) => {
    const { alreadyRevoked: _, ...token } = await revokeToken({ ctx: serviceContext(c), input: { id: c.req.valid('param').id } });
    return c.json(token, 200);
  });
