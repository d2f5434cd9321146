// Recomputes the audit trail's hash chain from row 1, outside the database: gapless sequence,
// each row's prev_hash, each hash over its event's canonical text, the head, and every event
// chained. Reads in pages (keyset on seq), so memory stays flat for millions of events.
import { AUDIT_GENESIS_HASH, hashAuditEvent } from '../domain/audit-chain.ts';
import type { Tx } from '../db/transaction.ts';

export interface AuditVerificationProblem {
  /** The chain position concerned; null for an event that has no chain row at all. */
  seq: string | null;
  eventId: string | null;
  problem: string;
}

export interface AuditVerificationResult {
  ok: boolean;
  chainRowsChecked: number;
  unchainedEvents: number;
  head: { seq: string; hash: string };
  /** The first problem in chain order; later ones may follow from it. */
  firstProblem: AuditVerificationProblem | null;
  problems: AuditVerificationProblem[];
}

const PAGE = 2000;
const MAX_PROBLEMS = 100;

interface ChainRow {
  seq: bigint;
  audit_event_id: bigint;
  prev_hash: string;
  hash: string;
  event_id: bigint | null;
  occurred_at: Date | null;
  actor_id: string | null;
  organisation_id: string | null;
  action: string | null;
  record_type: string | null;
  record_id: string | null;
  before: string | null;
  after: string | null;
  request_id: string | null;
}

export async function verifyAuditChain(db: Tx, onProgress?: (checked: number) => void): Promise<AuditVerificationResult> {
  const problems: AuditVerificationProblem[] = [];
  const report = (seq: bigint | null, eventId: bigint | null, problem: string) => {
    if (problems.length < MAX_PROBLEMS) problems.push({ seq: seq === null ? null : String(seq), eventId: eventId === null ? null : String(eventId), problem });
  };
  let expectedSeq = 1n;
  let prevHash = AUDIT_GENESIS_HASH;
  let checked = 0;
  let afterSeq = 0n;

  const walk = async () => {
    for (;;) {
      const rows = await db.$queryRaw<ChainRow[]>`
        SELECT c."seq", c."audit_event_id", c."prev_hash", c."hash", e."id" AS event_id, e."occurred_at",
               e."actor_id"::text AS actor_id, e."organisation_id"::text AS organisation_id, e."action", e."record_type",
               e."record_id", e."before"::text AS before, e."after"::text AS after, e."request_id"
        FROM "audit_chain" c LEFT JOIN "audit_event" e ON e."id" = c."audit_event_id"
        WHERE c."seq" > ${afterSeq} ORDER BY c."seq" LIMIT ${PAGE}`;
      if (rows.length === 0) return;
      for (const r of rows) {
        checked++;
        if (r.seq !== expectedSeq) {
          report(expectedSeq, null, r.seq > expectedSeq ? `sequence gap: chain row ${expectedSeq} is missing (next is ${r.seq})` : `sequence repeats ${r.seq}`);
        }
        if (r.prev_hash !== prevHash) report(r.seq, r.audit_event_id, 'prev_hash does not match the hash of the chain row before it');
        if (r.event_id === null) {
          report(r.seq, r.audit_event_id, `its audit event ${r.audit_event_id} is missing`);
        } else {
          const recomputed = await hashAuditEvent({
            seq: r.seq,
            prevHash: r.prev_hash,
            id: r.event_id,
            occurredAt: r.occurred_at as Date,
            actorId: r.actor_id as string,
            organisationId: r.organisation_id as string,
            action: r.action as string,
            recordType: r.record_type as string,
            recordId: r.record_id as string,
            beforeText: r.before,
            afterText: r.after,
            requestId: r.request_id,
          });
          if (recomputed !== r.hash) report(r.seq, r.audit_event_id, 'hash does not match the recomputed hash of its event (content edited)');
        }
        prevHash = r.hash;
        expectedSeq = r.seq + 1n;
      }
      afterSeq = (rows[rows.length - 1] as ChainRow).seq;
      onProgress?.(checked);
    }
  };

  // Writers may commit while we walk: a head ahead of the walk means rows arrived meanwhile, so
  // walk on. The chain row and the head move in the same commit, so the head is never behind.
  // A walk that finds nothing new ends it: the head is then ahead of a chain with rows missing.
  let head: { seq: bigint; hash: string } | undefined;
  for (;;) {
    const walkedBefore = checked;
    await walk();
    [head] = await db.$queryRaw<{ seq: bigint; hash: string }[]>`SELECT "seq", "hash" FROM "audit_chain_head" WHERE "id" = 1`;
    if (!head || head.seq <= afterSeq || checked === walkedBefore) break;
  }
  const lastSeq = expectedSeq - 1n;
  if (!head) report(lastSeq, null, 'the chain head row is missing');
  else if (head.seq !== lastSeq)
    report(head.seq < lastSeq ? head.seq + 1n : head.seq, null, `head mismatch: the head says seq ${head.seq}, the chain ends at ${lastSeq}`);
  else if (head.hash !== prevHash) report(head.seq, null, 'head mismatch: the head’s hash is not the hash of the last chain row');

  // Events committed without a chain row (triggers bypassed). One anti-join; capped like the rest.
  const [{ n: unchained } = { n: 0n }] = await db.$queryRaw<{ n: bigint }[]>`
    SELECT count(*) AS n FROM "audit_event" e WHERE NOT EXISTS (SELECT 1 FROM "audit_chain" c WHERE c."audit_event_id" = e."id")`;
  if (unchained > 0n) {
    const ids = await db.$queryRaw<{ id: bigint }[]>`
      SELECT e."id" FROM "audit_event" e WHERE NOT EXISTS (SELECT 1 FROM "audit_chain" c WHERE c."audit_event_id" = e."id")
      ORDER BY e."id" LIMIT ${MAX_PROBLEMS}`;
    for (const { id } of ids) report(null, id, `audit event ${id} is not chained`);
  }

  return {
    ok: problems.length === 0,
    chainRowsChecked: checked,
    unchainedEvents: Number(unchained),
    head: { seq: String(lastSeq), hash: prevHash },
    firstProblem: problems[0] ?? null,
    problems,
  };
}
