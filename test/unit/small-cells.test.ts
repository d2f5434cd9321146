import { describe, expect, it } from 'vitest';
import { isSmallCell, suppressedCells } from '../../src/domain/small-cells.ts';

describe('small-cell suppression', () => {
  it('hides cells of one or two students, never of none or three', () => {
    expect([0, 1, 2, 3].map(isSmallCell)).toEqual([false, true, true, false]);
  });

  it('hides nothing more when the group’s total is not shown', () => {
    expect(suppressedCells([2, 5, 7], false)).toEqual([true, false, false]);
  });

  it('hides the smallest other cell when one hidden cell could be recovered from the total', () => {
    expect(suppressedCells([2, 5, 4, 9], true)).toEqual([true, false, true, false]);
  });

  it('takes the first of equally small partners, and never a cell of no students', () => {
    expect(suppressedCells([0, 1, 4, 4], true)).toEqual([false, true, true, false]);
  });

  it('adds nothing when two or more cells are hidden already', () => {
    expect(suppressedCells([1, 2, 6], true)).toEqual([true, true, false]);
    expect(suppressedCells([3, 5], true)).toEqual([false, false]);
  });
});
