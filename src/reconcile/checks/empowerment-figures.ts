// The empowerment track's person-times (赋能人次) in the `figures` check, beside the grants' person-
// times: per programme and academic year (of the activity's first day) and kind, and cumulatively.
// Counted by src/domain/empowerment.ts over the participations the database groups by programme,
// kind, first day and status, so memory grows with activities, never with participations. No money.
import { formatAcademicYear } from '../../domain/academic-year.ts';
import {
  EMPOWERMENT_KINDS,
  EMPOWERMENT_KIND_LABELS,
  type ParticipationTally,
  type PersonTimesByKind,
  personTimesByYearAndKind,
} from '../../domain/empowerment.ts';
import type { CheckResult, Figure } from '../check-types.ts';
import type { ReconcileDb } from './support.ts';

type Table = NonNullable<CheckResult['tables']>[number];

const CUMULATIVE = '累计 (cumulative)';

/** Grant person-times by programme id, then academic year label ('2025-2026', or null for all years). */
export type GrantPersonTimes = Map<string, Map<string | null, number>>;

interface TallyRow {
  programme_id: string;
  kind: ParticipationTally['kind'];
  starts_on: string;
  status: ParticipationTally['status'];
  count: number;
}

const kindCells = (p: PersonTimesByKind) => [p.total, ...EMPOWERMENT_KINDS.map((k) => p[k])];

/** The empowerment table and its figure, over the programmes given (ordered as the caller orders them). */
export async function empowermentFigures(
  db: ReconcileDb,
  programmes: { id: string; code: string }[],
  grantPersonTimes: GrantPersonTimes,
): Promise<{ figure: Figure; table: Table }> {
  const ids = programmes.map((p) => p.id);
  const rows = await db.$queryRaw<TallyRow[]>`
    SELECT a."programme_id"::text AS programme_id, a."kind"::text AS kind, to_char(a."starts_on", 'YYYY-MM-DD') AS starts_on,
           p."status"::text AS status, count(*)::int AS count
    FROM "empowerment_participation" p JOIN "empowerment_activity" a ON a."id" = p."activity_id"
    WHERE a."programme_id" = ANY(${ids}::uuid[])
    GROUP BY a."programme_id", a."kind", a."starts_on", p."status"`;
  const tableRows: (string | number)[][] = [];
  let total = 0;
  for (const programme of programmes) {
    const tallies = rows.filter((r) => r.programme_id === programme.id).map((r) => ({ kind: r.kind, startsOn: r.starts_on, status: r.status, count: r.count }));
    const figures = personTimesByYearAndKind(tallies);
    const grants = grantPersonTimes.get(programme.id) ?? new Map<string | null, number>();
    const byYear = new Map(figures.years.map((y) => [y.academicYear, y.personTimes]));
    const years = [...new Set([...[...grants.keys()].filter((y): y is string => y !== null), ...byYear.keys()])].sort();
    for (const year of years) {
      const p = byYear.get(year) ?? personTimesByYearAndKind([]).cumulative;
      tableRows.push([programme.code, year, grants.get(year) ?? 0, ...kindCells(p)]);
    }
    if (years.length > 0) tableRows.push([programme.code, CUMULATIVE, grants.get(null) ?? 0, ...kindCells(figures.cumulative)]);
    total += figures.cumulative.total;
  }
  return {
    figure: { key: 'empowerment_person_times', label: '赋能人次累计 (empowerment person-times: participations attended or completed)', value: total },
    table: {
      title: '赋能人次 (empowerment person-times, beside grant person-times, by academic year of the activity and kind)',
      columns: [
        '项目 (programme)',
        '学年 (academic year)',
        '资助人次 (grant person-times)',
        '赋能人次 (empowerment person-times)',
        ...EMPOWERMENT_KINDS.map((k) => `${EMPOWERMENT_KIND_LABELS[k].zh} (${k})`),
      ],
      rows: tableRows,
    },
  };
}

/** The label figures.ts gives a year, for the map of grant person-times. */
export const academicYearKey = (academicYear: number | null) => (academicYear === null ? null : formatAcademicYear(academicYear));
