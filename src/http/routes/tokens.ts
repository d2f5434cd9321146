// Users and their bearer tokens (admin). Outside the admin's organisation (unless it is the
// platform's) a user or token answers 404.
import { z } from '@hono/zod-openapi';
import { createUserAccount, issueUserToken, listTokens, listUsers, revokeToken } from '../../services/token-admin.ts';
import { jsonBody, jsonResponse, routeGroup } from '../define-route.ts';
import { Uuid } from '../schemas/common.ts';
import { CreateUserBody, IssueTokenBody, IssuedTokenOut, TokenListQuery, TokenOut, TokenPage, UserListQuery, UserOut, UserPage } from '../schemas/tokens.ts';

const { get, post } = routeGroup({ tags: ['Tokens'] });
const Params = z.object({ id: Uuid });

/** The token as revoked: whether it was revoked before is not part of the answer. */
async function revokeOnce(call: Parameters<typeof revokeToken>[0]) {
  const { alreadyRevoked: _, ...token } = await revokeToken(call);
  return token;
}

export const tokenRoutes = [
  post('/users', 'user.manage', {
    tags: ['Users'],
    summary: 'Create a user in an organisation with a role (admin)',
    request: { body: jsonBody(CreateUserBody) },
    responses: { 201: jsonResponse('Created', UserOut) },
  }).runs(createUserAccount),
  get('/users', 'user.manage', {
    tags: ['Users'],
    summary: 'List users (admin: the platform’s all, another organisation’s its own)',
    request: { query: UserListQuery },
    responses: { 200: jsonResponse('A page', UserPage) },
  }).runs(listUsers),
  post('/users/{id}/tokens', 'token.manage', {
    summary: 'Issue a bearer token to a user (admin); the secret is in this answer only',
    request: { params: Params, body: jsonBody(IssueTokenBody) },
    responses: { 201: jsonResponse('Issued', IssuedTokenOut) },
  }).runs(({ ctx, input: { id, ...body } }) => issueUserToken({ ctx, input: { ...body, userId: id } })),
  get('/tokens', 'token.manage', {
    summary: 'List tokens without their secrets (admin)',
    request: { query: TokenListQuery },
    responses: { 200: jsonResponse('A page', TokenPage) },
  }).runs(listTokens),
  post('/tokens/{id}/revocation', 'token.manage', {
    summary: 'Revoke a token now (admin); revoking again answers the first revocation',
    request: { params: Params },
    responses: { 200: jsonResponse('Revoked', TokenOut) },
  }).runs(revokeOnce),
];
