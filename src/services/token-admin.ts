// Administration of users and their bearer tokens: create users, issue tokens (the secret is
// answered once and never stored), list and revoke them. A platform admin manages every
// organisation; any other admin only its own — outside that scope a user or token is "not found".
import { z } from 'zod';
import { Name, PageInput, Uuid } from './fields.ts';
import { parseInput } from './validation.ts';
import { NotFoundError, ValidationError } from '../domain/errors.ts';
import { ROLES, type Role } from '../domain/roles.ts';
import { MAX_TOKEN_DAYS, TOKEN_STATUSES, type TokenStatus, tokenExpiry, tokenStatus } from '../domain/token-lifetime.ts';
import type { Prisma } from '#prisma';
import { recordAudit } from './audit.ts';
import { type Tx, type UseCaseCall, inTransaction } from './context.ts';
import { type Page, mapPage, newestFirst } from './pagination.ts';
import { requirePermission, userScope } from './scope.ts';
import { createUser, issueToken } from './tokens.ts';

export interface UserView {
  id: string;
  organisationId: string;
  organisationCode: string;
  /** A staff member's name (internal staff, not a student): shown to the admins who manage them. */
  displayName: string;
  role: Role;
  /** The name the person signs in to the pages with; null until an admin gives one. */
  username: string | null;
  /** Set while an admin has the user disabled (src/services/user-admin.ts). */
  disabledAt: string | null;
  createdAt: string;
}

export interface TokenView {
  id: string;
  user: { id: string; displayName: string; role: Role; organisationId: string; organisationCode: string };
  label: string;
  /** The first characters of the secret, to recognise a token; never enough to use it. */
  prefix: string;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
  status: TokenStatus;
}

const USER_INCLUDE = { organisation: { select: { code: true } } } as const;
/** Never the hash: the select names each column shown. */
const TOKEN_SELECT = {
  id: true,
  label: true,
  prefix: true,
  createdAt: true,
  expiresAt: true,
  revokedAt: true,
  lastUsedAt: true,
  user: { select: { id: true, displayName: true, role: true, organisationId: true, organisation: { select: { code: true } } } },
} as const satisfies Prisma.ApiTokenSelect;

type UserRow = Prisma.AppUserGetPayload<{ include: typeof USER_INCLUDE }>;
type TokenRow = Prisma.ApiTokenGetPayload<{ select: typeof TOKEN_SELECT }>;

function userView(u: UserRow): UserView {
  return {
    id: u.id,
    organisationId: u.organisationId,
    organisationCode: u.organisation.code,
    displayName: u.displayName,
    role: u.role,
    username: u.username,
    disabledAt: u.disabledAt?.toISOString() ?? null,
    createdAt: u.createdAt.toISOString(),
  };
}

export function tokenView(t: TokenRow, now: Date): TokenView {
  return {
    id: t.id,
    user: {
      id: t.user.id,
      displayName: t.user.displayName,
      role: t.user.role,
      organisationId: t.user.organisationId,
      organisationCode: t.user.organisation.code,
    },
    label: t.label,
    prefix: t.prefix,
    createdAt: t.createdAt.toISOString(),
    expiresAt: t.expiresAt?.toISOString() ?? null,
    revokedAt: t.revokedAt?.toISOString() ?? null,
    lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
    status: tokenStatus(t, now),
  };
}

/** What the audit trail keeps of a token: never its secret or hash. */
function tokenAudit(t: TokenView) {
  return { userId: t.user.id, role: t.user.role, label: t.label, prefix: t.prefix, expiresAt: t.expiresAt, revokedAt: t.revokedAt };
}

export const RoleEnum = z.enum(ROLES, { message: `must be one of ${ROLES.join(', ')}` });
export const TokenStatusEnum = z.enum(TOKEN_STATUSES, { message: `must be one of ${TOKEN_STATUSES.join(', ')}` });

