// Signed-in sessions of people on the pages (API tokens stay for machines: src/services/tokens.ts).
//
// - Sign-in: user name and password (src/domain/password-hash.ts). Every failure answers the same
//   neutral error, and takes as long whether the user exists or not (a hash is derived either way).
//   Each success and failure is in the audit trail; an unknown user name is recorded by its hash
//   only (people type passwords into the name field).
// - A session is a random secret in an HttpOnly cookie; only its SHA-256 is stored. It ends after
//   30 minutes without a request (idle), 12 hours after sign-in (absolute), at sign-out, when the
//   user's password changes, or when it is revoked. Its CSRF token rides in every form of the pages.
// - The actor of a session is built exactly as a token's (role, organisation, auditor coverage), so
//   pages and API see the same scope.
import { z } from 'zod';
import { render } from '../domain/error-catalogue.ts';
import { DomainError, NotFoundError } from '../domain/errors.ts';
import { PASSWORD_ITERATIONS, hashPassword, needsRehash, verifyPassword } from '../domain/password-hash.ts';
import { randomToken } from '../domain/random-token.ts';
import { sha256Hex } from '../domain/sha256.ts';
import type { PrismaClient } from '#prisma';
import { loadCoverage } from './audit-engagements.ts';
import { recordAudit } from './audit.ts';
import { type Actor, type ServiceContext, type Tx, type UseCaseCall, inTransaction } from './context.ts';
import { Uuid } from './fields.ts';
import { requirePermission } from './scope.ts';
import { parseInput } from './validation.ts';

export const SESSION_IDLE_MS = 30 * 60 * 1000;
export const SESSION_LIFETIME_MS = 12 * 60 * 60 * 1000;
/** Writing last_seen_at on every request would make every page view a write; once a minute is enough. */
const LAST_SEEN_RESOLUTION_MS = 60_000;
const SESSION_PREFIX = 'ss_';

/** The actor of failed sign-ins that name no user: nobody is known, so nobody is blamed. */
export const UNKNOWN_ACTOR = '00000000-0000-0000-0000-000000000000';

/** A user name as stored: trimmed and lower case. */
export const Username = z
  .string({ message: 'must be a user name' })
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9._-]{2,63}$/, 'must be 3–64 letters, digits, dot, dash or underscore, starting with a letter or digit');

export const SignInInput = z.strictObject({
  username: z.string().max(200, 'must be at most 200 characters'),
  password: z.string().max(200, 'must be at most 200 characters'),
  userAgent: z.string().optional(),
});
export type SignInInput = z.input<typeof SignInInput>;

export const EndSessionInput = z.strictObject({ sessionId: Uuid });

export interface SessionView {
  id: string;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  userAgent: string | null;
  current: boolean;
}

export interface SignedIn {
  /** Goes into the cookie, and nowhere else. */
  secret: string;
  csrfToken: string;
  session: SessionView;
  actor: Actor;
  displayName: string;
}

/** Neutral on purpose: which of name and password was wrong helps only an attacker. */
export class SignInFailed extends DomainError {
  readonly kind = 'unauthenticated';
  constructor() {
    super('sign_in_failed', render('sign_in_failed'));
  }
}

export const hashSessionSecret = (secret: string): string => sha256Hex(secret);

function sessionView(row: { id: string; createdAt: Date; lastSeenAt: Date; expiresAt: Date; userAgent: string | null }, currentId?: string): SessionView {
  return {
    id: row.id,
    createdAt: row.createdAt.toISOString(),
    lastSeenAt: row.lastSeenAt.toISOString(),
    expiresAt: row.expiresAt.toISOString(),
    userAgent: row.userAgent,
    current: row.id === currentId,
  };
}

async function actorOf(
  db: PrismaClient | Tx,
  user: { id: string; organisationId: string; role: Actor['role']; organisation: { kind: Actor['organisationKind'] } },
): Promise<Actor> {
  const actor: Actor = { userId: user.id, organisationId: user.organisationId, organisationKind: user.organisation.kind, role: user.role };
  // As for tokens: read at every request, so an engagement made or ended applies at once.
  if (actor.role === 'auditor') actor.coverage = await loadCoverage(db, actor.organisationId);
  return actor;
}

