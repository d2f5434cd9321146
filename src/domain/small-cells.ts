// Small-cell suppression for published aggregates (the quarterly disclosure report): no student may
// be recognised from a count. A cell counting 1 or 2 distinct students is hidden with everything in it
// (its amounts too); where a hidden cell could be recovered as the published total minus the other
// cells of its group, one more cell is hidden beside it (complementary suppression), so that the
// total less the shown cells gives only the sum of two or more hidden cells. A cell of no students is
// shown: there is no one in it to recognise.

/** Cells counting fewer students than this (and more than none) are hidden. */
export const SMALL_CELL_THRESHOLD = 3;

export const SUPPRESSION_RULE = Object.freeze({
  zh: `人数少于 ${SMALL_CELL_THRESHOLD} 人（1 至 2 人）的格不公布，格内人次与金额一并隐去，以“*”标示；若某组中只有一格被隐去、可由合计减去其余各格推算出来，则再隐去该组中人数最少的另一格。人数为 0 的格照常公布。`,
  en: `Cells of fewer than ${SMALL_CELL_THRESHOLD} students (1 or 2) are not published, their counts and amounts hidden too, marked “*”; where a group would have only one hidden cell, recoverable as the total minus the other cells, the other cell of that group with the fewest students is hidden as well. Cells of no students are published.`,
});

/** Whether a count of students is too small to publish. */
export function isSmallCell(students: number): boolean {
  return students > 0 && students < SMALL_CELL_THRESHOLD;
}

/**
 * Which cells of one group to hide. `students` are the cells' distinct students; `totalPublished`
 * says whether the group's total is shown (then the cells must not let a hidden one be recovered
 * from it). Complementary suppression picks the shown cell with the fewest students (the first
 * such on ties), never a cell of no students, which would add nothing to hide behind.
 */
export function suppressedCells(students: readonly number[], totalPublished: boolean): boolean[] {
  const hidden = students.map(isSmallCell);
  if (!totalPublished) return hidden;
  if (hidden.filter(Boolean).length !== 1) return hidden;
  let partner = -1;
  students.forEach((n, i) => {
    if (hidden[i] || n === 0) return;
    if (partner === -1 || n < (students[partner] as number)) partner = i;
  });
  if (partner !== -1) hidden[partner] = true;
  return hidden;
}
