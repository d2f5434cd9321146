// Users and their bearer tokens. A token's secret is shown once, when it is issued; only its
// SHA-256 is stored. Tokens are 256-bit random, so a plain hash (no salt, no slow KDF) is the
// right tool: there is nothing to brute-force.
import { randomToken } from '../domain/random-token.ts';
import { sha256Hex } from '../domain/sha256.ts';
import { UnauthenticatedError, ValidationError } from '../domain/errors.ts';
import type { Role } from '../domain/roles.ts';
import type { PrismaClient } from '#prisma';
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
  foundation: ['foundation_viewer', 'coordinator'],
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

interface TokenRow {
  id: string;
  usable: boolean;
  stale: boolean;
  user_id: string;
  organisation_id: string;
  role: Role;
  kind: Actor['organisationKind'];
}

/** Resolves a bearer secret to its actor, or throws the same vague error for every kind of failure. */
export async function authenticate(db: PrismaClient, secret: string, now: Date = new Date()): Promise<Actor> {
  if (!secret.startsWith(TOKEN_PREFIX) || secret.length > 200) throw new UnauthenticatedError();
  // One statement on every request, where the token with its user and organisation through the
  // model API took three round trips.
  const [token] = await db.$queryRaw<TokenRow[]>`
    SELECT t."id", u."id" AS user_id, u."organisation_id", u."role"::text AS role, o."kind"::text AS kind,
           -- A disabled user's tokens stop working at once, and work again if the user is enabled.
           (t."revoked_at" IS NULL AND (t."expires_at" IS NULL OR t."expires_at" > ${now}::timestamptz) AND u."disabled_at" IS NULL) AS usable,
           (t."last_used_at" IS NULL OR ${now}::timestamptz - t."last_used_at" > make_interval(secs => ${LAST_USED_RESOLUTION_MS / 1000})) AS stale
      FROM "api_token" t
      JOIN "app_user" u ON u."id" = t."user_id"
      JOIN "organisation" o ON o."id" = u."organisation_id"
     WHERE t."token_hash" = ${hashToken(secret)}`;
  if (!token?.usable) throw new UnauthenticatedError();
  if (token.stale) await db.apiToken.update({ where: { id: token.id }, data: { lastUsedAt: now } });
  const actor: Actor = { userId: token.user_id, organisationId: token.organisation_id, organisationKind: token.kind, role: token.role };
  // Read per request, so an engagement made or ended applies to the very next request.
  if (actor.role === 'auditor') actor.coverage = await loadCoverage(db, actor.organisationId);
  return actor;
}
