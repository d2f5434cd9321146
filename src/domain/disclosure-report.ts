// The quarterly disclosure report (慈善项目实施情况公开) of one programme: funds received, grants
// approved (人次, students, amounts, by level and prefecture), money paid, returned and cancelled, what
// remains owed at the quarter's end, the empowerment track's person-times by kind, and the cohorts'
// outcomes as of the quarter's end. Aggregates only, small cells hidden (small-cells.ts). Pure: the
// service hands in the facts, and the same facts give the same content, the same canonical JSON and
// the same hash, which the report carries with the ledger's chain head, so anyone can re-derive it.
import { canonicalJson } from './canonical-json.ts';
import type { CohortOutcome } from './cohort-outcomes.ts';
import { ENROLMENT_LEVEL_LABELS, type EnrolmentLevel } from './eligibility.ts';
import { EMPOWERMENT_KINDS, EMPOWERMENT_KIND_LABELS, type EmpowermentKind, type ParticipationStatus, countsAsPersonTime } from './empowerment.ts';
import { type KindTotal, moneyFlowsOf } from './money-flows.ts';
import { ZERO, formatMoney, money } from './money.ts';
import type { Quarter } from './quarters.ts';
import { regionOf } from './regions.ts';
import { sha256Hex } from './sha256.ts';
import { SMALL_CELL_THRESHOLD, SUPPRESSION_RULE, suppressedCells } from './small-cells.ts';

export const DISCLOSURE_FORMAT = 'disclosure-report/1';

export interface DisclosureFacts {
  programme: { code: string; name: string };
  quarter: Quarter;
  /** The ledger's newest transaction when the facts were read; the money figures include nothing after it. */
  chainHead: { seq: string; hash: string } | null;
  /** The programme's ledger transactions by kind: dated in the quarter, and dated up to its last day. */
  ledgerInQuarter: readonly KindTotal[];
  ledgerToQuarterEnd: readonly KindTotal[];
  /** Grants (approved or since ended) approved in the quarter, one per grant. */
  grantsApproved: readonly { studentId: string; level: EnrolmentLevel; regionCode: string; amount: string }[];
  /** Participations in activities that began in the quarter. */
  participations: readonly { kind: EmpowermentKind; status: ParticipationStatus; studentId: string }[];
  /** The cohorts' outcomes as of the quarter's last day (cohort-outcomes.ts). */
  cohorts: readonly CohortOutcome[];
}

/** A published cell: null values and `suppressed` true when hidden. */
export interface GrantCell {
  students: number | null;
  grants: number | null;
  amount: string | null;
  suppressed: boolean;
}

export interface PersonTimeCell {
  personTimes: number | null;
  students: number | null;
  suppressed: boolean;
}

export type OutcomeField =
  | 'graduatedOnTime'
  | 'graduatedLate'
  | 'stillStudying'
  | 'withdrawn'
  | 'employedWithinSixMonths'
  | 'furtherStudyWithinSixMonths'
  | 'otherOrUnknown';

export interface CohortRow {
  cohort: string;
  students: number | null;
  /** Each count, or null when hidden. */
  counts: Record<OutcomeField, number | null>;
  internshipsCompleted: number | null;
  coursesCompleted: number | null;
  suppressed: boolean;
}

export interface DisclosureContent {
  format: string;
  programme: { code: string; name: string };
  period: { quarter: string; startsOn: string; endsOn: string };
  ledger: { throughSeq: string | null; headHash: string | null };
  currency: 'CNY';
  funds: { receivedInQuarter: string; receivedToDate: string; uncommittedAtQuarterEnd: string };
  grants: {
    total: GrantCell;
    byLevel: (GrantCell & { level: EnrolmentLevel; label: string })[];
    byPrefecture: (GrantCell & { regionCode: string; regionName: string })[];
  };
  payments: { paidInQuarter: string; returnedInQuarter: string; cancelledInQuarter: string; remainingAtQuarterEnd: string };
  empowerment: { total: PersonTimeCell; byKind: (PersonTimeCell & { kind: EmpowermentKind; label: string })[] };
  outcomes: { asOf: string; cohorts: CohortRow[] };
  suppressionRule: { threshold: number; zh: string; en: string };
}