/** A derived hash that no stored hash matches, so that an unknown name costs as much time as a known one. */
let decoyHash: Promise<string> | undefined;

export async function signIn({
  db,
  input: raw,
  requestId,
  now = new Date(),
}: {
  db: PrismaClient;
  input: SignInInput;
  requestId?: string;
  now?: Date;
}): Promise<SignedIn> {
  const input = parseInput(SignInInput, raw);
  const name = Username.safeParse(input.username);
  const user = name.success ? await db.appUser.findUnique({ where: { username: name.data }, include: { organisation: { select: { kind: true } } } }) : null;
  const matches = await verifyPassword(input.password, user?.passwordHash ?? (await (decoyHash ??= hashPassword(randomToken(), PASSWORD_ITERATIONS))));
  if (!user?.passwordHash || !matches || user.disabledAt) {
    await db.$transaction(async (tx) => {
      const ctx = user
        ? {
            db,
            actor: { userId: user.id, organisationId: user.organisationId, organisationKind: user.organisation.kind, role: user.role },
            ...(requestId ? { requestId } : {}),
          }
        : {
            db,
            actor: { userId: UNKNOWN_ACTOR, organisationId: UNKNOWN_ACTOR, organisationKind: 'platform' as const, role: 'admin' as const },
            ...(requestId ? { requestId } : {}),
          };
      await recordAudit(tx, ctx, {
        action: 'session.sign_in_failed',
        recordType: user ? 'app_user' : 'sign_in',
        // Never the text typed: it may be a password typed in the wrong field.
        recordId: user ? user.id : sha256Hex(input.username.trim().toLowerCase()).slice(0, 16),
        after: { reason: !user ? 'unknown_user' : !user.passwordHash ? 'no_password_set' : !matches ? 'wrong_password' : 'user_disabled' },
      });
    });
    throw new SignInFailed();
  }
  const actor = await actorOf(db, user);
  const ctx: ServiceContext = { db, actor, ...(requestId ? { requestId } : {}) };
  const secret = SESSION_PREFIX + randomToken();
  const csrfToken = randomToken();
  const userAgent = input.userAgent ? input.userAgent.slice(0, 200) : null;
  const rehash = needsRehash(user.passwordHash) ? await hashPassword(input.password) : null;
  const row = await inTransaction(ctx, async (tx) => {
    // The password was checked before this transaction (the derivation is slow): a password change
    // or a disable that committed meanwhile ended the user's sessions before this one existed, so
    // it would outlive them. The user's row is held to commit and read again; a change since the
    // check refuses this sign-in, and a change after it waits, then ends this session too.
    if (!(await credentialsUnchanged(tx, user))) throw new SignInFailed();
    const created = await tx.webSession.create({
      data: {
        id: crypto.randomUUID(),
        userId: user.id,
        secretHash: hashSessionSecret(secret),
        csrfToken,
        createdAt: now,
        lastSeenAt: now,
        expiresAt: new Date(now.getTime() + SESSION_LIFETIME_MS),
        userAgent,
      },
    });
    if (rehash) await tx.appUser.update({ where: { id: user.id }, data: { passwordHash: rehash } });
    await recordAudit(tx, ctx, {
      action: 'session.sign_in',
      recordType: 'web_session',
      recordId: created.id,
      after: { userId: user.id, expiresAt: created.expiresAt.toISOString(), rehashed: rehash !== null },
    });
    return created;
  });
  return { secret, csrfToken, session: sessionView(row, row.id), actor, displayName: user.displayName };
}

/**
 * Locks the user's row (FOR NO KEY UPDATE, to commit) and tells whether the password has not been
 * changed (set or changed, not merely re-hashed) and the user not disabled since `seen` was read.
 * Changing the password or disabling the user updates that row, so it waits for this lock, or this
 * waits for it and then reads the committed change.
 */
export async function credentialsUnchanged(tx: Tx, seen: { id: string; passwordChangedAt: Date | null }): Promise<boolean> {
  const [now] = await tx.$queryRaw<{ password_changed_at: Date | null; disabled_at: Date | null }[]>`
    SELECT "password_changed_at", "disabled_at" FROM "app_user" WHERE "id" = ${seen.id}::uuid FOR NO KEY UPDATE`;
  return now !== undefined && now.disabled_at === null && now.password_changed_at?.getTime() === seen.passwordChangedAt?.getTime();
}

