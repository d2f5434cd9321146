// Users and bearer tokens. The token's secret appears in one schema only: the answer that issues it.
import { z } from '@hono/zod-openapi';
import {
  CreateUserAccountInput,
  IssueUserTokenInput,
  ListTokensInput,
  ListUsersInput,
  RoleEnum as ServiceRoleEnum,
  TokenStatusEnum,
} from '../../services/token-admin.ts';
import { Uuid, pageOf } from './common.ts';

export const RoleEnum = ServiceRoleEnum.meta({ id: 'Role' });
export { TokenStatusEnum };

export const CreateUserBody = CreateUserAccountInput.extend({ role: RoleEnum }).meta({ id: 'CreateUser' });

export const UserOut = z
  .object({
    id: Uuid,
    organisationId: Uuid,
    organisationCode: z.string(),
    displayName: z.string(),
    role: RoleEnum,
    username: z.string().nullable().openapi({ description: 'The name the person signs in to the pages with; null until an admin gives one' }),
    disabledAt: z.string().nullable().openapi({ description: 'When an admin disabled the user (no sign-in, no token works); null while enabled' }),
    createdAt: z.string(),
  })
  .openapi('User');
export const UserPage = pageOf(UserOut, 'UserPage');
export const UserListQuery = ListUsersInput.extend({ role: RoleEnum.optional() });

export const IssueTokenBody = IssueUserTokenInput.omit({ userId: true }).meta({ id: 'IssueToken' });

export const TokenOut = z
  .object({
    id: Uuid,
    user: z.object({ id: Uuid, displayName: z.string(), role: RoleEnum, organisationId: Uuid, organisationCode: z.string() }),
    label: z.string(),
    prefix: z.string().openapi({ description: 'The first characters of the secret, to recognise the token', example: 'sl_Xy3_aB' }),
    createdAt: z.string(),
    expiresAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
    lastUsedAt: z.string().nullable().openapi({ description: 'Updated at most once a minute' }),
    status: TokenStatusEnum,
  })
  .openapi('Token');
export const IssuedTokenOut = TokenOut.extend({
  secret: z.string().openapi({ description: 'The bearer token. Shown in this answer only: it is stored as a hash and cannot be shown again.' }),
}).openapi('IssuedToken');
export const TokenPage = pageOf(TokenOut, 'TokenPage');
export const TokenListQuery = ListTokensInput;
