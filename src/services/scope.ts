// Which records an actor may see. Outside the scope a record answers "not found", never
// "forbidden", so a caller cannot even learn that it exists.
import { Prisma } from '#prisma';
import { type Coverage, NO_COVERAGE } from '../domain/audit-engagements.ts';
import { ForbiddenError } from '../domain/errors.ts';
import { type Action, type Role, may } from '../domain/roles.ts';
import type { Actor } from './context.ts';

type ProgrammeScopeKind = 'all' | 'funder' | 'administrator' | 'engagement';

/**
 * Which programmes a role sees: all of them, those its organisation funds, those it administers,
 * or (auditors) those its organisation's current audit engagements cover (`actor.coverage`).
 * An admin sees what its organisation sees (ADMIN_SCOPE): only the platform operator's admins see
 * every programme — a department's or a foundation's admin manages its own organisation and never
 * reads another's programmes or students.
 */
const PROGRAMME_SCOPE: Record<Exclude<Role, 'admin'>, ProgrammeScopeKind> = {
  auditor: 'engagement',
  foundation_viewer: 'funder',
  coordinator: 'funder',
  caseworker: 'administrator',
  approver: 'administrator',
  finance: 'administrator',
};

const ADMIN_SCOPE: Record<Actor['organisationKind'], ProgrammeScopeKind> = {
  platform: 'all',
  civil_affairs: 'administrator',
  foundation: 'funder',
  // An audit office's admin carries no engagement coverage: it sees no programme (fails closed).
  audit: 'engagement',
};

function scopeKindOf(actor: Actor): ProgrammeScopeKind {
  return actor.role === 'admin' ? ADMIN_SCOPE[actor.organisationKind] : PROGRAMME_SCOPE[actor.role];
}

/** An auditor's coverage; a missing one (no current engagement) covers nothing, so a slip fails closed. */
function coverageOf(actor: Actor): Coverage {
  return actor.coverage ?? NO_COVERAGE;
}

/** True when the actor sees every programme: platform admins, and auditors engaged on all programmes. */
export function seesAllProgrammes(actor: Actor): boolean {
  const scope = scopeKindOf(actor);
  return scope === 'all' || (scope === 'engagement' && coverageOf(actor).kind === 'all');
}

/**
 * Whether the actor may manage (create, set the bands of) a programme administered by
 * `administratorId`: the platform's admins any programme, an organisation's own admin only its
 * organisation's — a department's admin never reaches into another department's programmes.
 */
export function managesProgrammesOf(actor: Actor, administratorId: string): boolean {
  return actor.role === 'admin' && (actor.organisationKind === 'platform' || actor.organisationId === administratorId);
}

/** Programmes visible to the actor: its department's, its foundation's, its engagement's, or all for platform admins. */
export function programmeScope(actor: Actor): Prisma.ProgrammeWhereInput {
  const scope = scopeKindOf(actor);
  if (scope === 'funder') return { funderId: actor.organisationId };
  if (scope === 'administrator') return { administratorId: actor.organisationId };
  if (scope === 'engagement') {
    const coverage = coverageOf(actor);
    if (coverage.kind === 'programmes') return { id: { in: coverage.programmeIds } };
  }
  return {};
}

/**
 * The same scope as SQL over a `programme` row aliased `p`, for one statement that serves several
 * actors at once (today: funding receipts written in one group commit, by finance officers):
 * `role` and `organisationId` are SQL expressions of each row's actor. An auditor's coverage is
 * not carried per row, so auditors (scope 'engagement') match no programme here: they write
 * nothing through such statements, and a future caller that tried would be refused, not let in.
 */
export function programmeScopeSqlPerRow(role: Prisma.Sql, organisationId: Prisma.Sql): Prisma.Sql {
  // Admins are left out: their scope depends on their organisation's kind, not carried per row.
  const rolesWith = (scope: string) =>
    Object.entries(PROGRAMME_SCOPE)
      .filter(([, s]) => s === scope)
      .map(([r]) => r);
  return Prisma.sql`((${role} = ANY(${rolesWith('funder')}::text[]) AND p."funder_id" = ${organisationId})
    OR (${role} = ANY(${rolesWith('administrator')}::text[]) AND p."administrator_id" = ${organisationId}))`;
}

