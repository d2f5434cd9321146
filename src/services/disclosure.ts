// The quarterly disclosure report (慈善项目实施情况公开) of one programme (src/domain/disclosure-report.ts):
// the facts read in one snapshot — the ledger's head, the programme's ledger transactions dated in and
// up to the quarter, the grants approved in it, the participations in its activities and the cohorts'
// outcomes as of its last day — made into aggregates with small cells hidden, and audited with the
// report's hash (nothing about anyone). A quarter not yet over on the Beijing business date is refused.
import { z } from 'zod';
import { formatAcademicYear } from '../domain/academic-year.ts';
import { cohortOutcomes } from '../domain/cohort-outcomes.ts';
import { todayInChina } from '../domain/dates.ts';
import { type DisclosureFacts, type DisclosureReport, disclosureContent, disclosureReport } from '../domain/disclosure-report.ts';
import type { EnrolmentLevel } from '../domain/eligibility.ts';
import type { EmpowermentKind, ParticipationStatus } from '../domain/empowerment.ts';
import { RuleViolationError } from '../domain/errors.ts';
import { kindTotal } from '../domain/money-flows.ts';
import { type Quarter, parseQuarter, quarterIsOver } from '../domain/quarters.ts';
import { type DisclosureFormat, disclosureFile } from '../files/disclosure-files.ts';
import type { TableFile } from '../files/table.ts';
import { cohortOutcomeFacts } from './cohort-outcomes.ts';
import type { KindRow } from './programme-money.ts';
import { type Tx, type UseCaseCall, runTransaction } from './context.ts';
import { Uuid } from './fields.ts';
import { recordAudit } from './audit.ts';
import { findProgrammeInScope } from './programmes.ts';
import { requirePermission } from './scope.ts';
import { parseInput } from './validation.ts';

export const QuarterText = z
  .string({ message: 'must be a quarter written like 2026Q1' })
  .refine((text) => parseQuarter(text) !== null, { message: 'must be a quarter written like 2026Q1' })
  .meta({ type: 'string', pattern: '^[0-9]{4}Q[1-4]$', example: '2026Q1' });

export const DisclosureInput = z.strictObject({ programmeId: Uuid, quarter: QuarterText });
export type DisclosureInput = z.input<typeof DisclosureInput>;

/**
 * The programme's ledger transactions up to the head, dated from `from` (or the beginning) to `to`, per
 * kind: a reversal counts against the kind it reverses, in the quarter it is dated in.
 */
async function ledgerKinds(tx: Tx, programmeId: string, headSeq: string, from: string | null, to: string) {
  const rows = await tx.$queryRaw<KindRow[]>`
    SELECT coalesce(o."kind", t."kind")::text AS kind,
           (count(*) FILTER (WHERE t."reverses_id" IS NULL))::int AS transactions,
           coalesce(sum(d.amount) FILTER (WHERE t."reverses_id" IS NULL), 0)::text AS amount,
           coalesce(sum(d.amount) FILTER (WHERE t."reverses_id" IS NOT NULL), 0)::text AS reversed
      FROM "ledger_transaction" t
      LEFT JOIN "ledger_transaction" o ON o."id" = t."reverses_id"
      JOIN LATERAL (
        SELECT sum(e."amount") AS amount FROM "ledger_entry" e WHERE e."transaction_id" = t."id" AND e."direction" = 'debit'
      ) d ON true
     WHERE t."programme_id" = ${programmeId}::uuid AND t."seq" <= ${headSeq}::bigint
       AND (${from}::date IS NULL OR t."event_date" >= ${from}::date) AND t."event_date" <= ${to}::date
     GROUP BY 1 ORDER BY 1`;
  return rows.map((r) => kindTotal(r.kind, r.transactions, r.amount, r.reversed));
}

