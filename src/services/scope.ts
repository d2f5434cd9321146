// Which records an actor may see. Outside the scope a record answers "not found", never
// "forbidden", so a caller cannot even learn that it exists.
import { Prisma } from '../generated/prisma/client.ts';
import { ForbiddenError } from '../domain/errors.ts';
import { type Action, type Role, may } from '../domain/roles.ts';
import type { Actor } from './context.ts';

/** Which programmes a role sees: all of them, those its organisation funds, or those it administers. */
const PROGRAMME_SCOPE: Record<Role, 'all' | 'funder' | 'administrator'> = {
  admin: 'all',
  auditor: 'all',
  foundation_viewer: 'funder',
  caseworker: 'administrator',
  approver: 'administrator',
  finance: 'administrator',
};

/** Programmes visible to the actor: its department's, its foundation's, or all for auditors and admins. */
export function programmeScope(actor: Actor): Prisma.ProgrammeWhereInput {
  const scope = PROGRAMME_SCOPE[actor.role];
  if (scope === 'funder') return { funderId: actor.organisationId };
  if (scope === 'administrator') return { administratorId: actor.organisationId };
  return {};
}

/**
 * The same scope as SQL over a `programme` row aliased `p`, for one statement that serves several
 * actors at once: `role` and `organisationId` are SQL expressions of each row's actor.
 */
export function programmeScopeSqlPerRow(role: Prisma.Sql, organisationId: Prisma.Sql): Prisma.Sql {
  const rolesWith = (scope: string) => Object.entries(PROGRAMME_SCOPE).filter(([, s]) => s === scope).map(([r]) => r);
  return Prisma.sql`(${role} = ANY(${rolesWith('all')}::text[])
    OR (${role} = ANY(${rolesWith('funder')}::text[]) AND p."funder_id" = ${organisationId})
    OR (${role} = ANY(${rolesWith('administrator')}::text[]) AND p."administrator_id" = ${organisationId}))`;
}

/**
 * Students visible to the actor: its department's files; for a foundation, students with an
 * eligibility determination in a programme it funds; everything for auditors and admins.
 */
export function studentScope(actor: Actor): Prisma.StudentWhereInput {
  switch (actor.role) {
    case 'admin':
    case 'auditor':
      return {};
    case 'foundation_viewer':
      return { eligibility: { some: { programme: { funderId: actor.organisationId } } } };
    case 'caseworker':
    case 'approver':
    case 'finance':
      return { departmentId: actor.organisationId };
  }
}

/** The same programme scope as a SQL condition on a `programme` row aliased `p`, for hot paths in raw SQL. */
export function programmeScopeSql(actor: Actor): Prisma.Sql {
  const scope = PROGRAMME_SCOPE[actor.role];
  if (scope === 'funder') return Prisma.sql`p."funder_id" = ${actor.organisationId}::uuid`;
  if (scope === 'administrator') return Prisma.sql`p."administrator_id" = ${actor.organisationId}::uuid`;
  return Prisma.sql`TRUE`;
}

/**
 * Users (and so their tokens) an admin manages: every organisation's for the platform operator's
 * admin, its own organisation's for any other admin (a department's admin manages its staff).
 */
export function userScope(actor: Actor): Prisma.AppUserWhereInput {
  return actor.organisationKind === 'platform' ? {} : { organisationId: actor.organisationId };
}

export function requirePermission(actor: Actor, action: Action): void {
  if (!may(actor.role, action)) throw new ForbiddenError(action.replace('.', ' '));
}