export interface ResumedSession {
  actor: Actor;
  sessionId: string;
  csrfToken: string;
  displayName: string;
  username: string | null;
}

/**
 * The session a cookie names, if it is still alive: not ended, not past its absolute expiry, not idle
 * for longer than SESSION_IDLE_MS. Touches last_seen_at (at most once a minute). Null otherwise:
 * the caller shows the sign-in page, saying only that the session ended.
 */
interface SessionRow {
  id: string;
  csrf_token: string;
  alive: boolean;
  stale: boolean;
  user_id: string;
  organisation_id: string;
  role: Actor['role'];
  kind: Actor['organisationKind'];
  display_name: string;
  username: string | null;
}

export async function resumeSession({ db, secret, now = new Date() }: { db: PrismaClient; secret: string; now?: Date }): Promise<ResumedSession | null> {
  if (!secret.startsWith(SESSION_PREFIX) || secret.length > 200) return null;
  // One statement on every page, where the session with its user and organisation through the
  // model API took three round trips.
  const [row] = await db.$queryRaw<SessionRow[]>`
    SELECT s."id", s."csrf_token", u."id" AS user_id, u."organisation_id", u."role"::text AS role, o."kind"::text AS kind,
           u."display_name", u."username",
           (s."ended_at" IS NULL AND u."disabled_at" IS NULL AND s."expires_at" > ${now}::timestamptz
             AND ${now}::timestamptz - s."last_seen_at" <= make_interval(secs => ${SESSION_IDLE_MS / 1000})) AS alive,
           (${now}::timestamptz - s."last_seen_at" > make_interval(secs => ${LAST_SEEN_RESOLUTION_MS / 1000})) AS stale
      FROM "web_session" s
      JOIN "app_user" u ON u."id" = s."user_id"
      JOIN "organisation" o ON o."id" = u."organisation_id"
     WHERE s."secret_hash" = ${hashSessionSecret(secret)}`;
  if (!row?.alive) return null;
  if (row.stale) await db.webSession.updateMany({ where: { id: row.id, endedAt: null }, data: { lastSeenAt: now } });
  const user = { id: row.user_id, organisationId: row.organisation_id, role: row.role, organisation: { kind: row.kind } };
  return { actor: await actorOf(db, user), sessionId: row.id, csrfToken: row.csrf_token, displayName: row.display_name, username: row.username };
}

/** Ends one of the actor's own sessions (sign-out of this one, or revoking another); audited. */
export async function endSession({
  ctx,
  input: raw,
  reason = 'signed_out',
}: UseCaseCall<z.input<typeof EndSessionInput>> & { reason?: 'signed_out' | 'revoked' }): Promise<void> {
  const input = parseInput(EndSessionInput, raw);
  await inTransaction(ctx, async (tx) => {
    const session = await tx.webSession.findFirst({ where: { id: input.sessionId, userId: ctx.actor.userId } });
    if (!session) throw new NotFoundError('session');
    if (session.endedAt) return;
    // Conditional: of two ends at once (two tabs signing out) only one writes and is audited.
    const { count } = await tx.webSession.updateMany({ where: { id: session.id, endedAt: null }, data: { endedAt: new Date(), endReason: reason } });
    if (count === 1)
      await recordAudit(tx, ctx, { action: reason === 'signed_out' ? 'session.sign_out' : 'session.revoke', recordType: 'web_session', recordId: session.id });
  });
}

/** The actor's own sessions that are still alive, newest first. */
export async function listOwnSessions({
  ctx,
  currentSessionId,
  now = new Date(),
}: {
  ctx: ServiceContext;
  currentSessionId?: string;
  now?: Date;
}): Promise<SessionView[]> {
  requirePermission(ctx.actor, 'session.own');
  const rows = await ctx.db.webSession.findMany({
    where: { userId: ctx.actor.userId, endedAt: null, expiresAt: { gt: now }, lastSeenAt: { gt: new Date(now.getTime() - SESSION_IDLE_MS) } },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
  });
  return rows.map((r) => sessionView(r, currentSessionId));
}
