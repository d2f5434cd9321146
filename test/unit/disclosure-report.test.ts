import { describe, expect, it } from 'vitest';
import { formatAcademicYear } from '../../src/domain/academic-year.ts';
import { type CohortOutcome, emptyCohortOutcome } from '../../src/domain/cohort-outcomes.ts';
import { type DisclosureFacts, disclosureContent, disclosureReport, disclosureReportJson } from '../../src/domain/disclosure-report.ts';
import { kindTotal } from '../../src/domain/money-flows.ts';
import { parseQuarter } from '../../src/domain/quarters.ts';
import { sha256Hex } from '../../src/domain/sha256.ts';
import { canonicalJson } from '../../src/domain/canonical-json.ts';

const XINING = '630102';
const HAIDONG = '630202';

function grant(studentId: string, level: 'undergraduate' | 'junior_college', regionCode: string, amount = '4000.00') {
  return { studentId, level, regionCode, amount };
}

function cohort(overrides: Partial<CohortOutcome> & { cohortYear: number }): CohortOutcome {
  return { ...emptyCohortOutcome(overrides.cohortYear), ...overrides };
}

function ledger(received: string, committed: string, settled: string) {
  return [
    kindTotal('funding_received', 2, received, '10000.00'),
    kindTotal('grant_approved', 7, committed, '0'),
    kindTotal('payout_settled', 3, settled, '0'),
    kindTotal('payout_returned', 1, '2000.00', '0'),
    kindTotal('remainder_cancelled', 1, '1000.00', '0'),
  ];
}

function facts(overrides: Partial<DisclosureFacts> = {}): DisclosureFacts {
  return {
    programme: { code: 'QS-2026', name: '青山助学' },
    quarter: parseQuarter('2026Q3')!,
    chainHead: { seq: '42', hash: 'a'.repeat(64) },
    // Received (10000.00 of it reversed), committed, settled; 2000.00 returned and 1000.00 cancelled, all in the quarter.
    ledgerInQuarter: ledger('60000.00', '28000.00', '6000.00'),
    ledgerToQuarterEnd: ledger('100000.00', '36000.00', '10000.00'),
    // 6 students, 7 grants: 5 undergraduates (one with two grants) in Xining, 1 junior-college student in Haidong.
    grantsApproved: [
      grant('s1', 'undergraduate', XINING),
      grant('s1', 'undergraduate', XINING),
      grant('s2', 'undergraduate', XINING),
      grant('s3', 'undergraduate', XINING),
      grant('s4', 'undergraduate', XINING),
      grant('s5', 'undergraduate', XINING),
      grant('s6', 'junior_college', HAIDONG, '3000.00'),
    ],
    participations: [
      { kind: 'career_planning_course', status: 'completed', studentId: 's1' },
      { kind: 'career_planning_course', status: 'attended', studentId: 's2' },
      { kind: 'career_planning_course', status: 'attended', studentId: 's3' },
      { kind: 'career_planning_course', status: 'completed', studentId: 's3' },
      { kind: 'career_planning_course', status: 'registered', studentId: 's4' },
      { kind: 'summer_internship', status: 'completed', studentId: 's5' },
      { kind: 'summer_internship', status: 'withdrawn', studentId: 's6' },
    ],
    cohorts: [
      cohort({ cohortYear: 2024, students: 2, stillStudying: 2 }),
      cohort({
        cohortYear: 2025,
        students: 10,
        graduatedOnTime: 6,
        graduatedLate: 1,
        stillStudying: 3,
        employedWithinSixMonths: 4,
        furtherStudyWithinSixMonths: 2,
      }),
    ],
    ...overrides,
  };
}

const content = (f = facts()) => disclosureContent(f, formatAcademicYear);

