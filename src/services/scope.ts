// Which records an actor may see. Outside the scope a record answers "not found", never
// "forbidden", so a caller cannot even learn that it exists.
import { Prisma } from '../generated/prisma/client.ts';
import { ForbiddenError } from '../domain/errors.ts';
import { type Action, may } from '../domain/roles.ts';
import type { Actor } from './context.ts';

/** Programmes visible to the actor: its department's, its foundation's, or all for auditors and admins. */
export function programmeScope(actor: Actor): Prisma.ProgrammeWhereInput {
  switch (actor.role) {
    case 'admin':
    case 'auditor':
      return {};
    case 'foundation_viewer':
      return { funderId: actor.organisationId };
    case 'caseworker':
    case 'approver':
    case 'finance':
      return { administratorId: actor.organisationId };
  }
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
  switch (actor.role) {
    case 'admin':
    case 'auditor':
      return Prisma.sql`TRUE`;
    case 'foundation_viewer':
      return Prisma.sql`p."funder_id" = ${actor.organisationId}::uuid`;
    case 'caseworker':
    case 'approver':
    case 'finance':
      return Prisma.sql`p."administrator_id" = ${actor.organisationId}::uuid`;
  }
}

export function requirePermission(actor: Actor, action: Action): void {
  if (!may(actor.role, action)) throw new ForbiddenError(action.replace('.', ' '));
}