/**
 * Students visible to the actor: its department's files; for a foundation, students with an
 * eligibility determination in a programme it funds; for an auditor, the same in a programme its
 * engagement covers (everyone under an engagement on all programmes); for admins, their organisation's
 * (everything for the platform operator's).
 */
export function studentScope(actor: Actor): Prisma.StudentWhereInput {
  if (actor.role === 'admin') {
    // As its organisation sees them (see ADMIN_SCOPE).
    const scope = scopeKindOf(actor);
    if (scope === 'all') return {};
    if (scope === 'administrator') return { departmentId: actor.organisationId };
    if (scope === 'funder') return { eligibility: { some: { programme: { funderId: actor.organisationId } } } };
    return { id: { in: [] } };
  }
  switch (actor.role) {
    case 'auditor': {
      const coverage = coverageOf(actor);
      if (coverage.kind === 'all') return {};
      return { eligibility: { some: { programmeId: { in: coverage.programmeIds } } } };
    }
    case 'foundation_viewer':
    case 'coordinator':
      return { eligibility: { some: { programme: { funderId: actor.organisationId } } } };
    case 'caseworker':
    case 'approver':
    case 'finance':
      return { departmentId: actor.organisationId };
  }
}

/** The same programme scope as a SQL condition on a `programme` row aliased `p`, for hot paths in raw SQL. */
export function programmeScopeSql(actor: Actor): Prisma.Sql {
  const scope = scopeKindOf(actor);
  if (scope === 'funder') return Prisma.sql`p."funder_id" = ${actor.organisationId}::uuid`;
  if (scope === 'administrator') return Prisma.sql`p."administrator_id" = ${actor.organisationId}::uuid`;
  if (scope === 'engagement') {
    const coverage = coverageOf(actor);
    if (coverage.kind === 'programmes') return Prisma.sql`p."id" = ANY(${coverage.programmeIds}::uuid[])`;
  }
  return Prisma.sql`TRUE`;
}

/**
 * Users (and so their tokens) an admin manages: every organisation's for the platform operator's
 * admin, its own organisation's for any other admin (a department's admin manages its staff).
 */
export function userScope(actor: Actor): Prisma.AppUserWhereInput {
  return actor.organisationKind === 'platform' ? {} : { organisationId: actor.organisationId };
}

/**
 * Organisations visible to the actor (organisation.read: admins and auditors). An auditor on listed
 * programmes sees its own organisation and the funders and administrators of those programmes
 * only: the full list would tell it which departments and foundations exist beyond its engagement.
 */
export function organisationScope(actor: Actor): Prisma.OrganisationWhereInput {
  if (seesAllProgrammes(actor)) return {};
  const programmes = programmeScope(actor);
  return {
    OR: [{ id: actor.organisationId }, { fundedProgrammes: { some: programmes } }, { administeredProgrammes: { some: programmes } }],
  };
}

/**
 * Audit events visible to the actor: everything for auditors engaged on all programmes and the platform's admins; an admin
 * of any other organisation sees its own organisation's events only. The one place to change it.
 */
export function auditEventScope(actor: Actor): Prisma.AuditEventWhereInput {
  // An auditor engaged on listed programmes does not see the whole trail: events are not tied to
  // one programme, and another programme's would show.
  if (actor.role === 'auditor') return seesAllProgrammes(actor) ? {} : { id: { lt: 0 } };
  if (actor.role === 'admin' && actor.organisationKind === 'platform') return {};
  return { organisationId: actor.organisationId };
}

export function requirePermission(actor: Actor, action: Action): void {
  if (!may(actor.role, action)) throw new ForbiddenError(action.replace('.', ' '));
}
