// How many database connections this process holds and how many queries wait for one: read from
// the pg pool on PostgreSQL; the embedded database is one connection inside the process.

export type DatabasePoolUse =
  /** A pg pool: connections open, idle among them, queries waiting for one, and the pool's bound. */
  | { kind: 'postgres'; total: number; idle: number; waiting: number; max: number }
  /** PGlite: one connection inside the process; nothing counts what waits in front of it. */
  | { kind: 'embedded' };
