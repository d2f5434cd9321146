// Passwords of the people who use the pages. Nobody ever chooses a password for someone else:
// - an admin (of the user's organisation, or of the platform) gives the user a user name and a
//   one-time set-password link, valid for 72 hours and usable once; a new link replaces the old;
// - the person opens it and chooses a password (src/domain/password-hash.ts: length and variety);
// - a signed-in person changes their password by giving the current one.
// Setting or changing a password ends every open session of that user. Every step is audited; no
// secret (link, password, hash) ever enters the audit trail or a log.
import { z } from 'zod';
import { ConflictError, NotFoundError, RuleViolationError, ValidationError } from '../domain/errors.ts';
import { hashPassword, passwordProblem, verifyPassword } from '../domain/password-hash.ts';
import { randomToken } from '../domain/random-token.ts';
import { sha256Hex } from '../domain/sha256.ts';
import type { PrismaClient } from '#prisma';
import { isUniqueViolation } from '../db/errors.ts';
import { recordAudit } from './audit.ts';
import { type ServiceContext, type Tx, type UseCaseCall, inTransaction } from './context.ts';
import { Uuid } from './fields.ts';
import { requirePermission, userScope } from './scope.ts';
import { Username } from './sessions.ts';
import { CreateUserAccountInput } from './token-admin.ts';
import { createUser } from './tokens.ts';
import { parseInput } from './validation.ts';

export const PASSWORD_SETUP_LIFETIME_MS = 72 * 60 * 60 * 1000;
const LINK_PREFIX = 'ps_';

/** Where the person sets the password: the link's secret travels in the fragment-free path, once. */
export const PASSWORD_SETUP_PATH = '/password/setup';

export const IssuePasswordSetupInput = z.strictObject({
  userId: Uuid,
  /** The name the person will sign in with; required unless the user has one already. */
  username: Username.optional(),
});
export type IssuePasswordSetupInput = z.input<typeof IssuePasswordSetupInput>;

export const SetPasswordInput = z.strictObject({
  secret: z.string().max(200),
  password: z.string().max(400),
  confirmation: z.string().max(400),
});
export type SetPasswordInput = z.input<typeof SetPasswordInput>;

export const ChangePasswordInput = z.strictObject({
  currentPassword: z.string().max(400),
  password: z.string().max(400),
  confirmation: z.string().max(400),
});
export type ChangePasswordInput = z.input<typeof ChangePasswordInput>;

export interface IssuedPasswordSetup {
  userId: string;
  username: string;
  /** Shown once to the admin, who hands it to the person; only its hash is kept. */
  link: string;
  expiresAt: string;
}

const randomSecret = (): string => LINK_PREFIX + randomToken();

/** The new password's problems, with the field each belongs to. */
function newPasswordProblems(password: string, confirmation: string): void {
  const problem = passwordProblem(password);
  if (problem) throw new ValidationError([{ path: 'password', message: problem }]);
  if (password !== confirmation) throw new ValidationError([{ path: 'confirmation', message: '两次输入的密码不一致 (the two entries differ)' }]);
}

/** Ends every open session of the user: a changed password signs out everywhere. */
async function endSessionsOf(tx: Tx, userId: string): Promise<number> {
  const { count } = await tx.webSession.updateMany({ where: { userId, endedAt: null }, data: { endedAt: new Date(), endReason: 'password_changed' } });
  return count;
}

/** An admin gives a user (of its own organisation, or any for a platform admin) a one-time set-password link. */
export async function issuePasswordSetup({ ctx, input: raw, now }: UseCaseCall<IssuePasswordSetupInput> & { now?: Date }): Promise<IssuedPasswordSetup> {
  const input = parseInput(IssuePasswordSetupInput, raw);
  requirePermission(ctx.actor, 'user.manage');
  return inTransaction(ctx, async (tx) => {
    // Held to commit: two links issued at once would each expire the links before them and neither
    // would see the other's, leaving two valid links where only the newest may be.
    await tx.$queryRaw`SELECT "id" FROM "app_user" WHERE "id" = ${input.userId}::uuid FOR NO KEY UPDATE`;
    const user = await tx.appUser.findFirst({ where: { AND: [{ id: input.userId }, userScope(ctx.actor)] } });
    if (!user) throw new NotFoundError('user');
    // The moment of issue is read after the lock, so that it follows the moment of any link issued
    // while this call waited (the one it now expires, which must not expire before it was made).
    return issueLinkIn(tx, ctx, user, input.username, now ?? new Date());
  });
}

