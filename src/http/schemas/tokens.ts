// Users and bearer tokens. The token's secret appears in one schema only: the answer that issues it.
import { z } from '@hono/zod-openapi';
import { ROLES } from '../../domain/roles.ts';
import { MAX_TOKEN_DAYS, TOKEN_STATUSES } from '../../domain/token-lifetime.ts';
import { Name, PageQuery, Uuid, pageOf } from './common.ts';

export const RoleEnum = z.enum(ROLES, { message: `must be one of ${ROLES.join(', ')}` }).openapi('Role');
export const TokenStatusEnum = z.enum(TOKEN_STATUSES, { message: `must be one of ${TOKEN_STATUSES.join(', ')}` });

export const CreateUserBody = z
  .strictObject({
    organisationId: Uuid.optional().openapi({ description: 'Defaults to the caller’s organisation; only a platform admin may name another' }),
    displayName: Name.meta({ description: 'A staff member’s name, as colleagues know it', example: '王芳' }),
    role: RoleEnum,
  })
  .openapi('CreateUser');

export const UserOut = z
  .object({ id: Uuid, organisationId: Uuid, organisationCode: z.string(), displayName: z.string(), role: RoleEnum, createdAt: z.string() })
  .openapi('User');
export const UserPage = pageOf(UserOut, 'UserPage');
export const UserListQuery = PageQuery.extend({ organisationId: Uuid.optional(), role: RoleEnum.optional() });

export const IssueTokenBody = z
  .strictObject({
    label: z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters').openapi({ example: 'finance laptop 2026' }),
    expiresAt: z.iso
      .datetime({ offset: true, message: 'must be an ISO 8601 date-time, e.g. 2026-12-31T23:59:59+08:00' })
      .optional()
      .openapi({ description: `At most ${MAX_TOKEN_DAYS} days ahead` }),
    expiresInDays: z
      .number({ message: 'must be a number of days' })
      .int('must be a whole number of days')
      .min(1, 'must be at least 1')
      .max(MAX_TOKEN_DAYS, `must be at most ${MAX_TOKEN_DAYS}`)
      .optional()
      .openapi({ description: 'Instead of expiresAt; neither gives 90 days' }),
  })
  .openapi('IssueToken');

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
export const TokenListQuery = PageQuery.extend({ userId: Uuid.optional(), organisationId: Uuid.optional(), status: TokenStatusEnum.optional() });
