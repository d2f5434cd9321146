import { describe, expect, it } from 'vitest';
import { type StudentOutcomeFacts, cohortOutcomes, destinationWithinWindow } from '../../src/domain/cohort-outcomes.ts';

const graduate = (statusEffectiveOn: string, destination: StudentOutcomeFacts['destination'] = null): StudentOutcomeFacts => ({
  cohortYear: 2024,
  enrolment: { status: 'graduated', statusEffectiveOn, expectedGraduation: '2025-06-30' },
  destination,
  internshipsCompleted: 0,
  coursesCompleted: 0,
});

describe('cohort outcomes', () => {
  it('counts graduated on time, late, still studying and withdrawn per cohort, oldest first', () => {
    const rows = cohortOutcomes([
      graduate('2025-06-30'),
      graduate('2025-12-31'),
      { ...graduate('2025-06-30'), enrolment: { status: 'withdrawn', statusEffectiveOn: '2025-03-01', expectedGraduation: '2026-06-30' } },
      { ...graduate('2025-06-30'), cohortYear: 2025, enrolment: { status: 'suspended', statusEffectiveOn: '2025-10-01', expectedGraduation: '2027-06-30' } },
      { ...graduate('2025-06-30'), cohortYear: 2025, enrolment: null, internshipsCompleted: 1, coursesCompleted: 2 },
    ]);
    expect(rows.map((r) => [r.cohortYear, r.students, r.graduatedOnTime, r.graduatedLate, r.stillStudying, r.withdrawn])).toEqual([
      [2024, 3, 1, 1, 0, 1],
      [2025, 2, 0, 0, 2, 0],
    ]);
    expect(rows[1]).toMatchObject({ internshipsCompleted: 1, coursesCompleted: 2 });
  });

  it('counts a job or further study begun within six months of graduating; later, other or unrecorded is not known', () => {
    const [row] = cohortOutcomes([
      graduate('2025-06-30', { destination: 'employed', startedOn: '2025-12-30' }),
      graduate('2025-06-30', { destination: 'employed', startedOn: '2025-05-15' }),
      graduate('2025-06-30', { destination: 'further_study', startedOn: '2025-09-01' }),
      graduate('2025-06-30', { destination: 'employed', startedOn: '2025-12-31' }),
      graduate('2025-06-30', { destination: 'other', startedOn: '2025-08-01' }),
      graduate('2025-06-30'),
    ]);
    expect(row).toMatchObject({ employedWithinSixMonths: 2, furtherStudyWithinSixMonths: 1, otherOrUnknown: 3 });
  });

  it('ends the window six calendar months after the graduation day', () => {
    expect(destinationWithinWindow('2025-06-30', '2025-12-30')).toBe(true);
    expect(destinationWithinWindow('2025-06-30', '2025-12-31')).toBe(false);
  });
});
