// The registry of reconciliation checks: their names, their order in the report, what each needs,
// and how to run it. The use case (src/services/reconciliation.ts) knows checks only through this table.
import type { PrismaClient } from '#prisma';
import type { CsvMapping } from '../../bank/statement-csv/index.ts';
import type { PiiVault } from '../../privacy/pii-vault.ts';
import type { CheckName, CheckResult, Progress } from '../check-types.ts';
import type { ByteSource } from '../sources.ts';
import { runFiguresCheck } from './figures.ts';
import { runLedgerCheck } from './ledger.ts';
import { runRulesCheck } from './rules.ts';
import type { ReconcileDb } from './support.ts';

export { CHECK_LABELS, CHECK_ORDER, DEFAULT_CHECKS, isCheckName } from './names.ts';

export interface CheckInputs {
  programmeId?: string;
  progress?: Progress;
  /** bank: statement files (camt.053 or a bank CSV export). */
  statements?: ByteSource[];
  /** bank: how to read a bank CSV export (default: the generic-cn preset). */
  mapping?: CsvMapping;
  /** funding: the foundation's remittance list. */
  remittances?: ByteSource;
  /** bank: the account of a bank CSV that names none (default: the programme's payout account). */
  account?: string;
  /** bank: hashes counterparty accounts so that lines without a reference can match on the account. */
  vault?: PiiVault;
}

/**
 * `snapshot`: reads only the database, and runs inside the run's read-only,
 * repeatable-read transaction (one consistent view for all such checks). `client`: needs the client
 * itself (it may open its own transactions) and runs after the snapshot checks.
 */
export type CheckEntry =
  | { name: CheckName; needs: 'snapshot'; run(db: ReconcileDb, inputs: CheckInputs): Promise<CheckResult> }
  | { name: CheckName; needs: 'client'; run(db: PrismaClient, inputs: CheckInputs): Promise<CheckResult> };

const progressOf = (inputs: CheckInputs) => (inputs.progress ? { progress: inputs.progress } : {});
const scopeOf = (inputs: CheckInputs) => (inputs.programmeId ? { programmeId: inputs.programmeId } : {});

const AVAILABLE: Partial<Record<CheckName, CheckEntry>> = {
  ledger: { name: 'ledger', needs: 'snapshot', run: (db, inputs) => runLedgerCheck(db, { ...scopeOf(inputs), ...progressOf(inputs) }) },
  rules: { name: 'rules', needs: 'snapshot', run: (db, inputs) => runRulesCheck(db, { ...scopeOf(inputs), ...progressOf(inputs) }) },
  figures: { name: 'figures', needs: 'snapshot', run: (db, inputs) => runFiguresCheck(db, { ...scopeOf(inputs), ...progressOf(inputs) }) },

  // ─── bank and funding (src/reconcile/bank, src/reconcile/funding): they read files as well as the
  // database, and may open their own transactions, so they get the client and run after the snapshot.
  // Loaded on first use: a module that fails to load fails its own check (exit 2), never the others.
  bank: {
    name: 'bank',
    needs: 'client',
    run: async (db, inputs) => {
      const { runBankCheck } = await import('../bank/index.ts');
      return runBankCheck(db, {
        statements: inputs.statements ?? [],
        ...(inputs.mapping ? { mapping: inputs.mapping } : {}),
        ...(inputs.account ? { account: inputs.account } : {}),
        ...(inputs.vault ? { vault: inputs.vault } : {}),
        ...scopeOf(inputs),
        ...progressOf(inputs),
      });
    },
  },
  funding: {
    name: 'funding',
    needs: 'client',
    run: async (db, inputs) => {
      const { runFundingCheck } = await import('../funding/index.ts');
      return runFundingCheck(db, { remittances: inputs.remittances, ...scopeOf(inputs), ...progressOf(inputs) });
    },
  },
  // A check missing from this table is refused by the use case and the command line ("not available").
};

/** The check's entry, or undefined when it is not available in this build. */
export function checkEntry(name: CheckName): CheckEntry | undefined {
  return AVAILABLE[name];
}
