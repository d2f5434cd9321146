import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  ABSENCE_KINDS,
  evaluateRecognition,
  INCAPACITY_KINDS,
  PARENT_SITUATION_KINDS,
  PARENT_SITUATION_LABELS,
  type ParentSituation,
  type ParentSituationKind,
  type RecognitionInput,
} from '../../src/domain/recognition.ts';

/** A situation of each kind with qualifying parameters (grade 1, 6 months). */
function situation(kind: ParentSituationKind): ParentSituation {
  if (kind === 'severe_disability') return { kind, disabilityGrade: 1 };
  if (kind === 'lost_contact') return { kind, monthsWithoutContact: 6 };
  return { kind } as ParentSituation;
}

const BASE: RecognitionInput = {
  childBirthDate: '2008-05-10',
  recognitionDate: '2020-06-01',
  adopted: false,
  father: { kind: 'deceased' },
  mother: { kind: 'serving_sentence' },
};

function codes(input: Partial<RecognitionInput>): string[] {
  return evaluateRecognition({ ...BASE, ...input }).reasons.map((r) => r.code);
}

// The rule as written in 民发〔2019〕62号 / 〔2020〕125号, stated independently of the implementation.
const isAbsent = (k: ParentSituationKind) => (ABSENCE_KINDS as readonly string[]).includes(k);
const isIncapacitated = (k: ParentSituationKind) => (INCAPACITY_KINDS as readonly string[]).includes(k);
function expectedToQualify(f: ParentSituationKind, m: ParentSituationKind): boolean {
  return (isIncapacitated(f) && isIncapacitated(m)) || (isAbsent(f) && isIncapacitated(m)) || (isIncapacitated(f) && isAbsent(m));
}

describe('every parent situation with every partner situation', () => {
  it('covers 11 situations: 2 absences, 8 incapacities and none', () => {
    expect(ABSENCE_KINDS).toHaveLength(2);
    expect(INCAPACITY_KINDS).toHaveLength(8);
    expect(PARENT_SITUATION_KINDS).toHaveLength(11);
  });

  const table = PARENT_SITUATION_KINDS.flatMap((f) => PARENT_SITUATION_KINDS.map((m) => [f, m, expectedToQualify(f, m)] as const));

  it.each(table)('father %s, mother %s → qualifies: %s', (f, m, qualifies) => {
    const result = evaluateRecognition({ ...BASE, father: situation(f), mother: situation(m) });
    expect(result.qualifies).toBe(qualifies);
    expect(result.reasons.length === 0).toBe(qualifies);

    const got = result.reasons.map((r) => `${r.code}${r.parent ? `:${r.parent}` : ''}`);
    if (isAbsent(f) && isAbsent(m)) {
      expect(got).toEqual(['orphan_not_de_facto_unsupported']);
    } else {
      const expected = [...(f === 'none' ? ['parent_able_to_raise:father'] : []), ...(m === 'none' ? ['parent_able_to_raise:mother'] : [])];
      expect(got).toEqual(expected);
    }
  });

  it('is symmetric in father and mother', () => {
    for (const f of PARENT_SITUATION_KINDS) {
      for (const m of PARENT_SITUATION_KINDS) {
        const a = evaluateRecognition({ ...BASE, father: situation(f), mother: situation(m) });
        const b = evaluateRecognition({ ...BASE, father: situation(m), mother: situation(f) });
        expect(a.qualifies).toBe(b.qualifies);
        expect(a.reasons.map((r) => r.code).sort()).toEqual(b.reasons.map((r) => r.code).sort());
      }
    }
  });

  it('has a label for every situation', () => {
    for (const k of PARENT_SITUATION_KINDS) {
      expect(PARENT_SITUATION_LABELS[k].zh).toMatch(/[\u4e00-\u9fff]/);
      expect(PARENT_SITUATION_LABELS[k].en.length).toBeGreaterThan(3);
    }
  });
});

describe('hand-checked cases', () => {
  it.each([
    ['father deceased, mother serving a sentence', { kind: 'deceased' }, { kind: 'serving_sentence' }, []],
    ['father missing, mother seriously ill', { kind: 'missing' }, { kind: 'serious_illness' }, []],
    ['both in drug rehabilitation and deported', { kind: 'compulsory_drug_rehab' }, { kind: 'deported' }, []],
    ['both deceased: orphan', { kind: 'deceased' }, { kind: 'deceased' }, ['orphan_not_de_facto_unsupported']],
    ['deceased and missing: orphan', { kind: 'deceased' }, { kind: 'missing' }, ['orphan_not_de_facto_unsupported']],
    ['father deceased, mother able', { kind: 'deceased' }, { kind: 'none' }, ['parent_able_to_raise']],
    ['both able', { kind: 'none' }, { kind: 'none' }, ['parent_able_to_raise', 'parent_able_to_raise']],
    ['one seriously ill, the other able', { kind: 'serious_illness' }, { kind: 'none' }, ['parent_able_to_raise']],
  ] as [string, ParentSituation, ParentSituation, string[]][])('%s', (_label, father, mother, expected) => {
    expect(codes({ father, mother })).toEqual(expected);
  });

  it('states why both parents deceased is not this status, in both languages', () => {
    const [reason] = evaluateRecognition({ ...BASE, father: { kind: 'deceased' }, mother: { kind: 'deceased' } }).reasons;
    expect(reason?.message_zh).toContain('孤儿');
    expect(reason?.message_en).toContain('orphan');
  });

  it('names the parent a reason is about', () => {
    const [reason] = evaluateRecognition({ ...BASE, father: { kind: 'deceased' }, mother: { kind: 'none' } }).reasons;
    expect(reason).toMatchObject({ code: 'parent_able_to_raise', parent: 'mother' });
    expect(reason?.message_zh).toContain('母亲');
    expect(reason?.message_en).toContain('mother');
  });
});

