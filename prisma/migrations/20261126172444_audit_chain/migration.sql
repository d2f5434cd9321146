-- The audit trail becomes tamper-evident: every audit_event gets one audit_chain row, in commit
-- order, whose hash covers the previous hash and a canonical text of the event.
--
-- Many transactions write audit events, some for minutes while they hold the ledger's append lock
-- (sending a large payout batch). So the chain is not extended at insert time: a DEFERRABLE
-- INITIALLY DEFERRED constraint trigger extends it at commit, locking the one-row head only from
-- then until the commit ends. Nothing that runs at commit takes the ledger's append lock (it is
-- taken in the body of a transaction, before any commit-time work), so a transaction holding the
-- head never waits for the ledger: no deadlock. A transaction that rolls back leaves neither a
-- chain row nor a gap.
--
-- The canonical text is recomputed independently by src/domain/audit-chain.ts; change both together.

-- CreateTable
CREATE TABLE "audit_chain" (
    "seq" BIGINT NOT NULL,
    "audit_event_id" BIGINT NOT NULL,
    "prev_hash" CHAR(64) NOT NULL,
    "hash" CHAR(64) NOT NULL,
    "chained_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "audit_chain_pkey" PRIMARY KEY ("seq")
);

-- CreateTable
CREATE TABLE "audit_chain_head" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "seq" BIGINT NOT NULL,
    "hash" CHAR(64) NOT NULL,

    CONSTRAINT "audit_chain_head_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "audit_chain_audit_event_id_key" ON "audit_chain"("audit_event_id");

-- CreateIndex
CREATE INDEX "audit_event_organisation_id_id_idx" ON "audit_event"("organisation_id", "id");

-- AddForeignKey
ALTER TABLE "audit_chain" ADD CONSTRAINT "audit_chain_audit_event_id_fkey" FOREIGN KEY ("audit_event_id") REFERENCES "audit_event"("id") ON DELETE RESTRICT ON UPDATE RESTRICT;

ALTER TABLE "audit_chain" ADD CONSTRAINT "audit_chain_seq_positive" CHECK ("seq" >= 1);
ALTER TABLE "audit_chain" ADD CONSTRAINT "audit_chain_hash_hex" CHECK ("hash" ~ '^[0-9a-f]{64}$' AND "prev_hash" ~ '^[0-9a-f]{64}$');
ALTER TABLE "audit_chain_head" ADD CONSTRAINT "audit_chain_head_single_row" CHECK ("id" = 1);
ALTER TABLE "audit_chain_head" ADD CONSTRAINT "audit_chain_head_seq_non_negative" CHECK ("seq" >= 0);
ALTER TABLE "audit_chain_head" ADD CONSTRAINT "audit_chain_head_hash_hex" CHECK ("hash" ~ '^[0-9a-f]{64}$');

-- One field of the canonical text: `name=<UTF-8 byte length>:<value>\n`, or `name=-\n` for NULL.
-- Length-prefixed, so no value can imitate a field boundary.
CREATE FUNCTION audit_chain_field(name text, value text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT name || '=' || CASE WHEN value IS NULL THEN '-' ELSE octet_length(convert_to(value, 'UTF8'))::text || ':' || value END || E'\n'
$$;

-- The canonical text of an event at a place in the chain. jsonb's text form is canonical (keys
-- sorted, one spacing), so before/after hash the same however the client wrote them.
CREATE FUNCTION audit_chain_canonical(e "audit_event", seq bigint, prev_hash text) RETURNS text LANGUAGE sql STABLE AS $$
  SELECT E'audit-chain/v1\n'
    || audit_chain_field('seq', seq::text)
    || audit_chain_field('prev_hash', prev_hash)
    || audit_chain_field('id', e."id"::text)
    || audit_chain_field('occurred_at', to_char(e."occurred_at" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
    || audit_chain_field('actor_id', e."actor_id"::text)
    || audit_chain_field('organisation_id', e."organisation_id"::text)
    || audit_chain_field('action', e."action")
    || audit_chain_field('record_type', e."record_type")
    || audit_chain_field('record_id', e."record_id")
    || audit_chain_field('before', e."before"::text)
    || audit_chain_field('after', e."after"::text)
    || audit_chain_field('request_id', e."request_id")
$$;

-- Appends one event to the chain under the head's row lock.
CREATE FUNCTION audit_chain_link(e "audit_event") RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  head_seq bigint;
  head_hash text;
  new_hash text;
BEGIN
  SELECT h."seq", h."hash" INTO head_seq, head_hash FROM "audit_chain_head" h WHERE h."id" = 1 FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'audit chain head is missing' USING ERRCODE = 'P0001';
  END IF;
  new_hash := encode(sha256(convert_to(audit_chain_canonical(e, head_seq + 1, head_hash), 'UTF8')), 'hex');
  INSERT INTO "audit_chain" ("seq", "audit_event_id", "prev_hash", "hash") VALUES (head_seq + 1, e."id", head_hash, new_hash);
  UPDATE "audit_chain_head" SET "seq" = head_seq + 1, "hash" = new_hash WHERE "id" = 1;
END;
$$;

CREATE FUNCTION audit_chain_append() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM audit_chain_link(NEW);
  RETURN NULL;
END;
$$;

-- The head only moves forward, one step at a time, onto a chain row that exists.
CREATE FUNCTION audit_chain_head_advance() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'UPDATE' THEN
    RAISE EXCEPTION 'audit chain head: % is not allowed', TG_OP USING ERRCODE = 'P0001';
  END IF;
  IF NEW."id" <> OLD."id" OR NEW."seq" <> OLD."seq" + 1
     OR NOT EXISTS (SELECT 1 FROM "audit_chain" c WHERE c."seq" = NEW."seq" AND c."hash" = NEW."hash" AND c."prev_hash" = OLD."hash") THEN
    RAISE EXCEPTION 'audit chain head may only advance onto the next chain row' USING ERRCODE = 'P0001';
  END IF;
  RETURN NEW;
END;
$$;

-- The head row exists from the start; the backfill below moves it.
INSERT INTO "audit_chain_head" ("id", "seq", "hash") VALUES (1, 0, repeat('0', 64));

CREATE TRIGGER audit_chain_head_guard BEFORE UPDATE OR DELETE ON "audit_chain_head"
  FOR EACH ROW EXECUTE FUNCTION audit_chain_head_advance();
CREATE TRIGGER audit_chain_head_no_insert BEFORE INSERT ON "audit_chain_head"
  FOR EACH ROW EXECUTE FUNCTION audit_chain_head_advance();
CREATE TRIGGER audit_chain_head_no_truncate BEFORE TRUNCATE ON "audit_chain_head"
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_reject_change();

CREATE TRIGGER audit_chain_no_update BEFORE UPDATE OR DELETE ON "audit_chain"
  FOR EACH ROW EXECUTE FUNCTION ledger_reject_change();
CREATE TRIGGER audit_chain_no_truncate BEFORE TRUNCATE ON "audit_chain"
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_reject_change();

-- Events already recorded join the chain in the order they were written.
DO $$
DECLARE
  e "audit_event";
BEGIN
  FOR e IN SELECT * FROM "audit_event" ORDER BY "id" LOOP
    PERFORM audit_chain_link(e);
  END LOOP;
END;
$$;

CREATE CONSTRAINT TRIGGER audit_event_chain AFTER INSERT ON "audit_event"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION audit_chain_append();
