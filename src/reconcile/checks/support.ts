// What the checks share: their options, silence for progress, the database they read, and the
// sorting that keeps a result independent of the order rows came back in.
import type { Exception, Progress } from '../check-types.ts';
import type { Tx } from '../../services/context.ts';

/**
 * The database a check reads: the client itself or an open (read-only, repeatable-read)
 * transaction, so that a run (src/services/reconciliation.ts) can run several checks on one snapshot.
 */
export type ReconcileDb = Tx;

/** Options every check takes; `programmeId` limits it to one programme (absent: all programmes). */
export interface CheckOptions {
  programmeId?: string;
  progress?: Progress;
}

/** Reports nothing: piped output, tests, the HTTP service. */
export const silentProgress: Progress = {
  start() {},
  tick() {},
  stop() {},
};

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Subject keys in sorted order, so that the same subject always serialises the same way. */
export function sortedSubject(subject: Exception['subject']): Exception['subject'] {
  const out: Exception['subject'] = {};
  for (const key of Object.keys(subject).sort(compare)) out[key] = subject[key] ?? null;
  return out;
}

function compareValues(a: string | number | null | undefined, b: string | number | null | undefined): number {
  if (a === b) return 0;
  if (a === undefined || a === null) return -1;
  if (b === undefined || b === null) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return compare(String(a), String(b));
}

/**
 * Exceptions ordered by code, then subject (key by key; numbers as numbers, so seq 9 comes before
 * seq 10), then message and amount: a total order on what they say.
 */
export function sortExceptions(exceptions: readonly Exception[]): Exception[] {
  return [...exceptions].sort((x, y) => {
    let d = compare(x.code, y.code);
    if (d !== 0) return d;
    const keys = [...new Set([...Object.keys(x.subject), ...Object.keys(y.subject)])].sort(compare);
    for (const k of keys) {
      d = compareValues(x.subject[k], y.subject[k]);
      if (d !== 0) return d;
    }
    d = compare(x.message, y.message);
    return d !== 0 ? d : compare(x.amount ?? '', y.amount ?? '');
  });
}

/** Plain code-point order (never locale order, which may differ between machines). */
export const byText = compare;

export interface ProgrammeRef {
  id: string;
  code: string;
}

/** The programmes a check covers: the one asked for, or every programme; ordered by code. */
export async function programmesInScope(db: ReconcileDb, programmeId: string | undefined): Promise<ProgrammeRef[]> {
  const rows = await db.programme.findMany({
    where: programmeId ? { id: programmeId } : {},
    select: { id: true, code: true },
  });
  return rows.sort((a, b) => compare(a.code, b.code));
}
