// What an admin does to a user after creating them: change their role, disable and enable them,
// see their open sessions and end one. The same scope as creating users (src/services/scope.ts,
// userScope): a platform admin manages everyone, another admin its own organisation's staff; a user
// outside it is "not found". Nobody may lock themselves out: an admin can neither disable
// themselves nor take the admin role from themselves (rule `self_lockout`), so that some admin who
// can undo a mistake always remains signed in.
import { z } from 'zod';
import { NotFoundError, RuleViolationError, ValidationError } from '../domain/errors.ts';
import type { Role } from '../domain/roles.ts';
import { recordAudit } from './audit.ts';
import { type ServiceContext, type Tx, type UseCaseCall, inTransaction } from './context.ts';
import { Uuid } from './fields.ts';
import { requirePermission, userScope } from './scope.ts';
import { SESSION_IDLE_MS } from './sessions.ts';
import { RoleEnum } from './token-admin.ts';
import { ROLES_BY_KIND } from './tokens.ts';
import { parseInput } from './validation.ts';

export const ChangeUserRoleInput = z.strictObject({ userId: Uuid, role: RoleEnum });
export type ChangeUserRoleInput = z.input<typeof ChangeUserRoleInput>;

export const SetUserDisabledInput = z.strictObject({ userId: Uuid, disabled: z.boolean({ message: 'must be true or false' }) });
export type SetUserDisabledInput = z.input<typeof SetUserDisabledInput>;

export const UserSessionsInput = z.strictObject({ userId: Uuid });
export type UserSessionsInput = z.input<typeof UserSessionsInput>;

export const EndUserSessionInput = z.strictObject({ userId: Uuid, sessionId: Uuid });
export type EndUserSessionInput = z.input<typeof EndUserSessionInput>;

export interface ManagedUserView {
  id: string;
  organisationId: string;
  organisationCode: string;
  organisationName: string;
  organisationKind: string;
  displayName: string;
  role: Role;
  username: string | null;
  disabledAt: string | null;
  createdAt: string;
  /** The roles this user's organisation can hold (a foundation: its viewer only). */
  possibleRoles: Role[];
}

export interface UserSessionView {
  id: string;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  userAgent: string | null;
}

const INCLUDE = { organisation: { select: { code: true, name: true, kind: true } } } as const;

/** The user if the admin manages them; anyone else is "not found". */
async function managedUser(db: Tx | ServiceContext['db'], ctx: ServiceContext, userId: string) {
  const user = await db.appUser.findFirst({ where: { AND: [{ id: userId }, userScope(ctx.actor)] }, include: INCLUDE });
  if (!user) throw new NotFoundError('user');
  return user;
}

/**
 * The managed user, their row held to commit and read after the lock: a change decided on what it
 * read (nothing to do, or the audit's `before`) is then decided on what the last change left, not
 * on a value another admin's change is replacing at the same moment.
 */
async function lockedManagedUser(tx: Tx, ctx: ServiceContext, userId: string) {
  await tx.$queryRaw`SELECT "id" FROM "app_user" WHERE "id" = ${userId}::uuid FOR NO KEY UPDATE`;
  return managedUser(tx, ctx, userId);
}

function view(u: Awaited<ReturnType<typeof managedUser>>): ManagedUserView {
  return {
    id: u.id,
    organisationId: u.organisationId,
    organisationCode: u.organisation.code,
    organisationName: u.organisation.name,
    organisationKind: u.organisation.kind,
    displayName: u.displayName,
    role: u.role,
    username: u.username,
    disabledAt: u.disabledAt?.toISOString() ?? null,
    createdAt: u.createdAt.toISOString(),
    possibleRoles: ROLES_BY_KIND[u.organisation.kind] ?? [],
  };
}

export async function getManagedUser({ ctx, input: raw }: UseCaseCall<UserSessionsInput>): Promise<ManagedUserView> {
  const input = parseInput(UserSessionsInput, raw);
  requirePermission(ctx.actor, 'user.manage');
  return view(await managedUser(ctx.db, ctx, input.userId));
}

