// 赋能人次: the empowerment track's person-times of a programme, by academic year and kind, for the
// foundation's dashboard beside the grants' person-times (src/domain/empowerment.ts counts them).
import { z } from 'zod';
import { type EmpowermentPersonTimes, type ParticipationTally, personTimesByYearAndKind } from '../domain/empowerment.ts';
import { toIsoDate } from '../domain/dates.ts';
import type { Tx, UseCaseCall } from './context.ts';
import { Uuid } from './fields.ts';
import { findProgrammeInScope } from './programmes.ts';
import { requirePermission } from './scope.ts';
import { parseInput } from './validation.ts';

export const EmpowermentFiguresInput = z.strictObject({ programmeId: Uuid });

/** The programme's participations counted by activity kind, first day and status. */
export async function participationTallies(db: Tx, programmeId: string): Promise<ParticipationTally[]> {
  const rows = await db.$queryRaw<{ kind: ParticipationTally['kind']; starts_on: Date; status: ParticipationTally['status']; count: number }[]>`
    SELECT a."kind"::text AS kind, a."starts_on", p."status"::text AS status, count(*)::int AS count
    FROM "empowerment_participation" p JOIN "empowerment_activity" a ON a."id" = p."activity_id"
    WHERE a."programme_id" = ${programmeId}::uuid
    GROUP BY a."kind", a."starts_on", p."status"
    ORDER BY a."starts_on", a."kind", p."status"`;
  return rows.map((r) => ({ kind: r.kind, startsOn: toIsoDate(r.starts_on), status: r.status, count: r.count }));
}

export async function programmeEmpowermentFigures({
  ctx,
  input: raw,
}: UseCaseCall<z.input<typeof EmpowermentFiguresInput>>): Promise<EmpowermentPersonTimes & { programmeId: string }> {
  const input = parseInput(EmpowermentFiguresInput, raw);
  requirePermission(ctx.actor, 'empowerment.read');
  const programme = await findProgrammeInScope(ctx.db, ctx, input.programmeId);
  return { programmeId: programme.id, ...personTimesByYearAndKind(await participationTallies(ctx.db, programme.id)) };
}
