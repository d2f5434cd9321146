// Organisations: the civil-affairs departments, foundations, audit bodies and the platform operator.
// Only an admin of the platform organisation adds one; admins and auditors read them (in scope).
import { z } from 'zod';
import { ConflictError, ForbiddenError, NotFoundError } from '../domain/errors.ts';
import { isUniqueViolation } from '../db/errors.ts';
import { recordAudit } from './audit.ts';
import { type OrganisationKind as OrganisationKindValue, type UseCaseCall, inTransaction } from './context.ts';
import { type Page, decodeCursor, pageOf } from './pagination.ts';
import { organisationScope, requirePermission } from './scope.ts';
import { Code, Name, PageInput, Uuid } from './fields.ts';
import { parseInput } from './validation.ts';

export const OrganisationKind = z.enum(['civil_affairs', 'foundation', 'audit', 'platform']);

export const CreateOrganisationInput = z.strictObject({ code: Code, name: Name, kind: OrganisationKind });
export type CreateOrganisationInput = z.input<typeof CreateOrganisationInput>;

export const ListOrganisationsInput = PageInput.extend({ kind: OrganisationKind.optional() });
export type ListOrganisationsInput = z.input<typeof ListOrganisationsInput>;

export const GetOrganisationInput = z.strictObject({ id: Uuid });

export interface OrganisationView {
  id: string;
  code: string;
  name: string;
  kind: OrganisationKindValue;
  createdAt: string;
}

function view(o: { id: string; code: string; name: string; kind: OrganisationKindValue; createdAt: Date }): OrganisationView {
  return { id: o.id, code: o.code, name: o.name, kind: o.kind, createdAt: o.createdAt.toISOString() };
}

export async function createOrganisation({ ctx, input: raw }: UseCaseCall<CreateOrganisationInput>): Promise<OrganisationView> {
  const input = parseInput(CreateOrganisationInput, raw);
  requirePermission(ctx.actor, 'organisation.create');
  // Which bodies take part is the platform's to decide: a department's admin manages its own staff.
  if (ctx.actor.organisationKind !== 'platform') throw new ForbiddenError('create organisations outside the platform organisation');
  return inTransaction(ctx, async (tx) => {
    const existing = await tx.organisation.findUnique({ where: { code: input.code } });
    if (existing) throw new ConflictError('duplicate_organisation_code', { existingId: existing.id });
    const created = await tx.organisation.create({ data: { id: crypto.randomUUID(), ...input } }).catch((error: unknown) => {
      // A concurrent creation of the same code won the unique index after the check above; the
      // transaction is spoilt, so the winner's id cannot be looked up here.
      if (isUniqueViolation(error)) throw new ConflictError('duplicate_organisation_code');
      throw error;
    });
    await recordAudit(tx, ctx, { action: 'organisation.create', recordType: 'organisation', recordId: created.id, after: view(created) });
    return view(created);
  });
}

export async function listOrganisations({ ctx, input: raw }: UseCaseCall<ListOrganisationsInput>): Promise<Page<OrganisationView>> {
  const input = parseInput(ListOrganisationsInput, raw);
  requirePermission(ctx.actor, 'organisation.read');
  const after = decodeCursor(input.cursor, ['code']);
  const rows = await ctx.db.organisation.findMany({
    where: { AND: [organisationScope(ctx.actor), { ...(input.kind ? { kind: input.kind } : {}), ...(after ? { code: { gt: after.code } } : {}) }] },
    orderBy: { code: 'asc' },
    take: input.limit + 1,
  });
  return pageOf(rows.map(view), input.limit, (o) => ({ code: o.code }));
}

export async function getOrganisation({ ctx, input: raw }: UseCaseCall<z.input<typeof GetOrganisationInput>>): Promise<OrganisationView> {
  const input = parseInput(GetOrganisationInput, raw);
  requirePermission(ctx.actor, 'organisation.read');
  const row = await ctx.db.organisation.findFirst({ where: { AND: [{ id: input.id }, organisationScope(ctx.actor)] } });
  if (!row) throw new NotFoundError('organisation');
  return view(row);
}
