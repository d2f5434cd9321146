import { describe, expect, it } from 'vitest';
import { type EngagementTerms, coverageOn, coversDay, engagementProblems, isCurrent } from '../../src/domain/audit-engagements.ts';

const terms = (overrides: Partial<EngagementTerms> = {}): EngagementTerms => ({
  scope: 'all',
  startsOn: '2026-01-01',
  endsOn: null,
  ended: false,
  programmeIds: [],
  ...overrides,
});

describe('coversDay / isCurrent', () => {
  it('covers its first and last day, both inclusive, and nothing outside', () => {
    const t = terms({ startsOn: '2026-03-01', endsOn: '2026-03-31' });
    expect(['2026-02-28', '2026-03-01', '2026-03-31', '2026-04-01'].map((d) => coversDay(t, d))).toEqual([false, true, true, false]);
  });
  it('never ends without an end date', () => {
    expect(coversDay(terms({ startsOn: '2026-03-01' }), '2099-12-31')).toBe(true);
  });
  it('covers nothing once ended, whatever its dates say', () => {
    expect(isCurrent(terms({ endsOn: '2026-11-26', ended: true }), '2026-11-26')).toBe(false);
    expect(isCurrent(terms({ endsOn: '2026-11-26' }), '2026-11-26')).toBe(true);
  });
});

describe('coverageOn', () => {
  const today = '2026-11-26';
  it('is nothing without a current engagement', () => {
    expect(coverageOn([], today)).toEqual({ kind: 'programmes', programmeIds: [] });
    expect(coverageOn([terms({ endsOn: '2026-11-25' }), terms({ startsOn: '2026-11-27' })], today)).toEqual({ kind: 'programmes', programmeIds: [] });
  });
  it('is everything when one current engagement is on all programmes', () => {
    expect(coverageOn([terms({ scope: 'programmes', programmeIds: ['b'] }), terms()], today)).toEqual({ kind: 'all' });
  });
  it('is the union of the current listed engagements, each programme once, ended ones left out', () => {
    const coverage = coverageOn(
      [
        terms({ scope: 'programmes', programmeIds: ['b', 'a'] }),
        terms({ scope: 'programmes', programmeIds: ['a', 'c'] }),
        terms({ scope: 'programmes', programmeIds: ['d'], ended: true }),
        terms({ scope: 'all', endsOn: '2026-11-01' }),
      ],
      today,
    );
    expect(coverage).toEqual({ kind: 'programmes', programmeIds: ['a', 'b', 'c'] });
  });
});

describe('engagementProblems', () => {
  it('accepts well-formed terms', () => {
    expect(engagementProblems(terms())).toEqual([]);
    expect(engagementProblems(terms({ scope: 'programmes', programmeIds: ['a'], endsOn: '2026-01-01' }))).toEqual([]);
  });
  it('names the field of each problem', () => {
    const paths = (t: EngagementTerms) => engagementProblems(t).map((p) => p.path);
    expect(paths(terms({ endsOn: '2025-12-31' }))).toEqual(['endsOn']);
    expect(paths(terms({ scope: 'programmes' }))).toEqual(['programmeIds']);
    expect(paths(terms({ programmeIds: ['a'] }))).toEqual(['programmeIds']);
    expect(paths(terms({ scope: 'programmes', programmeIds: ['a', 'a'] }))).toEqual(['programmeIds']);
  });
});
