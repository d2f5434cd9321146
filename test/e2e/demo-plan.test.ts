// The demo's plan, before any database: the people and amounts `npm start` loads must be valid
// by the same rules the services apply, and the same on every call (the committed demo statements
// depend on it). The database side is checked by start.test.ts.
import { describe, expect, it } from 'vitest';
import { ageOn } from '../../src/domain/academic-year.ts';
import { parseIdentityNumber } from '../../src/domain/identity-number.ts';
import { PARENT_SITUATION_KINDS, type ParentSituation, evaluateRecognition } from '../../src/domain/recognition.ts';
import { BANDS, STEP, allocateAmounts } from '../../src/demo/amounts.ts';
import { COHORTS, plannedIntakes } from '../../src/demo/history.ts';
import type { Level } from '../../src/demo/people.ts';
import { seededRandom } from '../../src/demo/random.ts';
import type { ParentInput } from '../../src/services/recognitions.ts';

const { first, second } = plannedIntakes();
const everyone = [...first, ...second];

function situation(p: ParentInput): ParentSituation {
  if (p.situation === 'severe_disability') return { kind: 'severe_disability', disabilityGrade: p.disabilityGrade as number };
  if (p.situation === 'lost_contact') return { kind: 'lost_contact', monthsWithoutContact: p.lostContactMonths as number };
  return { kind: p.situation } as ParentSituation;
}

describe('the demo plan', () => {
  it('has 84 students in the first intake and 81 in the second, the same on every call', () => {
    expect([first.length, second.length]).toEqual([84, 81]);
    expect(JSON.stringify(plannedIntakes())).toBe(JSON.stringify({ first, second }));
    expect(new Set(everyone.map((s) => s.identityNumber)).size).toBe(everyone.length);
    expect(new Set(everyone.map((s) => s.name)).size).toBe(everyone.length);
    expect(new Set(everyone.flatMap((s) => [s.account.accountNumber, s.newAccount.accountNumber])).size).toBe(everyone.length * 2);
  });

  it('gives valid identity numbers from Qinghai codes, matching birth date and gender', () => {
    for (const s of everyone) {
      const parsed = parseIdentityNumber(s.identityNumber, '2024-09-10');
      expect(parsed.ok, s.identityNumber).toBe(true);
      if (!parsed.ok) continue;
      expect(parsed.value).toMatchObject({ birthDate: s.birthDate, regionCode: s.regionCode, sex: s.gender });
      expect(s.regionCode.startsWith('63')).toBe(true);
    }
  });

  it('makes everyone 18 on the first day of their year of admission, and recognised before 18 on evidence', () => {
    for (const s of everyone) {
      expect(ageOn(s.birthDate, s.admissionDate)).toBeGreaterThanOrEqual(18);
      const r = s.recognition;
      expect(r.recognisedOn >= '2019-07-01').toBe(true);
      expect(
        evaluateRecognition({
          childBirthDate: s.birthDate,
          recognitionDate: r.recognisedOn,
          adopted: r.adopted,
          father: situation(r.father),
          mother: situation(r.mother),
        }),
      ).toEqual({ qualifies: true, reasons: [] });
      expect(r.evidence.length).toBeGreaterThanOrEqual(2);
      for (const e of r.evidence) expect(e.issuedOn <= r.recognisedOn).toBe(true);
    }
  });

  it('covers every parental situation of the rule', () => {
    const seen = new Set(everyone.flatMap((s) => [s.recognition.father.situation, s.recognition.mother.situation]));
    expect([...seen].sort()).toEqual(PARENT_SITUATION_KINDS.filter((k) => k !== 'none').sort());
  });

  it('allocates each cohort exactly its published total, inside the bands, in steps of 500', () => {
    // The demo's level mix: 2024-2025 28 高职, 24 大专, 32 本科; 2025-2026 47, 42, 54.
    const mix = { 2024: [28, 24, 32], 2025: [47, 42, 54] } as const;
    for (const { year, grants, total } of COHORTS) {
      const [hv, jc, ug] = mix[year];
      const levels: Level[] = [
        ...Array<Level>(hv).fill('higher_vocational'),
        ...Array<Level>(jc).fill('junior_college'),
        ...Array<Level>(ug).fill('undergraduate'),
      ];
      expect(levels).toHaveLength(grants);
      const amounts = allocateAmounts(levels, total, seededRandom(year));
      expect(amounts.reduce((s, a) => s + a, 0)).toBe(total);
      amounts.forEach((a, i) => {
        const band = BANDS[levels[i] as Level];
        expect(a % STEP).toBe(0);
        expect(a >= band.min && a <= band.max).toBe(true);
      });
    }
    expect(() => allocateAmounts(['higher_vocational'], 5000, seededRandom(1))).toThrow(/cannot be met/);
  });
});
