// Annual amounts for a cohort: each inside its level's band, in steps of 500 CNY (how the
// department writes them: 3,000, 3,500, …), and adding up EXACTLY to the cohort's published total.
import type { Level } from './people.ts';
import type { Random } from './random.ts';

export const STEP = 500;

/** The programme's bands (per academic year and level, the same every year of the demo). */
export const BANDS: Record<Level, { min: number; max: number }> = {
  higher_vocational: { min: 3000, max: 4000 },
  junior_college: { min: 3000, max: 4500 },
  undergraduate: { min: 3500, max: 5000 },
};

/** How often each amount is first chosen, per level, before the total is met. */
const LIKELY: Record<Level, readonly (readonly [number, number])[]> = {
  higher_vocational: [
    [3000, 5],
    [3500, 4],
    [4000, 2],
  ],
  junior_college: [
    [3000, 3],
    [3500, 4],
    [4000, 3],
    [4500, 1],
  ],
  undergraduate: [
    [3500, 2],
    [4000, 4],
    [4500, 3],
    [5000, 2],
  ],
};

/**
 * Amounts (whole yuan) for grants of these levels, summing to `total`. First each is drawn from
 * LIKELY; then, walking the grants in a shuffled order, amounts move by one step towards the total
 * within their band. Throws if the total cannot be met inside the bands (a mistake in the plan).
 */
export function allocateAmounts(levels: readonly Level[], total: number, random: Random): number[] {
  if (total % STEP !== 0) throw new RangeError(`a total of ${total} is not made of ${STEP}-yuan steps`);
  const amounts = levels.map((level) => random.weighted(LIKELY[level]));
  let gap = total - amounts.reduce((s, a) => s + a, 0);
  const order = random.shuffle(levels.map((_, i) => i));
  while (gap !== 0) {
    let moved = false;
    for (const i of order) {
      if (gap === 0) break;
      const band = BANDS[levels[i] as Level];
      const a = amounts[i] as number;
      if (gap > 0 && a + STEP <= band.max) {
        amounts[i] = a + STEP;
        gap -= STEP;
        moved = true;
      } else if (gap < 0 && a - STEP >= band.min) {
        amounts[i] = a - STEP;
        gap += STEP;
        moved = true;
      }
    }
    if (!moved) throw new RangeError(`a total of ${total} cannot be met inside the bands`);
  }
  return amounts;
}
