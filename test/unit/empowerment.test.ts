import { describe, expect, it } from 'vitest';
import {
  PARTICIPATION_STATUSES,
  countsAsPersonTime,
  mayChangeParticipation,
  monthsAfter,
  outcomeFieldsNotFitting,
  personTimes,
  personTimesByYearAndKind,
  withinActivity,
} from '../../src/domain/empowerment.ts';

describe('person-times (人次) of the empowerment track', () => {
  it('counts a participation attended or completed as one person-time, a registration or a withdrawal as none', () => {
    expect(PARTICIPATION_STATUSES.filter(countsAsPersonTime)).toEqual(['attended', 'completed']);
    expect(personTimes([{ status: 'registered' }, { status: 'attended' }, { status: 'completed' }, { status: 'withdrawn' }, { status: 'completed' }])).toBe(3);
  });

  it('adds grouped counts by status', () => {
    expect(
      personTimes([
        { status: 'completed', count: 40 },
        { status: 'withdrawn', count: 5 },
        { status: 'attended', count: 3 },
        { status: 'registered', count: 7 },
      ]),
    ).toBe(43);
    expect(personTimes([])).toBe(0);
  });

  it('groups by the academic year of the activity’s first day (a July internship counts in the year it closes) and by kind', () => {
    const figures = personTimesByYearAndKind([
      { kind: 'summer_internship', startsOn: '2025-07-07', status: 'completed', count: 6 },
      { kind: 'career_planning_course', startsOn: '2025-09-20', status: 'completed', count: 10 },
      { kind: 'career_planning_course', startsOn: '2025-09-20', status: 'withdrawn', count: 2 },
      { kind: 'public_benefit_marketing', startsOn: '2024-12-01', status: 'attended', count: 4 },
    ]);
    expect(figures.years.map((y) => [y.academicYear, y.personTimes.total])).toEqual([
      ['2024-2025', 10],
      ['2025-2026', 10],
    ]);
    expect(figures.years[0]!.personTimes).toMatchObject({ summer_internship: 6, public_benefit_marketing: 4, career_planning_course: 0 });
    expect(figures.cumulative).toEqual({
      public_benefit_marketing: 4,
      career_planning_course: 10,
      summer_internship: 6,
      employment_assistance: 0,
      other: 0,
      total: 20,
    });
  });
});

describe('participation status', () => {
  it('goes from registered to attended, completed or withdrawn; from attended to completed or withdrawn; never back', () => {
    const allowed = PARTICIPATION_STATUSES.flatMap((from) =>
      PARTICIPATION_STATUSES.filter((to) => mayChangeParticipation(from, to)).map((to) => `${from}>${to}`),
    );
    expect(allowed).toEqual(['registered>attended', 'registered>completed', 'registered>withdrawn', 'attended>completed', 'attended>withdrawn']);
  });
});

describe('outcomes that fit the kind', () => {
  it('takes an internship host and length on a summer internship only', () => {
    expect(outcomeFieldsNotFitting('summer_internship', { internshipHost: '某公益组织', internshipWeeks: 6 })).toEqual([]);
    expect(outcomeFieldsNotFitting('career_planning_course', { internshipHost: '某公益组织' })).toEqual(['internshipHost']);
    expect(outcomeFieldsNotFitting('summer_internship', { employmentSector: 'private_enterprise' })).toEqual(['employmentSector']);
  });

  it('takes an employer’s sector and start on employment assistance only; nulls are no outcome', () => {
    expect(outcomeFieldsNotFitting('employment_assistance', { employmentSector: 'state_enterprise', employmentStartOn: '2026-07-01' })).toEqual([]);
    expect(outcomeFieldsNotFitting('public_benefit_marketing', { employmentStartOn: '2026-07-01', internshipWeeks: 2 })).toEqual([
      'internshipWeeks',
      'employmentStartOn',
    ]);
    expect(outcomeFieldsNotFitting('other', { internshipHost: null, employmentSector: null })).toEqual([]);
  });
});

describe('dates', () => {
  it('holds a date within the activity’s first and last day, both included', () => {
    const activity = { startsOn: '2025-07-10', endsOn: '2025-07-12' };
    expect(['2025-07-09', '2025-07-10', '2025-07-12', '2025-07-13'].map((d) => withinActivity(d, activity))).toEqual([false, true, true, false]);
  });

  it('adds calendar months, to the month’s last day when it is shorter', () => {
    expect(monthsAfter('2025-06-30', 6)).toBe('2025-12-30');
    expect(monthsAfter('2025-08-31', 6)).toBe('2026-02-28');
    expect(monthsAfter('2027-08-31', 6)).toBe('2028-02-29');
    expect(monthsAfter('2025-12-15', 1)).toBe('2026-01-15');
  });
});