/** Gives a user another role their organisation can hold; an admin cannot give up their own admin role. */
export async function changeUserRole({ ctx, input: raw }: UseCaseCall<ChangeUserRoleInput>): Promise<ManagedUserView> {
  const input = parseInput(ChangeUserRoleInput, raw);
  requirePermission(ctx.actor, 'user.manage');
  return inTransaction(ctx, async (tx) => {
    const user = await lockedManagedUser(tx, ctx, input.userId);
    if (user.id === ctx.actor.userId && input.role !== 'admin') throw new RuleViolationError('self_lockout');
    if (!ROLES_BY_KIND[user.organisation.kind]?.includes(input.role)) {
      throw new ValidationError([{ path: 'role', message: `a ${user.organisation.kind} organisation cannot hold the role ${input.role}` }]);
    }
    if (user.role === input.role) return view(user);
    const changed = await tx.appUser.update({ where: { id: user.id }, data: { role: input.role }, include: INCLUDE });
    await recordAudit(tx, ctx, {
      action: 'user.change_role',
      recordType: 'app_user',
      recordId: user.id,
      before: { role: user.role },
      after: { role: changed.role },
    });
    return view(changed);
  });
}

/**
 * Disables a user (their open sessions end; sign-in and their tokens are refused while disabled)
 * or enables them again. Doing what is already so changes nothing and writes no audit row.
 */
export async function setUserDisabled({ ctx, input: raw, now = new Date() }: UseCaseCall<SetUserDisabledInput> & { now?: Date }): Promise<ManagedUserView> {
  const input = parseInput(SetUserDisabledInput, raw);
  requirePermission(ctx.actor, 'user.manage');
  return inTransaction(ctx, async (tx) => {
    const user = await lockedManagedUser(tx, ctx, input.userId);
    if (user.id === ctx.actor.userId && input.disabled) throw new RuleViolationError('self_lockout');
    if ((user.disabledAt !== null) === input.disabled) return view(user);
    const changed = await tx.appUser.update({ where: { id: user.id }, data: { disabledAt: input.disabled ? now : null }, include: INCLUDE });
    const ended = input.disabled
      ? (await tx.webSession.updateMany({ where: { userId: user.id, endedAt: null }, data: { endedAt: now, endReason: 'user_disabled' } })).count
      : 0;
    await recordAudit(tx, ctx, {
      action: input.disabled ? 'user.disable' : 'user.enable',
      recordType: 'app_user',
      recordId: user.id,
      before: { disabledAt: user.disabledAt?.toISOString() ?? null },
      after: { disabledAt: changed.disabledAt?.toISOString() ?? null, sessionsEnded: ended },
    });
    return view(changed);
  });
}

/** A user's sessions that are still alive, newest first (never their secrets). */
export async function listUserSessions({ ctx, input: raw, now = new Date() }: UseCaseCall<UserSessionsInput> & { now?: Date }): Promise<UserSessionView[]> {
  const input = parseInput(UserSessionsInput, raw);
  requirePermission(ctx.actor, 'user.manage');
  const user = await managedUser(ctx.db, ctx, input.userId);
  const rows = await ctx.db.webSession.findMany({
    where: { userId: user.id, endedAt: null, expiresAt: { gt: now }, lastSeenAt: { gt: new Date(now.getTime() - SESSION_IDLE_MS) } },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
  });
  return rows.map((r) => ({
    id: r.id,
    createdAt: r.createdAt.toISOString(),
    lastSeenAt: r.lastSeenAt.toISOString(),
    expiresAt: r.expiresAt.toISOString(),
    userAgent: r.userAgent,
  }));
}

/** Ends one of a user's sessions (a lost laptop, a shared computer); ending an ended one changes nothing. */
export async function endUserSession({ ctx, input: raw, now = new Date() }: UseCaseCall<EndUserSessionInput> & { now?: Date }): Promise<void> {
  const input = parseInput(EndUserSessionInput, raw);
  requirePermission(ctx.actor, 'user.manage');
  await inTransaction(ctx, async (tx) => {
    const user = await managedUser(tx, ctx, input.userId);
    const session = await tx.webSession.findFirst({ where: { id: input.sessionId, userId: user.id } });
    if (!session) throw new NotFoundError('session');
    const { count } = await tx.webSession.updateMany({ where: { id: session.id, endedAt: null }, data: { endedAt: now, endReason: 'revoked' } });
    if (count === 1) {
      await recordAudit(tx, ctx, { action: 'session.revoke', recordType: 'web_session', recordId: session.id, after: { userId: user.id } });
    }
  });
}
