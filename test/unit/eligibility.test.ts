import { describe, expect, it } from 'vitest';
import { parseAcademicYear, type AcademicYear } from '../../src/domain/academic-year.ts';
import { cohortOf, ELIGIBILITY_RULES, evaluateEligibility, type EligibilityInput, type EligibilityRule } from '../../src/domain/eligibility.ts';

function ay(label: string): AcademicYear {
  const r = parseAcademicYear(label);
  if (!r.ok) throw new Error(label);
  return r.value;
}

/** An eligible continuing student in 2025-2026: every rule passes. */
function base(): EligibilityInput {
  return {
    academicYear: ay('2025-2026'),
    student: { birthDate: '2006-03-15' },
    recognition: {
      recognitionDate: '2019-11-20',
      adopted: false,
      father: { kind: 'deceased' },
      mother: { kind: 'severe_disability', disabilityGrade: 2 },
    },
    enrolment: {
      level: 'higher_vocational',
      status: 'enrolled',
      admissionDate: '2024-09-10',
      expectedGraduationDate: '2027-06-30',
      verifications: [{ verifiedOn: '2025-09-20' }],
    },
    programme: { fundedLevels: ['higher_vocational', 'junior_college', 'undergraduate'] },
  };
}

function failing(input: EligibilityInput): EligibilityRule[] {
  return evaluateEligibility(input)
    .rules.filter((r) => !r.passed)
    .map((r) => r.rule);
}

function change(mutate: (i: EligibilityInput) => void): EligibilityInput {
  const i = base();
  mutate(i);
  return i;
}

describe('the base case', () => {
  it('is eligible, continuing, and reports every rule in order', () => {
    const r = evaluateEligibility(base());
    expect(r.eligible).toBe(true);
    expect(r.cohort).toBe('continuing');
    expect(r.rules.map((x) => x.rule)).toEqual(ELIGIBILITY_RULES);
    for (const rule of r.rules) {
      expect(rule.passed).toBe(true);
      expect(rule.detail_zh).toMatch(/[\u4e00-\u9fff]/);
      expect(rule.detail_en.length).toBeGreaterThan(5);
    }
  });
});

type Case = [EligibilityRule, string, (i: EligibilityInput) => void, EligibilityRule[]?];

// Each rule has a case that only it catches: remove the rule and the case would pass.
const SINGLE_FAILURES: Case[] = [
  [
    'age_18_at_year_start',
    'turns 18 the day after the year starts',
    (i: EligibilityInput) => {
      i.student.birthDate = '2007-09-02';
      i.recognition!.recognitionDate = '2019-11-20';
    },
  ],
  [
    'age_18_at_year_start',
    'invalid birth date (recognition cannot be timed either)',
    (i: EligibilityInput) => {
      i.student.birthDate = '2006-02-30';
    },
    ['age_18_at_year_start', 'recognised_before_18'],
  ],
  [
    'recognised_before_18',
    'no recognition on record',
    (i: EligibilityInput) => {
      i.recognition = null;
    },
    ['recognised_before_18', 'not_adopted'],
  ],
  [
    'recognised_before_18',
    'recognised on the 18th birthday',
    (i: EligibilityInput) => {
      i.recognition!.recognitionDate = '2024-03-15';
    },
  ],
  [
    'recognised_before_18',
    'a parent able to raise the child',
    (i: EligibilityInput) => {
      i.recognition!.mother = { kind: 'none' };
    },
  ],
  [
    'recognised_before_18',
    'both parents deceased (orphan)',
    (i: EligibilityInput) => {
      i.recognition!.mother = { kind: 'deceased' };
    },
  ],
  [
    'recognised_before_18',
    'disability grade 3',
    (i: EligibilityInput) => {
      i.recognition!.mother = { kind: 'severe_disability', disabilityGrade: 3 };
    },
  ],
  [
    'not_adopted',
    'adopted',
    (i: EligibilityInput) => {
      i.recognition!.adopted = true;
    },
  ],
  [
    'level_funded',
    'a level the programme does not fund',
    (i: EligibilityInput) => {
      i.programme.fundedLevels = ['undergraduate'];
    },
  ],
  [
    'level_funded',
    'a programme that funds nothing',
    (i: EligibilityInput) => {
      i.programme.fundedLevels = [];
    },
  ],
  [
    'enrolment_active',
    'graduated',
    (i: EligibilityInput) => {
      i.enrolment.status = 'graduated';
    },
  ],
  [
    'enrolment_active',
    'withdrawn',
    (i: EligibilityInput) => {
      i.enrolment.status = 'withdrawn';
    },
  ],
  [
    'enrolment_verified_for_year',
    'no verification',
    (i: EligibilityInput) => {
      i.enrolment.verifications = [];
    },
  ],
  [
    'enrolment_verified_for_year',
    'verified only in the previous year',
    (i: EligibilityInput) => {
      i.enrolment.verifications = [{ verifiedOn: '2024-10-01' }, { verifiedOn: '2025-08-31' }];
    },
  ],
  [
    'enrolment_verified_for_year',
    'verified only after the year',
    (i: EligibilityInput) => {
      i.enrolment.verifications = [{ verifiedOn: '2026-09-01' }];
    },
  ],
  [
    'enrolment_covers_year',
    'admitted after the year ends',
    (i: EligibilityInput) => {
      i.enrolment.admissionDate = '2026-09-05';
      i.enrolment.expectedGraduationDate = '2029-06-30';
    },
  ],
  [
    'enrolment_covers_year',
    'expected to graduate before the year starts',
    (i: EligibilityInput) => {
      i.enrolment.admissionDate = '2022-09-01';
      i.enrolment.expectedGraduationDate = '2025-06-30';
    },
  ],
  [
    'enrolment_covers_year',
    'graduation before admission',
    (i: EligibilityInput) => {
      i.enrolment.expectedGraduationDate = '2024-06-30';
    },
  ],
  [
    'enrolment_covers_year',
    'an invalid admission date',
    (i: EligibilityInput) => {
      i.enrolment.admissionDate = '2024-09-31';
    },
  ],
];

