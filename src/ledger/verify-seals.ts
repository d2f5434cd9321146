// Proves that the ledger's appends were made by the key holder: from the first sealed transaction
// on, every transaction must have a seal whose MAC verifies with the sealing key (seal.ts). A
// transaction without one, or with a MAC that does not hold, was appended by someone without the
// key — or its seal was removed. Needs the secret key: the public checkpoint key cannot check a MAC.
import type { Tx } from '../db/transaction.ts';
import type { VerificationProblem } from './verify.ts';
import { sealMac } from './seal.ts';
import type { SealKey } from './seal-key.ts';

export interface SealVerification {
  ok: boolean;
  /** The first sealed transaction's sequence: the ledger is sealed from there on (null: nowhere). */
  sealedFrom: string | null;
  transactionsChecked: number;
  sealsChecked: number;
  problems: VerificationProblem[];
}

const PAGE = 5000;
const MAX_PROBLEMS = 100;

interface Row {
  seq: bigint;
  hash: string;
  seal_seq: bigint | null;
  mac: string | null;
}

export async function verifySeals(db: Tx, key: SealKey): Promise<SealVerification> {
  const problems: VerificationProblem[] = [];
  const report = (seq: bigint, problem: string) => {
    if (problems.length < MAX_PROBLEMS) problems.push({ seq: String(seq), problem });
  };
  let sealedFrom: bigint | null = null;
  let transactions = 0;
  let seals = 0;
  let afterSeq = 0n;
  for (;;) {
    const rows = await db.$queryRaw<Row[]>`
      SELECT t."seq", t."hash", s."seq" AS seal_seq, s."mac"
      FROM "ledger_transaction" t LEFT JOIN "ledger_seal" s ON s."transaction_id" = t."id"
      WHERE t."seq" > ${afterSeq} ORDER BY t."seq" LIMIT ${PAGE}`;
    if (rows.length === 0) break;
    const expected = rows.map((r) => (r.mac === null ? null : sealMac(key, r.seq, r.hash)));
    rows.forEach((r, i) => {
      transactions++;
      if (r.mac === null) {
        if (sealedFrom !== null) report(r.seq, 'has no seal: appended without the sealing key, or its seal was deleted');
        return;
      }
      sealedFrom ??= r.seq;
      seals++;
      if (r.seal_seq !== r.seq) report(r.seq, `its seal names sequence ${r.seal_seq}`);
      else if (r.mac !== expected[i]) report(r.seq, 'its seal does not verify with the sealing key');
    });
    afterSeq = (rows[rows.length - 1] as Row).seq;
  }
  if (transactions > 0 && sealedFrom === null) problems.push({ seq: '1', problem: 'no transaction is sealed' });
  return {
    ok: problems.length === 0,
    sealedFrom: sealedFrom === null ? null : String(sealedFrom),
    transactionsChecked: transactions,
    sealsChecked: seals,
    problems,
  };
}

/** How many of the transactions from..to (inclusive) have a seal row of their sequence. */
export async function countSeals(db: Tx, from: bigint, to: bigint): Promise<bigint> {
  const [row] = await db.$queryRaw<{ n: bigint }[]>`
    SELECT count(*) AS n FROM "ledger_seal" s JOIN "ledger_transaction" t ON t."id" = s."transaction_id" AND t."seq" = s."seq"
    WHERE s."seq" BETWEEN ${from} AND ${to}`;
  return row?.n ?? 0n;
}

/** The first sealed transaction's sequence, or null. */
export async function firstSealedSeq(db: Tx): Promise<bigint | null> {
  const [row] = await db.$queryRaw<{ seq: bigint | null }[]>`SELECT min("seq") AS seq FROM "ledger_seal"`;
  return row?.seq ?? null;
}