async function readFacts(tx: Tx, programme: { id: string; code: string; name: string }, quarter: Quarter): Promise<DisclosureFacts> {
  const newest = await tx.ledgerTransaction.findFirst({ orderBy: { seq: 'desc' }, select: { seq: true, hash: true } });
  const chainHead = newest ? { seq: newest.seq.toString(), hash: newest.hash } : null;
  const headSeq = chainHead?.seq ?? '0';
  const grantsApproved = await tx.$queryRaw<{ studentId: string; level: EnrolmentLevel; regionCode: string; amount: string }[]>`
    SELECT g."student_id"::text AS "studentId", g."level"::text AS "level", s."region_code" AS "regionCode", g."amount"::text AS "amount"
      FROM "grant" g JOIN "student" s ON s."id" = g."student_id"
     WHERE g."programme_id" = ${programme.id}::uuid AND g."status" IN ('approved', 'ended')
       AND g."approved_on" BETWEEN ${quarter.startsOn}::date AND ${quarter.endsOn}::date
     ORDER BY g."id"`;
  const participations = await tx.$queryRaw<{ kind: EmpowermentKind; status: ParticipationStatus; studentId: string }[]>`
    SELECT a."kind"::text AS kind, p."status"::text AS status, p."student_id"::text AS "studentId"
      FROM "empowerment_participation" p JOIN "empowerment_activity" a ON a."id" = p."activity_id"
     WHERE a."programme_id" = ${programme.id}::uuid AND a."starts_on" BETWEEN ${quarter.startsOn}::date AND ${quarter.endsOn}::date
     ORDER BY p."id"`;
  return {
    programme: { code: programme.code, name: programme.name },
    quarter,
    chainHead,
    ledgerInQuarter: await ledgerKinds(tx, programme.id, headSeq, quarter.startsOn, quarter.endsOn),
    ledgerToQuarterEnd: await ledgerKinds(tx, programme.id, headSeq, null, quarter.endsOn),
    grantsApproved,
    participations,
    cohorts: cohortOutcomes(await cohortOutcomeFacts(tx, programme.id, quarter.endsOn)),
  };
}

/** Produces the report of a programme the actor sees (else 404) for a quarter that is over (else 422), audited. */
export async function produceDisclosure({ ctx, input: raw }: UseCaseCall<DisclosureInput>): Promise<DisclosureReport> {
  const input = parseInput(DisclosureInput, raw);
  requirePermission(ctx.actor, 'disclosure.produce');
  const quarter = parseQuarter(input.quarter) as Quarter;
  const programme = await findProgrammeInScope(ctx.db, ctx, input.programmeId);
  if (!quarterIsOver(quarter, todayInChina())) {
    throw new RuleViolationError('quarter_not_over', { field: 'quarter', quarter: quarter.label, endsOn: quarter.endsOn });
  }
  const work = async (tx: Tx) => {
    const facts = await readFacts(tx, programme, quarter);
    const report = disclosureReport(disclosureContent(facts, formatAcademicYear));
    await recordAudit(tx, ctx, {
      action: 'disclosure.produce',
      recordType: 'programme',
      recordId: programme.id,
      after: { quarter: quarter.label, contentSha256: report.contentSha256, ledgerThroughSeq: report.content.ledger.throughSeq },
    });
    return report;
  };
  if (ctx.tx) return work(ctx.tx);
  // One snapshot: the head, the sums, the grants and the outcomes agree with each other.
  return runTransaction(() =>
    ctx.db.$transaction(
      async (tx) => {
        // Stated here as well as in the options: the embedded driver ignores Prisma's isolationLevel.
        await tx.$executeRawUnsafe('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
        return work(tx);
      },
      { isolationLevel: 'RepeatableRead' },
    ),
  );
}

/** The report as a file to publish (JSON, CSV or XLSX: src/files/disclosure-files.ts), produced and audited as above. */
export async function produceDisclosureFile({ ctx, input }: UseCaseCall<DisclosureInput & { format: DisclosureFormat }>): Promise<TableFile> {
  const { format, ...rest } = input;
  return disclosureFile(await produceDisclosure({ ctx, input: rest }), format);
}

/** The programme a disclosure page is about (its code and name), for those who may produce its report; else 403 / 404. */
export async function disclosureProgramme({ ctx, input: raw }: UseCaseCall<{ programmeId: string }>): Promise<{ id: string; code: string; name: string }> {
  const input = parseInput(z.strictObject({ programmeId: Uuid }), raw);
  requirePermission(ctx.actor, 'disclosure.produce');
  const { id, code, name } = await findProgrammeInScope(ctx.db, ctx, input.programmeId);
  return { id, code, name };
}
