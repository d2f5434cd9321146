// Eligibility determinations and grants are both proposals decided by another user, and are handled
// the same way: proposed for a student on the file of the department that administers the programme,
// for an academic year the programme runs; decided only while proposed, never by the proposer;
// listed in the actor's programmes, newest proposal first, filtered by programme, student and
// academic year. One place for what the two share, so that a change reaches both.
import { type AcademicYear, formatAcademicYear } from '../domain/academic-year.ts';
import { ConflictError, NotFoundError, RuleViolationError } from '../domain/errors.ts';
import type { Action } from '../domain/roles.ts';
import type { RecordType } from '../domain/error-catalogue.ts';
import { z } from 'zod';
import { type Actor, type ServiceContext, type Tx, inTransaction } from './context.ts';
import { AcademicYearText, PageInput, Reason, Uuid, academicYearField } from './fields.ts';
import { type NewestFirst, type Page, newestFirst, withItems } from './pagination.ts';
import { programmeScope, requirePermission, studentScope } from './scope.ts';

/** The filters of every list of proposals; each list adds its own (status, cohort…). */
export const ProposalListInput = PageInput.extend({
  programmeId: Uuid.optional(),
  studentId: Uuid.optional(),
  academicYear: AcademicYearText.optional(),
});
export type ProposalFilters = Partial<z.output<typeof ProposalListInput>>;

/** A decision names the proposal; the reason is optional on approval, required on rejection. */
export const ApproveProposalInput = z.strictObject({ id: Uuid, reason: Reason.optional() });
export const RejectProposalInput = z.strictObject({ id: Uuid, reason: Reason });

/** What every view of a proposal shows of its student (masked forms only: it goes to every role that may read it) and programme. */
export const PROPOSAL_PARTIES = {
  student: { select: { id: true, nameMasked: true, identityNumberMasked: true } },
  programme: { select: { id: true, code: true, name: true } },
} as const;

/** What every view of a proposal holds, beside what its kind adds. */
export interface ProposalView {
  id: string;
  student: { id: string; nameMasked: string; identityNumberMasked: string };
  programme: { id: string; code: string; name: string };
  academicYear: string;
  proposedById: string;
  proposedAt: string;
  decision: { decidedById: string; decidedAt: string; reason: string | null } | null;
}

/**
 * A list of proposals: the conditions every such list applies (each list adds its own: status,
 * cohort…), its order and size, and the page of the rows fetched.
 */
export function proposalList(actor: Actor, input: ProposalFilters) {
  const year = input.academicYear === undefined ? null : academicYearField(input.academicYear);
  const keyset = newestFirst('proposedAt', 'moment', input);
  const conditions = [
    { programme: programmeScope(actor) },
    input.programmeId ? { programmeId: input.programmeId } : {},
    input.studentId ? { studentId: input.studentId } : {},
    year ? { academicYear: year.startYear } : {},
    keyset.after,
  ];
  return { conditions, order: keyset.order, page: keyset.page };
}

/**
 * What a proposal is for: a programme the actor sees (else 404 naming programmeId), with the
 * permission to propose (else 403), a student on the file of the department that administers it
 * (else 404 naming studentId), and an academic year it runs (else 422).
 */
export async function proposalSubjects(tx: Tx, ctx: ServiceContext, input: { programmeId: string; studentId: string }, year: AcademicYear, action: Action) {
  const programme = await tx.programme.findFirst({ where: { AND: [{ id: input.programmeId }, programmeScope(ctx.actor)] } });
  if (!programme) throw new NotFoundError('programme', [{ path: 'programmeId', message: 'no such programme' }]);
  requirePermission(ctx.actor, action);
  const student = await tx.student.findFirst({ where: { AND: [{ id: input.studentId }, studentScope(ctx.actor)] } });
  if (!student || student.departmentId !== programme.administratorId) {
    throw new NotFoundError('student', [{ path: 'studentId', message: 'no such student' }]);
  }
  if (year.startYear < programme.firstAcademicYear || year.startYear > programme.lastAcademicYear) {
    throw new RuleViolationError('academic_year_outside_programme', {
      from: formatAcademicYear(programme.firstAcademicYear),
      to: formatAcademicYear(programme.lastAcademicYear),
      field: 'academicYear',
    });
  }
  return { programme, student };
}

/** The columns every new proposal has: for whom, in which programme and year, proposed by the actor. */
export function proposedBy(ctx: ServiceContext, subjects: { programme: { id: string }; student: { id: string } }, year: AcademicYear) {
  const { programme, student } = subjects;
  return {
    id: crypto.randomUUID(),
    studentId: student.id,
    programmeId: programme.id,
    academicYear: year.startYear,
    status: 'proposed' as const,
    proposedById: ctx.actor.userId,
  };
}