export const CreateUserAccountInput = z.strictObject({
  organisationId: Uuid.optional().meta({ description: 'Defaults to the caller’s organisation; only a platform admin may name another' }),
  displayName: Name.meta({ description: 'A staff member’s name, as colleagues know it', example: '王芳' }),
  role: RoleEnum,
});
export type CreateUserAccountInput = z.input<typeof CreateUserAccountInput>;

export const ListUsersInput = PageInput.extend({ organisationId: Uuid.optional(), role: RoleEnum.optional() });
export type ListUsersInput = z.input<typeof ListUsersInput>;

export const IssueUserTokenInput = z.strictObject({
  userId: Uuid,
  label: z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters').meta({ example: 'finance laptop 2026' }),
  expiresAt: z.iso
    .datetime({ offset: true, message: 'must be an ISO 8601 date-time, e.g. 2026-12-31T23:59:59+08:00' })
    .optional()
    .meta({ description: `At most ${MAX_TOKEN_DAYS} days ahead` }),
  expiresInDays: z
    .number({ message: 'must be a number of days' })
    .int('must be a whole number of days')
    .min(1, 'must be at least 1')
    .max(MAX_TOKEN_DAYS, `must be at most ${MAX_TOKEN_DAYS}`)
    .optional()
    .meta({ description: 'Instead of expiresAt; neither gives 90 days' }),
});
export type IssueUserTokenInput = z.input<typeof IssueUserTokenInput>;

export const ListTokensInput = PageInput.extend({ userId: Uuid.optional(), organisationId: Uuid.optional(), status: TokenStatusEnum.optional() });
export type ListTokensInput = z.input<typeof ListTokensInput>;

export const RevokeTokenInput = z.strictObject({ id: Uuid });

export async function createUserAccount({ ctx, input: raw }: UseCaseCall<CreateUserAccountInput>): Promise<UserView> {
  const input = parseInput(CreateUserAccountInput, raw);
  requirePermission(ctx.actor, 'user.manage');
  const organisationId = input.organisationId ?? ctx.actor.organisationId;
  return inTransaction(ctx, async (tx) => {
    // Another organisation answers exactly as one that does not exist.
    const inScope = ctx.actor.organisationKind === 'platform' || organisationId === ctx.actor.organisationId;
    if (!inScope) throw new ValidationError([{ path: 'organisationId', message: 'no such organisation' }]);
    const { id } = await createUser(tx, { organisationId, displayName: input.displayName, role: input.role });
    const created = userView(await tx.appUser.findUniqueOrThrow({ where: { id }, include: USER_INCLUDE }));
    await recordAudit(tx, ctx, { action: 'user.create', recordType: 'app_user', recordId: id, after: { organisationId, role: created.role } });
    return created;
  });
}

export async function listUsers({ ctx, input: raw }: UseCaseCall<ListUsersInput>): Promise<Page<UserView>> {
  const input = parseInput(ListUsersInput, raw);
  requirePermission(ctx.actor, 'user.manage');
  const keyset = newestFirst('createdAt', 'moment', input);
  const rows = await ctx.db.appUser.findMany({
    where: {
      AND: [userScope(ctx.actor), input.organisationId ? { organisationId: input.organisationId } : {}, input.role ? { role: input.role } : {}, keyset.after],
    },
    include: USER_INCLUDE,
    ...keyset.order,
  });
  return mapPage(keyset.page(rows), userView);
}

export type IssuedTokenView = TokenView & { secret: string };