/** Gives the user the user name (when new) and a fresh link; earlier links stop working. Inside the caller's transaction. */
async function issueLinkIn(
  tx: Tx,
  ctx: ServiceContext,
  user: { id: string; username: string | null },
  wanted: string | undefined,
  now: Date,
): Promise<IssuedPasswordSetup> {
  const username = wanted ?? user.username;
  if (!username) throw new ValidationError([{ path: 'username', message: '请为该用户设定登录名 (give the user a user name)' }]);
  if (username !== user.username) {
    try {
      await tx.appUser.update({ where: { id: user.id }, data: { username } });
    } catch (error) {
      if (isUniqueViolation(error)) throw new ConflictError('duplicate_username', { field: 'username' });
      throw error;
    }
  }
  // Earlier links of the user stop working: only the newest one is valid.
  await tx.passwordSetup.updateMany({ where: { userId: user.id, usedAt: null, expiresAt: { gt: now } }, data: { expiresAt: now } });
  const secret = randomSecret();
  const expiresAt = new Date(now.getTime() + PASSWORD_SETUP_LIFETIME_MS);
  const id = crypto.randomUUID();
  await tx.passwordSetup.create({ data: { id, userId: user.id, secretHash: sha256Hex(secret), createdById: ctx.actor.userId, createdAt: now, expiresAt } });
  await recordAudit(tx, ctx, {
    action: 'user.issue_password_setup',
    recordType: 'app_user',
    recordId: user.id,
    before: { username: user.username },
    after: { username, passwordSetupId: id, expiresAt: expiresAt.toISOString() },
  });
  return { userId: user.id, username, link: `${PASSWORD_SETUP_PATH}/${secret}`, expiresAt: expiresAt.toISOString() };
}

export const CreatePersonInput = CreateUserAccountInput.extend({ username: Username });
export type CreatePersonInput = z.input<typeof CreatePersonInput>;

/**
 * An admin adds a person who will sign in to the pages: the user, its user name and its one-time
 * set-password link, in one transaction (a user name already taken leaves no user behind).
 */
export async function createPerson({ ctx, input: raw, now = new Date() }: UseCaseCall<CreatePersonInput> & { now?: Date }): Promise<IssuedPasswordSetup> {
  const input = parseInput(CreatePersonInput, raw);
  requirePermission(ctx.actor, 'user.manage');
  const organisationId = input.organisationId ?? ctx.actor.organisationId;
  return inTransaction(ctx, async (tx) => {
    // Another organisation answers exactly as one that does not exist.
    const inScope = ctx.actor.organisationKind === 'platform' || organisationId === ctx.actor.organisationId;
    if (!inScope || !(await tx.organisation.findUnique({ where: { id: organisationId }, select: { id: true } }))) {
      throw new ValidationError([{ path: 'organisationId', message: 'no such organisation' }]);
    }
    if (await tx.appUser.findUnique({ where: { username: input.username }, select: { id: true } }))
      throw new ConflictError('duplicate_username', { field: 'username' });
    const { id } = await createUser(tx, { organisationId, displayName: input.displayName, role: input.role });
    await recordAudit(tx, ctx, { action: 'user.create', recordType: 'app_user', recordId: id, after: { organisationId, role: input.role } });
    return issueLinkIn(tx, ctx, { id, username: null }, input.username, now);
  });
}

const linkRefused = () => new RuleViolationError('password_link_invalid');