describe('disclosure report', () => {
  it('states the period and the ledger head it was read at', () => {
    expect(content()).toMatchObject({
      period: { quarter: '2026Q3', startsOn: '2026-07-01', endsOn: '2026-09-30' },
      ledger: { throughSeq: '42', headHash: 'a'.repeat(64) },
    });
  });

  it('takes the money from the ledger: reversals out, paid as booked, remaining = committed − (settled − returned) − cancelled', () => {
    const c = content();
    expect(c.funds).toEqual({ receivedInQuarter: '50000.00', receivedToDate: '90000.00', uncommittedAtQuarterEnd: '55000.00' });
    expect(c.payments).toEqual({ paidInQuarter: '6000.00', returnedInQuarter: '2000.00', cancelledInQuarter: '1000.00', remainingAtQuarterEnd: '27000.00' });
  });

  it('counts grants (人次) and distinct students, hiding a cell of one student and its partner in the same breakdown', () => {
    const g = content().grants;
    expect(g.total).toEqual({ students: 6, grants: 7, amount: '27000.00', suppressed: false });
    // One junior-college student: hidden; the undergraduates would then be 6 − shown, so they are hidden too.
    expect(g.byLevel).toEqual([
      { level: 'junior_college', label: '大专', students: null, grants: null, amount: null, suppressed: true },
      { level: 'undergraduate', label: '本科', students: null, grants: null, amount: null, suppressed: true },
    ]);
    expect(g.byPrefecture.map((p) => [p.regionCode, p.regionName, p.suppressed])).toEqual([
      ['630100', '青海省西宁市', true],
      ['630200', '青海省海东市', true],
    ]);
  });

  it('shows a breakdown whose cells all have three students or more', () => {
    const g = content(
      facts({ grantsApproved: ['a', 'b', 'c', 'd', 'e', 'f'].map((s, i) => grant(s, i < 3 ? 'undergraduate' : 'junior_college', XINING)) }),
    ).grants;
    expect(g.byLevel.map((l) => [l.level, l.students, l.amount])).toEqual([
      ['junior_college', 3, '12000.00'],
      ['undergraduate', 3, '12000.00'],
    ]);
  });

  it('hides the whole grant figures when fewer than three students were granted', () => {
    const g = content(facts({ grantsApproved: [grant('a', 'undergraduate', XINING), grant('b', 'undergraduate', XINING)] })).grants;
    expect(g.total).toEqual({ students: null, grants: null, amount: null, suppressed: true });
    expect(g.byLevel.every((l) => l.suppressed)).toBe(true);
  });

  it('counts person-times as attended or completed participations, hiding a kind of fewer than three students', () => {
    const e = content().empowerment;
    expect(e.total).toEqual({ personTimes: 5, students: 4, suppressed: false });
    const course = e.byKind.find((k) => k.kind === 'career_planning_course')!;
    const internship = e.byKind.find((k) => k.kind === 'summer_internship')!;
    // One student in internships: hidden, and the course cell (3 students) with it: the total less it would give the internship away.
    expect(internship).toMatchObject({ personTimes: null, students: null, suppressed: true });
    expect(course).toMatchObject({ personTimes: null, students: null, suppressed: true });
    const shown = content(facts({ participations: facts().participations.filter((p) => p.kind !== 'summer_internship') })).empowerment;
    expect(shown.byKind.find((k) => k.kind === 'career_planning_course')).toMatchObject({ personTimes: 4, students: 3, suppressed: false });
    expect(e.byKind.find((k) => k.kind === 'other')).toMatchObject({ personTimes: 0, students: 0, suppressed: false });
  });

  it('hides a cohort of fewer than three students whole, and a small outcome with its partner', () => {
    const [small, big] = content().outcomes.cohorts;
    expect(small).toMatchObject({ cohort: '2024-2025', students: null, suppressed: true, internshipsCompleted: null });
    expect(big).toMatchObject({ cohort: '2025-2026', students: 10, suppressed: true });
    // graduatedLate 1 hidden; the smallest other (stillStudying 3) hidden with it.
    expect(big!.counts).toMatchObject({ graduatedOnTime: 6, graduatedLate: null, stillStudying: null, withdrawn: 0 });
    // Destinations: 4 employed, 2 further study (hidden), with the smallest other non-empty partner (employed) — graduates are not shown.
    expect(big!.counts).toMatchObject({ employedWithinSixMonths: 4, furtherStudyWithinSixMonths: null, otherOrUnknown: 0 });
    expect(content().outcomes.asOf).toBe('2026-09-30');
  });

  it('states the suppression rule in Chinese and English', () => {
    expect(content().suppressionRule).toMatchObject({
      threshold: 3,
      zh: expect.stringContaining('少于 3 人'),
      en: expect.stringContaining('fewer than 3 students'),
    });
  });

  it('gives the same bytes and hash for the same facts, and its hash is of the content’s canonical JSON', () => {
    const one = disclosureReport(content());
    const two = disclosureReport(content());
    expect(disclosureReportJson(one)).toBe(disclosureReportJson(two));
    expect(one.contentSha256).toBe(sha256Hex(canonicalJson(JSON.parse(JSON.stringify(one.content)))));
    const other = disclosureReport(content(facts({ chainHead: { seq: '43', hash: 'b'.repeat(64) } })));
    expect(other.contentSha256).not.toBe(one.contentSha256);
  });
});
