// What the ledger and the services tell whoever counts them (the metrics of src/http/metrics-node.ts):
// appends to the ledger, bank files handed out, banks' answers read, reconciliations run. The
// ledger and the services know nothing of metrics; they say what happened here, in this process,
// and a listener that is absent costs a loop over an empty set.
//
// Process-wide on purpose: an append happens deep inside a database transaction, far from any
// request, and a metric describes the process that made it. Events carry no personal data and no
// ids: kinds, formats, counts and durations only.

export type LedgerAppendPath = 'single' | 'pairs' | 'receipts';

export type OperationEvent =
  /**
   * One statement that appended to the ledger: it took the append lock (waiting for it when
   * another transaction held it) and appended `transactions`. Said when the statement returned;
   * its database transaction commits or rolls back afterwards.
   */
  | { kind: 'ledger_append'; path: LedgerAppendPath; transactions: number; seconds: number }
  /** A payout batch's file for the bank was written and handed out (the first time or again). */
  | { kind: 'bank_file_exported'; format: string }
  /** A bank's answer was read: applied, dry run, or the same file again (nothing changed). */
  | { kind: 'bank_answer_imported'; format: string; outcome: 'applied' | 'dry_run' | 'replayed' }
  /** A reconciliation run was recorded, with its breaks counted by check and code. */
  | { kind: 'reconciliation_run'; status: string; breaks: { check: string; code: string; count: number }[] };

export type OperationListener = (event: OperationEvent) => void;

const listeners = new Set<OperationListener>();

/** Calls `listener` for every event of this process from now on; the returned function stops it. */
export function onOperation(listener: OperationListener): () => void {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}

/** Tells the listeners; a listener that throws never fails the work that reported. */
export function reportOperation(event: OperationEvent): void {
  for (const listener of listeners) {
    try {
      listener(event);
    } catch {
      // Counting is never worth failing an append or a payout for.
    }
  }
}

/** A clock for durations: performance.now where there is one (Node, Workers), else Date.now. */
export function secondsSince(startedMs: number): number {
  return (now() - startedMs) / 1000;
}

export function now(): number {
  return typeof performance === 'undefined' ? Date.now() : performance.now();
}