describe('each rule fails on its own', () => {
  it.each(SINGLE_FAILURES)('%s: %s', (rule, _label, mutate, expected) => {
    const input = change(mutate);
    const r = evaluateEligibility(input);
    expect(r.eligible).toBe(false);
    expect(failing(input)).toEqual(expected ?? [rule]);
  });

  it('has a case for every rule in which that rule alone fails', () => {
    const alone = SINGLE_FAILURES.filter(([_rule, , , expected]) => expected === undefined).map(([rule]) => rule);
    expect(new Set(alone)).toEqual(new Set(ELIGIBILITY_RULES));
  });
});

describe('boundaries that pass', () => {
  it.each([
    [
      '18 exactly on the first day of the year',
      (i: EligibilityInput) => {
        i.student.birthDate = '2007-09-01';
      },
    ],
    [
      'born 29 Feb 2008 in 2026-2027 (18 on 1 Mar 2026)',
      (i: EligibilityInput) => {
        i.academicYear = ay('2026-2027');
        i.student.birthDate = '2008-02-29';
        i.enrolment.verifications = [{ verifiedOn: '2026-09-15' }];
      },
    ],
    [
      'recognised the day before the 18th birthday',
      (i: EligibilityInput) => {
        i.recognition!.recognitionDate = '2024-03-14';
      },
    ],
    [
      'verified on the first day of the year',
      (i: EligibilityInput) => {
        i.enrolment.verifications = [{ verifiedOn: '2025-09-01' }];
      },
    ],
    [
      'verified on the last day of the year',
      (i: EligibilityInput) => {
        i.enrolment.verifications = [{ verifiedOn: '2026-08-31' }];
      },
    ],
    [
      'an invalid verification beside a valid one',
      (i: EligibilityInput) => {
        i.enrolment.verifications = [{ verifiedOn: 'yesterday' }, { verifiedOn: '2025-10-01' }];
      },
    ],
    [
      'admitted on the last day of the year',
      (i: EligibilityInput) => {
        i.enrolment.admissionDate = '2026-08-31';
        i.enrolment.expectedGraduationDate = '2029-06-30';
      },
    ],
    [
      'graduating the day after the year starts',
      (i: EligibilityInput) => {
        i.enrolment.admissionDate = '2022-09-01';
        i.enrolment.expectedGraduationDate = '2025-09-02';
      },
    ],
    [
      'only the own level funded',
      (i: EligibilityInput) => {
        i.programme.fundedLevels = ['higher_vocational'];
      },
    ],
    [
      'undergraduate in an undergraduate programme',
      (i: EligibilityInput) => {
        i.enrolment.level = 'undergraduate';
        i.programme.fundedLevels = ['undergraduate'];
      },
    ],
    [
      'lost contact for 6 months',
      (i: EligibilityInput) => {
        i.recognition!.mother = { kind: 'lost_contact', monthsWithoutContact: 6 };
      },
    ],
  ] as [string, (i: EligibilityInput) => void][])('%s', (_label, mutate) => {
    expect(failing(change(mutate))).toEqual([]);
  });
});

describe('suspended students', () => {
  it('stay eligible, with a note that payouts are held', () => {
    const r = evaluateEligibility(change((i) => (i.enrolment.status = 'suspended')));
    expect(r.eligible).toBe(true);
    const rule = r.rules.find((x) => x.rule === 'enrolment_active')!;
    expect(rule.passed).toBe(true);
    expect(rule.detail_zh).toContain('休学');
    expect(rule.detail_en).toMatch(/held/);
  });
});

describe('cohort', () => {
  it.each([
    ['2025-09-01', 'new'],
    ['2025-09-10', 'new'],
    ['2026-03-01', 'new'],
    ['2026-08-31', 'new'],
    ['2025-08-31', 'continuing'],
    ['2023-09-01', 'continuing'],
    ['2026-09-01', 'continuing'],
    ['not a date', 'continuing'],
  ] as const)('admitted %s → %s for 2025-2026', (admission, cohort) => {
    expect(cohortOf(admission, ay('2025-2026'))).toBe(cohort);
  });

  it('tells a new student from a continuing one in the result', () => {
    const fresh = change((i) => {
      i.enrolment.admissionDate = '2025-09-08';
      i.enrolment.expectedGraduationDate = '2028-06-30';
    });
    expect(evaluateEligibility(fresh)).toMatchObject({ eligible: true, cohort: 'new' });
    expect(evaluateEligibility(base())).toMatchObject({ eligible: true, cohort: 'continuing' });
  });

  it('re-evaluates each year: last year’s verification does not carry over', () => {
    const nextYear = change((i) => (i.academicYear = ay('2026-2027')));
    expect(failing(nextYear)).toEqual(['enrolment_verified_for_year']);
  });
});

describe('several failures', () => {
  it('are all reported', () => {
    const input = change((i) => {
      i.student.birthDate = '2008-01-01';
      i.recognition!.adopted = true;
      i.enrolment.status = 'graduated';
      i.enrolment.verifications = [];
    });
    expect(failing(input)).toEqual(['age_18_at_year_start', 'not_adopted', 'enrolment_active', 'enrolment_verified_for_year']);
  });
});