export async function issueUserToken({ ctx, input: raw, now = new Date() }: UseCaseCall<IssueUserTokenInput> & { now?: Date }): Promise<IssuedTokenView> {
  const parsed = parseInput(IssueUserTokenInput, raw);
  const input = { ...parsed, expiresAt: parsed.expiresAt === undefined ? undefined : new Date(parsed.expiresAt) };
  requirePermission(ctx.actor, 'token.manage');
  const expiry = tokenExpiry({ expiresAt: input.expiresAt, expiresInDays: input.expiresInDays }, now);
  return inTransaction(ctx, async (tx) => {
    const user = await tx.appUser.findFirst({ where: { AND: [{ id: input.userId }, userScope(ctx.actor)] } });
    if (!user) throw new NotFoundError('user');
    if (!expiry.ok) throw new ValidationError([{ path: expiry.path, message: expiry.message }]);
    const issued = await issueToken(tx, { userId: user.id, label: input.label, expiresAt: expiry.expiresAt });
    const view = tokenView(await tx.apiToken.findUniqueOrThrow({ where: { id: issued.id }, select: TOKEN_SELECT }), now);
    await recordAudit(tx, ctx, { action: 'token.issue', recordType: 'api_token', recordId: view.id, after: tokenAudit(view) });
    return { ...view, secret: issued.secret };
  });
}

export interface TokenFilters {
  userId?: string;
  /** Used by the command line (by code) and by platform admins. */
  organisationId?: string;
  status?: TokenStatus;
}

/** Tokens matching the filters, newest first, without any scope: callers apply theirs. */
export async function findTokens(
  db: Tx,
  scope: Prisma.AppUserWhereInput,
  filters: TokenFilters & { cursor?: string; limit: number },
  now: Date,
): Promise<Page<TokenView>> {
  const keyset = newestFirst('createdAt', 'moment', filters);
  const rows = await db.apiToken.findMany({
    where: {
      AND: [
        { user: scope },
        filters.userId ? { userId: filters.userId } : {},
        filters.organisationId ? { user: { organisationId: filters.organisationId } } : {},
        filters.status ? statusWhere(filters.status, now) : {},
        keyset.after,
      ],
    },
    select: TOKEN_SELECT,
    ...keyset.order,
  });
  return mapPage(keyset.page(rows), (t) => tokenView(t, now));
}

export async function listTokens({ ctx, input: raw, now = new Date() }: UseCaseCall<ListTokensInput> & { now?: Date }): Promise<Page<TokenView>> {
  const input = parseInput(ListTokensInput, raw);
  requirePermission(ctx.actor, 'token.manage');
  return findTokens(ctx.db, userScope(ctx.actor), input, now);
}

/**
 * Revokes a token now. Revoking a revoked token changes nothing and answers its first revokedAt
 * (no second audit row: nothing happened). Any admin may revoke its own token.
 */
export async function revokeToken({
  ctx,
  input: raw,
  now = new Date(),
}: UseCaseCall<z.input<typeof RevokeTokenInput>> & { now?: Date }): Promise<TokenView & { alreadyRevoked: boolean }> {
  const input = parseInput(RevokeTokenInput, raw);
  requirePermission(ctx.actor, 'token.manage');
  return inTransaction(ctx, async (tx) => {
    const where = { AND: [{ id: input.id }, { user: userScope(ctx.actor) }] };
    const found = await tx.apiToken.findFirst({ where, select: TOKEN_SELECT });
    if (!found) throw new NotFoundError('token');
    // Conditional update: of two concurrent revocations only one writes, the first instant stays.
    const { count } = await tx.apiToken.updateMany({ where: { id: found.id, revokedAt: null }, data: { revokedAt: now } });
    const after = tokenView(await tx.apiToken.findUniqueOrThrow({ where: { id: found.id }, select: TOKEN_SELECT }), now);
    if (count === 1) {
      await recordAudit(tx, ctx, {
        action: 'token.revoke',
        recordType: 'api_token',
        recordId: after.id,
        before: tokenAudit(tokenView(found, now)),
        after: tokenAudit(after),
      });
    }
    return { ...after, alreadyRevoked: count === 0 };
  });
}

function statusWhere(status: TokenStatus, now: Date): Prisma.ApiTokenWhereInput {
  switch (status) {
    case 'revoked':
      return { revokedAt: { not: null } };
    case 'expired':
      return { revokedAt: null, expiresAt: { lte: now } };
    case 'active':
      return { revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] };
  }
}
