// How long an interactive transaction may wait for a connection and run, the same on every runtime
// (src/db/client.ts on Node, src/worker.ts on Workers). Interactive transactions wait for the
// ledger's append lock under load; Prisma's defaults (2 s to start, 5 s to finish) are too tight
// for 16 writers on two cores.
export const TRANSACTION_OPTIONS = { maxWait: 15_000, timeout: 30_000 };
