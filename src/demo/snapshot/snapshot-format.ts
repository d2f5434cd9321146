// The demo snapshot: the database a replay of the demo through the use cases leaves (seed.ts),
// kept as one file so that a first start loads it in a second or two instead of replaying two
// academic years for a minute. `npm run demo:snapshot` makes it; test/e2e/demo-snapshot.test.ts
// proves a loaded snapshot is what a replay makes, so a snapshot that falls behind the code fails
// the suite instead of showing a newcomer a demo the code would not make.
//
// Layout (gzip): line 1 is the header (JSON); then, per table, a line with the table's name and a
// line with its rows as PostgreSQL wrote them (row_to_json), handed back to PostgreSQL unparsed, so
// amounts never pass through a JS number.

import type { SequenceState } from '../../backup/table-rows.ts';

export const SNAPSHOT_FORMAT = 'scholarship-ledger-demo-snapshot/1';

/** Where the snapshot lives, from the project root. */
export const SNAPSHOT_PATH = 'demo/snapshot/qinghai-demo.jsonl.gz';

export interface SnapshotUser {
  userId: string;
  tokenId: string;
  organisation: string;
  role: string;
  user: string;
  username: string;
}

export interface SnapshotHeader {
  format: typeof SNAPSHOT_FORMAT;
  /** When the replay ran: record timestamps in the snapshot say this time. */
  madeAt: string;
  /** The business day the replay ran on, and its academic year: the year in progress is reviewed as of that day. */
  businessDate: string;
  academicYear: number;
  /** The migrations the snapshot's schema came from; a database migrated otherwise cannot take its rows. */
  migrations: { name: string; checksum: string }[];
  /**
   * The personal-data keys the snapshot's fictional people are sealed with. Public by design: a
   * load re-seals every value under the installation's own keys and recomputes the lookup hashes.
   */
  keys: { PII_KEYS: string; PII_LOOKUP_KEY: string };
  /** The demo's users: a load gives each a fresh token and password, never the snapshot's. */
  users: SnapshotUser[];
  sequences: SequenceState[];
  tables: { name: string; rows: number }[];
  ledgerHead: { seq: string; hash: string };
  auditHead: { seq: string; hash: string };
}
