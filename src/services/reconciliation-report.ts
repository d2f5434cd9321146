// A recorded run with its report read back as data, for the pages that show its breaks as tables:
// the JSON report exactly as the run wrote it (its hash is the run's), parsed.
import type { z } from 'zod';
import type { ReconciliationReport } from '../reconcile/report/index.ts';
import type { ServiceContext } from './context.ts';
import { GetReconciliationRunInput, type ReconciliationRunView, getReconciliationRun, getReconciliationRunReport } from './reconciliation-runs.ts';
import { parseInput } from './validation.ts';

export async function readReconciliationRun({
  ctx,
  input: raw,
}: {
  ctx: ServiceContext;
  input: z.input<typeof GetReconciliationRunInput>;
}): Promise<{ run: ReconciliationRunView; report: ReconciliationReport }> {
  const input = parseInput(GetReconciliationRunInput, raw);
  const run = await getReconciliationRun({ ctx, input });
  const json = await getReconciliationRunReport({ ctx, input: { id: input.id, format: 'json' } });
  return { run, report: JSON.parse(json.body) as ReconciliationReport };
}