/** Whether a set-password link can still be used (for the page that asks for the new password). */
export async function passwordSetupIsUsable({
  db,
  secret,
  now = new Date(),
}: {
  db: PrismaClient;
  secret: string;
  now?: Date;
}): Promise<{ username: string } | null> {
  if (!secret.startsWith(LINK_PREFIX) || secret.length > 200) return null;
  const setup = await db.passwordSetup.findUnique({ where: { secretHash: sha256Hex(secret) }, include: { user: { select: { username: true } } } });
  if (!setup || setup.usedAt || setup.expiresAt <= now || !setup.user.username) return null;
  return { username: setup.user.username };
}

/** The person sets their password with the link; the link is used up, and their other sessions end. */
export async function setPasswordWithLink({
  db,
  input: raw,
  requestId,
  now = new Date(),
}: {
  db: PrismaClient;
  input: SetPasswordInput;
  requestId?: string;
  now?: Date;
}): Promise<{ username: string }> {
  const input = parseInput(SetPasswordInput, raw);
  newPasswordProblems(input.password, input.confirmation);
  if (!input.secret.startsWith(LINK_PREFIX)) throw linkRefused();
  const passwordHash = await hashPassword(input.password);
  return db.$transaction(async (tx) => {
    const setup = await tx.passwordSetup.findUnique({
      where: { secretHash: sha256Hex(input.secret) },
      include: { user: { include: { organisation: { select: { kind: true } } } } },
    });
    if (!setup || setup.usedAt || setup.expiresAt <= now || !setup.user.username) throw linkRefused();
    // Used once: a concurrent second use finds it used and is refused.
    const { count } = await tx.passwordSetup.updateMany({ where: { id: setup.id, usedAt: null }, data: { usedAt: now } });
    if (count !== 1) throw linkRefused();
    await tx.appUser.update({ where: { id: setup.userId }, data: { passwordHash, passwordChangedAt: now } });
    const ended = await endSessionsOf(tx, setup.userId);
    const user = setup.user;
    const ctx: ServiceContext = {
      db,
      actor: { userId: user.id, organisationId: user.organisationId, organisationKind: user.organisation.kind, role: user.role },
      ...(requestId ? { requestId } : {}),
    };
    await recordAudit(tx, ctx, {
      action: 'user.set_password',
      recordType: 'app_user',
      recordId: user.id,
      after: { passwordSetupId: setup.id, sessionsEnded: ended },
    });
    return { username: setup.user.username };
  });
}

/** A signed-in person changes their own password, giving the current one; every session of theirs ends. */
export async function changePassword({ ctx, input: raw }: UseCaseCall<ChangePasswordInput>): Promise<void> {
  const input = parseInput(ChangePasswordInput, raw);
  requirePermission(ctx.actor, 'session.own');
  const user = await ctx.db.appUser.findUnique({ where: { id: ctx.actor.userId } });
  if (!user?.passwordHash || !(await verifyPassword(input.currentPassword, user.passwordHash))) {
    throw new ValidationError([{ path: 'currentPassword', message: '当前密码不正确 (the current password is not correct)' }]);
  }
  newPasswordProblems(input.password, input.confirmation);
  const passwordHash = await hashPassword(input.password);
  await inTransaction(ctx, async (tx) => {
    // The current password was checked before this transaction: if another change (or a
    // set-password link) committed since, it is no longer the current one, and this change would
    // silently replace a password its owner was just told was set.
    const [now] = await tx.$queryRaw<{ password_changed_at: Date | null }[]>`
      SELECT "password_changed_at" FROM "app_user" WHERE "id" = ${user.id}::uuid FOR NO KEY UPDATE`;
    if (now?.password_changed_at?.getTime() !== user.passwordChangedAt?.getTime()) {
      throw new ValidationError([{ path: 'currentPassword', message: '当前密码不正确 (the current password is not correct)' }]);
    }
    await tx.appUser.update({ where: { id: user.id }, data: { passwordHash, passwordChangedAt: new Date() } });
    const ended = await endSessionsOf(tx, user.id);
    await recordAudit(tx, ctx, { action: 'user.change_password', recordType: 'app_user', recordId: user.id, after: { sessionsEnded: ended } });
  });
}