export interface DisclosureReport {
  content: DisclosureContent;
  /** SHA-256 (hex) of the canonical JSON of `content`. */
  contentSha256: string;
}

interface GrantGroup {
  students: Set<string>;
  grants: number;
  amount: ReturnType<typeof money>;
}

function groupGrants<K extends string>(facts: DisclosureFacts['grantsApproved'], key: (g: DisclosureFacts['grantsApproved'][number]) => K): [K, GrantGroup][] {
  const groups = new Map<K, GrantGroup>();
  for (const g of facts) {
    const k = key(g);
    const group = groups.get(k) ?? { students: new Set<string>(), grants: 0, amount: ZERO };
    group.students.add(g.studentId);
    group.grants++;
    group.amount = group.amount.plus(money(g.amount));
    groups.set(k, group);
  }
  return [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

function grantCell(group: GrantGroup, hidden: boolean): GrantCell {
  if (hidden) return { students: null, grants: null, amount: null, suppressed: true };
  return { students: group.students.size, grants: group.grants, amount: formatMoney(group.amount), suppressed: false };
}

/** Cells of one breakdown, hidden together with the total they add up to. */
function grantBreakdown<K extends string>(groups: [K, GrantGroup][], totalShown: boolean): { key: K; cell: GrantCell }[] {
  const hidden = suppressedCells(
    groups.map(([, g]) => g.students.size),
    totalShown,
  );
  return groups.map(([key, g], i) => ({ key, cell: grantCell(g, hidden[i] as boolean) }));
}

function grantsSection(facts: DisclosureFacts): DisclosureContent['grants'] {
  const [whole] = groupGrants(facts.grantsApproved, () => 'all');
  const all = whole?.[1] ?? { students: new Set<string>(), grants: 0, amount: ZERO };
  const [totalHidden] = suppressedCells([all.students.size], false);
  const totalShown = !totalHidden;
  return {
    total: grantCell(all, totalHidden as boolean),
    byLevel: grantBreakdown(
      groupGrants(facts.grantsApproved, (g) => g.level),
      totalShown,
    ).map(({ key, cell }) => ({ level: key, label: ENROLMENT_LEVEL_LABELS[key].zh, ...cell })),
    byPrefecture: grantBreakdown(
      groupGrants(facts.grantsApproved, (g) => regionOf(g.regionCode).regionCode),
      totalShown,
    ).map(({ key, cell }) => ({ regionCode: key, regionName: regionOf(key).regionName, ...cell })),
  };
}

function empowermentSection(facts: DisclosureFacts): DisclosureContent['empowerment'] {
  const counted = facts.participations.filter((p) => countsAsPersonTime(p.status));
  const tally = (kind?: EmpowermentKind) => {
    const rows = counted.filter((p) => kind === undefined || p.kind === kind);
    return { personTimes: rows.length, students: new Set(rows.map((p) => p.studentId)).size };
  };
  const total = tally();
  const [totalHidden] = suppressedCells([total.students], false);
  const kinds = EMPOWERMENT_KINDS.map((kind) => ({ kind, ...tally(kind) }));
  const hidden = suppressedCells(
    kinds.map((k) => k.students),
    !totalHidden,
  );
  const cell = (t: { personTimes: number; students: number }, isHidden: boolean): PersonTimeCell =>
    isHidden ? { personTimes: null, students: null, suppressed: true } : { personTimes: t.personTimes, students: t.students, suppressed: false };
  return {
    total: cell(total, totalHidden as boolean),
    byKind: kinds.map((k, i) => ({ kind: k.kind, label: EMPOWERMENT_KIND_LABELS[k.kind].zh, ...cell(k, hidden[i] as boolean) })),
  };
}

const STATUS_FIELDS = ['graduatedOnTime', 'graduatedLate', 'stillStudying', 'withdrawn'] as const;
const DESTINATION_FIELDS = ['employedWithinSixMonths', 'furtherStudyWithinSixMonths', 'otherOrUnknown'] as const;

/**
 * A cohort's row: hidden whole when the cohort has fewer than three students; otherwise its status
 * counts add up to the cohort (a shown total), and its destinations add up to the graduates, a
 * total the reader can form whenever both graduate counts are shown.
 */
function cohortRow(c: CohortOutcome & { cohort: string }): CohortRow {
  const counts = {} as Record<OutcomeField, number | null>;
  const [rowHidden] = suppressedCells([c.students], false);
  if (rowHidden) {
    for (const f of [...STATUS_FIELDS, ...DESTINATION_FIELDS]) counts[f] = null;
    return { cohort: c.cohort, students: null, counts, internshipsCompleted: null, coursesCompleted: null, suppressed: true };
  }
  const statusHidden = suppressedCells(
    STATUS_FIELDS.map((f) => c[f]),
    true,
  );
  STATUS_FIELDS.forEach((f, i) => {
    counts[f] = statusHidden[i] ? null : c[f];
  });
  const graduatesShown = counts.graduatedOnTime !== null && counts.graduatedLate !== null;
  const destinationHidden = suppressedCells(
    DESTINATION_FIELDS.map((f) => c[f]),
    graduatesShown,
  );
  DESTINATION_FIELDS.forEach((f, i) => {
    counts[f] = destinationHidden[i] ? null : c[f];
  });
  return {
    cohort: c.cohort,
    students: c.students,
    counts,
    internshipsCompleted: c.internshipsCompleted,
    coursesCompleted: c.coursesCompleted,
    suppressed: Object.values(counts).some((v) => v === null),
  };
}

export function disclosureContent(facts: DisclosureFacts, cohortLabel: (year: number) => string): DisclosureContent {
  const inQuarter = moneyFlowsOf(facts.ledgerInQuarter);
  const toEnd = moneyFlowsOf(facts.ledgerToQuarterEnd);
  return {
    format: DISCLOSURE_FORMAT,
    programme: { code: facts.programme.code, name: facts.programme.name },
    period: { quarter: facts.quarter.label, startsOn: facts.quarter.startsOn, endsOn: facts.quarter.endsOn },
    ledger: { throughSeq: facts.chainHead?.seq ?? null, headHash: facts.chainHead?.hash ?? null },
    currency: 'CNY',
    funds: {
      receivedInQuarter: formatMoney(inQuarter.received),
      receivedToDate: formatMoney(toEnd.received),
      // The fund account at the quarter's end: received, less committed, plus what cancellations gave back.
      uncommittedAtQuarterEnd: formatMoney(toEnd.received.minus(toEnd.committed).plus(toEnd.cancelled)),
    },
    grants: grantsSection(facts),
    payments: {
      paidInQuarter: formatMoney(inQuarter.settled),
      returnedInQuarter: formatMoney(inQuarter.returned),
      cancelledInQuarter: formatMoney(inQuarter.cancelled),
      // Committed and not yet with the students nor cancelled: owed (payable) or with the bank (in transit).
      remainingAtQuarterEnd: formatMoney(toEnd.committed.minus(toEnd.paid).minus(toEnd.cancelled)),
    },
    empowerment: empowermentSection(facts),
    outcomes: { asOf: facts.quarter.endsOn, cohorts: facts.cohorts.map((c) => cohortRow({ ...c, cohort: cohortLabel(c.cohortYear) })) },
    suppressionRule: { threshold: SMALL_CELL_THRESHOLD, ...SUPPRESSION_RULE },
  };
}

/** The content's canonical JSON (RFC 8785 for these values): the bytes its hash is of. */
export function disclosureContentJson(content: DisclosureContent): string {
  return canonicalJson(content as never);
}

export function disclosureReport(content: DisclosureContent): DisclosureReport {
  return { content, contentSha256: sha256Hex(disclosureContentJson(content)) };
}

/** The whole report as canonical JSON: the JSON file the CLI writes, byte for byte the same for the same facts. */
export function disclosureReportJson(report: DisclosureReport): string {
  return canonicalJson(report as never);
}
