import { describe, expect, it } from 'vitest';
import { type EnrolmentStatus, isFinalStatus, statusChangeRefusal } from '../../src/domain/enrolment-status.ts';

const ALL: EnrolmentStatus[] = ['enrolled', 'suspended', 'graduated', 'withdrawn'];

describe('statusChangeRefusal', () => {
  const allowed = new Set([
    'enrolled>suspended',
    'suspended>enrolled',
    'enrolled>graduated',
    'enrolled>withdrawn',
    'suspended>graduated',
    'suspended>withdrawn',
  ]);
  const cases = ALL.flatMap((from) => ALL.map((to) => [from, to] as const));

  it.each(cases)('%s → %s', (from, to) => {
    const expected = isFinalStatus(from) ? 'enrolment_ended' : allowed.has(`${from}>${to}`) ? null : 'invalid_status_transition';
    expect(statusChangeRefusal(from, to)).toBe(expected);
  });

  it('treats graduated and withdrawn as final, and only those', () => {
    expect(ALL.filter(isFinalStatus)).toEqual(['graduated', 'withdrawn']);
  });
});
