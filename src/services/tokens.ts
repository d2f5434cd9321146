// Users and their bearer tokens. A token's secret is shown once, when it is issued; only its
// SHA-256 is stored. Tokens are 256-bit random, so a plain hash (no salt, no slow KDF) is the
// right tool: there is nothing to brute-force.
import { randomToken } from '../domain/random-token.ts';
import { sha256Hex } from '../domain/sha256.ts';
import { UnauthenticatedError, ValidationError } from '../domain/errors.ts';
import type { Role } from '../domain/roles.ts';
import type { PrismaClient } from '../generated/prisma/client.ts';
import { loadCoverage } from './audit-engagements.ts';
import type { Actor, Tx } from './context.ts';

const TOKEN_PREFIX = 'sl_';
/** Writing last_used_at on every request would turn every read into a write; once a minute is enough. */
const LAST_USED_RESOLUTION_MS = 60_000;

export function hashToken(secret: string): string {
  return sha256Hex(secret);
}

export interface IssuedToken {
  id: string;
  userId: string;
  /** Shown once; never stored. */
  secret: string;
  prefix: string;
  expiresAt: string | null;
}

/** Which roles an organisation kind can hold: a foundation cannot have a finance officer of the department. */
export const ROLES_BY_KIND: Record<string, Role[]> = {
  civil_affairs: ['caseworker', 'approver', 'finance', 'admin'],
  foundation: ['foundation_viewer'],
  audit: ['auditor'],
  platform: ['admin', 'auditor'],
};

export async function createUser(db: Tx, input: { organisationId: string; displayName: string; role: Role }): Promise<{ id: string }> {
  const org = await db.organisation.findUnique({ where: { id: input.organisationId } });
  if (!org) throw new ValidationError([{ path: 'organisationId', message: 'no such organisation' }]);
  if (!ROLES_BY_KIND[org.kind]?.includes(input.role)) {
    throw new ValidationError([{ path: 'role', message: `a ${org.kind} organisation cannot hold the role ${input.role}` }]);
  }
  const id = crypto.randomUUID();
  await db.appUser.create({ data: { id, organisationId: org.id, displayName: input.displayName, role: input.role } });
  return { id };
}

/** A new bearer secret, the prefix shown in lists and the hash that is stored (never the secret). */
export function newTokenSecret(): { secret: string; prefix: string; tokenHash: string } {
  const secret = TOKEN_PREFIX + randomToken();
  return { secret, prefix: secret.slice(0, TOKEN_PREFIX.length + 6), tokenHash: hashToken(secret) };
}

export async function issueToken(db: Tx, input: { userId: string; label: string; expiresAt?: Date | null }): Promise<IssuedToken> {
  const { secret, prefix, tokenHash } = newTokenSecret();
  const id = crypto.randomUUID();
  await db.apiToken.create({
    data: { id, userId: input.userId, label: input.label, prefix, tokenHash, expiresAt: input.expiresAt ?? null },
  });
  return { id, userId: input.userId, secret, prefix, expiresAt: input.expiresAt?.toISOString() ?? null };
}

/** Resolves a bearer secret to its actor, or throws the same vague error for every kind of failure. */
export async function authenticate(db: PrismaClient, secret: string, now: Date = new Date()): Promise<Actor> {
  if (!secret.startsWith(TOKEN_PREFIX) || secret.length > 200) throw new UnauthenticatedError();
  const token = await db.apiToken.findUnique({
    where: { tokenHash: hashToken(secret) },
    include: { user: { include: { organisation: { select: { kind: true } } } } },
  });
  // A disabled user's tokens stop working at once, and work again if the user is enabled.
  if (!token || token.revokedAt || (token.expiresAt && token.expiresAt <= now) || token.user.disabledAt) throw new UnauthenticatedError();
  if (!token.lastUsedAt || now.getTime() - token.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    await db.apiToken.update({ where: { id: token.id }, data: { lastUsedAt: now } });
  }
  const actor: Actor = {
    userId: token.user.id,
    organisationId: token.user.organisationId,
    organisationKind: token.user.organisation.kind,
    role: token.user.role,
  };
  // Read per request, so an engagement made or ended applies to the very next request.
  if (actor.role === 'auditor') actor.coverage = await loadCoverage(db, actor.organisationId);
  return actor;
}