/** The kinds of proposal, as the refusals name them. */
const RECORDS = {
  grant: { conflict: 'grant', makerChecker: 'grant', decide: 'grant.decide' },
  eligibility: { conflict: 'eligibility determination', makerChecker: 'eligibility', decide: 'eligibility.decide' },
} as const;
export type ProposalKind = keyof typeof RECORDS;

/** The proposer may not decide it; another approver must. */
export function makerCheckerError(kind: ProposalKind): RuleViolationError<'maker_checker'> {
  return new RuleViolationError('maker_checker', { record: RECORDS[kind].makerChecker });
}

/** Decided once only: the proposal must still be proposed (409 already_decided), and by someone else (422 maker_checker). */
export function requireProposedByAnother(kind: ProposalKind, row: { status: string; proposedById: string }, ctx: ServiceContext): void {
  if (row.status !== 'proposed') throw new ConflictError('already_decided', { record: RECORDS[kind].conflict, currentStatus: row.status });
  if (row.proposedById === ctx.actor.userId) throw makerCheckerError(kind);
}

/**
 * A decision on a proposal, in one transaction: the proposal locked by `lock` (which answers 404
 * outside the actor's programmes and 403 without the permission to decide), still proposed and not
 * the actor's own; then `decide`.
 */
export function deciding<Row extends { status: string; proposedById: string }, T>(
  ctx: ServiceContext,
  kind: ProposalKind,
  lock: (tx: Tx, ctx: ServiceContext, id: string, action: Action) => Promise<Row>,
  id: string,
  decide: (tx: Tx, row: Row) => Promise<T>,
): Promise<T> {
  return inTransaction(ctx, async (tx) => {
    const row = await lock(tx, ctx, id, RECORDS[kind].decide);
    requireProposedByAnother(kind, row, ctx);
    return decide(tx, row);
  });
}

/** The columns every decision writes: its status, who decided, when and why. */
export function decisionBy<S extends 'approved' | 'rejected'>(ctx: ServiceContext, status: S, reason: string | null) {
  return { status, decidedById: ctx.actor.userId, decidedAt: new Date(), decisionReason: reason };
}

/** The decision was written by no row: another decided it meanwhile. */
export function decidedMeanwhile(kind: ProposalKind): ConflictError<'already_decided'> {
  return new ConflictError('already_decided', { record: RECORDS[kind].conflict });
}

type Condition = ReturnType<typeof proposalList>['conditions'][number] | { id: string };

/** Where a kind of proposal is read from, and how its rows become views. */
export interface ProposalSource<Row, View, Where> {
  /** The rows matching every condition, newest proposal first (`order` also limits them). */
  find(db: Tx, where: { AND: (Condition | Where)[] }, order?: NewestFirst<'proposedAt'>['order']): Promise<Row[]>;
  views(db: Tx, rows: Row[]): Promise<View[]>;
}

/**
 * The reads of a kind of proposal: a page of a list (the list's own conditions added to the shared
 * ones), one by id for the actor (outside its programmes a 404; without the permission a 403), and
 * one by id as a use case that wrote it shows it.
 */
export function proposalReads<Row extends { id: string; proposedAt: Date }, View, Where>(
  record: RecordType,
  action: Action,
  source: ProposalSource<Row, View, Where>,
) {
  const one = async (db: Tx, conditions: Condition[]): Promise<View | undefined> => {
    const rows = await source.find(db, { AND: conditions });
    return rows.length === 0 ? undefined : (await source.views(db, rows))[0];
  };
  return {
    async list(ctx: ServiceContext, input: ProposalFilters, own: Where[]): Promise<Page<View>> {
      requirePermission(ctx.actor, action);
      const list = proposalList(ctx.actor, input);
      const page = list.page(await source.find(ctx.db, { AND: [...list.conditions, ...own] }, list.order));
      return withItems(page, await source.views(ctx.db, page.items));
    },
    async get(ctx: ServiceContext, id: string): Promise<View> {
      const view = await one(ctx.db, [{ id }, { programme: programmeScope(ctx.actor) }]);
      if (!view) throw new NotFoundError(record);
      requirePermission(ctx.actor, action);
      return view;
    },
    async view(db: Tx, id: string): Promise<View> {
      const view = await one(db, [{ id }]);
      if (!view) throw new Error(`${record} ${id} is not on record`);
      return view;
    },
  };
}