describe('serious disability needs grade 1 or 2', () => {
  it.each([
    [1, []],
    [2, []],
    [3, ['disability_grade_not_severe']],
    [4, ['disability_grade_not_severe']],
    [0, ['disability_grade_invalid']],
    [5, ['disability_grade_invalid']],
    [1.5, ['disability_grade_invalid']],
    [Number.NaN, ['disability_grade_invalid']],
    [undefined, ['disability_grade_invalid']],
    ['1', ['disability_grade_invalid']],
  ])('grade %s → %j', (grade, expected) => {
    const mother = { kind: 'severe_disability', disabilityGrade: grade } as ParentSituation;
    expect(codes({ father: { kind: 'deceased' }, mother })).toEqual(expected);
    // Also when both parents are in an incapacity situation.
    expect(codes({ father: { kind: 'serious_illness' }, mother })).toEqual(expected);
  });

  it('fails for both parents when both have grade 3', () => {
    const s: ParentSituation = { kind: 'severe_disability', disabilityGrade: 3 };
    expect(evaluateRecognition({ ...BASE, father: s, mother: s }).reasons.map((r) => r.parent)).toEqual(['father', 'mother']);
  });
});

describe('lost contact needs 6 months or more', () => {
  it.each([
    [0, ['lost_contact_under_6_months']],
    [5, ['lost_contact_under_6_months']],
    [6, []],
    [7, []],
    [36, []],
    [-1, ['lost_contact_months_invalid']],
    [5.5, ['lost_contact_months_invalid']],
    [undefined, ['lost_contact_months_invalid']],
  ])('%s months → %j', (months, expected) => {
    const father = { kind: 'lost_contact', monthsWithoutContact: months } as ParentSituation;
    expect(codes({ father, mother: { kind: 'missing' } })).toEqual(expected);
  });
});

describe('recognition before the 18th birthday', () => {
  it.each([
    ['the day before the 18th birthday', '2008-05-10', '2026-05-09', []],
    ['on the 18th birthday', '2008-05-10', '2026-05-10', ['recognised_at_or_after_18']],
    ['after the 18th birthday', '2008-05-10', '2027-01-01', ['recognised_at_or_after_18']],
    ['on the day of birth', '2008-05-10', '2008-05-10', []],
    ['before birth', '2008-05-10', '2008-05-09', ['recognised_before_birth']],
    ['born 29 Feb, on 28 Feb of the 18th year', '2008-02-29', '2026-02-28', []],
    ['born 29 Feb, on 1 Mar of the 18th year', '2008-02-29', '2026-03-01', ['recognised_at_or_after_18']],
    ['invalid birth date', '2008-02-30', '2020-01-01', ['invalid_birth_date']],
    ['invalid recognition date', '2008-05-10', '2020-13-01', ['invalid_recognition_date']],
    ['both dates invalid', '', 'x', ['invalid_birth_date', 'invalid_recognition_date']],
  ])('%s', (_label, childBirthDate, recognitionDate, expected) => {
    expect(codes({ childBirthDate, recognitionDate })).toEqual(expected);
  });
});

describe('adoption', () => {
  it('an adopted child does not qualify, with the reason stated', () => {
    const result = evaluateRecognition({ ...BASE, adopted: true });
    expect(result.qualifies).toBe(false);
    expect(result.reasons).toHaveLength(1);
    expect(result.reasons[0]).toMatchObject({ code: 'adopted' });
    expect(result.reasons[0]?.message_zh).toContain('收养');
  });

  it('a missing adoption flag fails closed', () => {
    expect(codes({ adopted: undefined as unknown as boolean })).toEqual(['adoption_unknown']);
  });
});

describe('all failures are reported together', () => {
  it('lists timing, adoption and parent reasons at once', () => {
    expect(codes({ recognitionDate: '2026-05-10', adopted: true, father: { kind: 'none' }, mother: { kind: 'serious_illness' } })).toEqual([
      'recognised_at_or_after_18',
      'adopted',
      'parent_able_to_raise',
    ]);
  });

  it('never throws on malformed situations', () => {
    for (const bad of [null, undefined, {}, { kind: 'abroad' }, 'deceased']) {
      const r = evaluateRecognition({ ...BASE, father: bad as unknown as ParentSituation });
      expect(r.qualifies).toBe(false);
      expect(r.reasons.map((x) => x.code)).toContain('parent_situation_unknown');
    }
  });

  it('every reason carries a code and both messages; qualifies exactly when there is none', () => {
    const kind = fc.constantFrom(...PARENT_SITUATION_KINDS);
    const parent = fc.oneof(
      kind.map(situation),
      fc.integer({ min: -1, max: 6 }).map((g) => ({ kind: 'severe_disability', disabilityGrade: g }) as ParentSituation),
      fc.integer({ min: -1, max: 24 }).map((n) => ({ kind: 'lost_contact', monthsWithoutContact: n }) as ParentSituation),
    );
    fc.assert(
      fc.property(parent, parent, fc.boolean(), fc.integer({ min: 0, max: 7000 }), (father, mother, adopted, days) => {
        const d = new Date(Date.UTC(2008, 4, 10 + days)).toISOString().slice(0, 10);
        const r = evaluateRecognition({ ...BASE, father, mother, adopted, recognitionDate: d });
        expect(r.qualifies).toBe(r.reasons.length === 0);
        for (const reason of r.reasons) {
          expect(reason.code).toMatch(/^[a-z0-9_]+$/);
          expect(reason.message_zh).toMatch(/[\u4e00-\u9fff]/);
          expect(reason.message_en.length).toBeGreaterThan(10);
        }
      }),
      { numRuns: 500 },
    );
  });
});
