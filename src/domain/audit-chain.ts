// The audit trail's hash chain, recomputed outside the database. The database extends the chain at
// commit (prisma/migrations/*_audit_chain, audit_chain_canonical); this is the same canonical text,
// written a second time so that a verifier does not trust the code it checks. Change both together.
import { sha256Hex } from './chain-hash.ts';

/** The previous hash of chain row 1. */
export const AUDIT_GENESIS_HASH = '0'.repeat(64);

export interface CanonicalAuditEvent {
  seq: bigint;
  prevHash: string;
  id: bigint;
  occurredAt: Date;
  actorId: string;
  organisationId: string;
  action: string;
  recordType: string;
  recordId: string;
  /** PostgreSQL's text form of the jsonb value (canonical: keys sorted, fixed spacing), or null. */
  beforeText: string | null;
  afterText: string | null;
  requestId: string | null;
}

const encoder = new TextEncoder();

/** `name=<UTF-8 byte length>:<value>\n`, or `name=-\n`: no value can imitate a field boundary. */
function field(name: string, value: string | null): string {
  return value === null ? `${name}=-\n` : `${name}=${encoder.encode(value).length}:${value}\n`;
}

export function canonicalAuditEvent(e: CanonicalAuditEvent): string {
  return (
    'audit-chain/v1\n' +
    field('seq', e.seq.toString()) +
    field('prev_hash', e.prevHash) +
    field('id', e.id.toString()) +
    // timestamptz(3) in UTC with milliseconds: the database's to_char 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'.
    field('occurred_at', e.occurredAt.toISOString()) +
    field('actor_id', e.actorId.toLowerCase()) +
    field('organisation_id', e.organisationId.toLowerCase()) +
    field('action', e.action) +
    field('record_type', e.recordType) +
    field('record_id', e.recordId) +
    field('before', e.beforeText) +
    field('after', e.afterText) +
    field('request_id', e.requestId)
  );
}

export function hashAuditEvent(e: CanonicalAuditEvent): Promise<string> {
  return sha256Hex(canonicalAuditEvent(e));
}
