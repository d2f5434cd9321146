-- One round trip for an append. The service sends the transaction with its canonical form cut
-- in three around the two values only the head knows (previous hash and sequence number);
-- ledger_post takes the append lock, reads the head, checks the balances, completes the
-- canonical form, hashes it (SHA-256) and inserts the transaction and its entries. The lock is
-- then held for this one statement and the commit, not for several round trips. The service
-- recomputes the hash with Web Crypto from the same canonical form and refuses a mismatch, and
-- the verifier recomputes every hash from transaction 1, so the SQL cannot drift unnoticed.

CREATE FUNCTION ledger_post(
  p_id uuid, p_programme_id uuid, p_kind "LedgerTransactionKind", p_event_date date,
  p_recorded_at timestamptz, p_description text, p_source_type text, p_source_id uuid, p_actor_id uuid,
  p_reverses_id uuid, p_canonical_segments text[],
  p_lines int[], p_account_ids uuid[], p_directions "EntryDirection"[], p_amounts numeric[]
)
RETURNS TABLE (seq bigint, prev_hash text, hash text, line int, balance_after numeric)
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  head_seq bigint;
  head_hash text;
  new_seq bigint;
  new_hash text;
  acct_kind "AccountKind";
  current numeric(14,2);
  effect numeric(14,2);
BEGIN
  IF array_length(p_canonical_segments, 1) <> 3 THEN
    RAISE EXCEPTION 'ledger_post needs the canonical form in three segments' USING ERRCODE = 'P0001';
  END IF;
  PERFORM pg_advisory_xact_lock(ledger_append_lock_key());
  -- Each statement below takes a fresh snapshot (read committed): it sees every append committed
  -- before the lock was granted.
  SELECT lt."seq", lt."hash" INTO head_seq, head_hash FROM "ledger_transaction" lt ORDER BY lt."seq" DESC LIMIT 1;
  new_seq := coalesce(head_seq, 0) + 1;
  head_hash := coalesce(head_hash, repeat('0', 64));

  -- A clear refusal before any row is written; the entry trigger enforces the same rule.
  FOR i IN 1 .. array_length(p_lines, 1) LOOP
    SELECT a."kind" INTO acct_kind FROM "ledger_account" a WHERE a."id" = p_account_ids[i];
    IF acct_kind IS DISTINCT FROM 'bank' THEN
      SELECT le."balance_after" INTO current FROM "ledger_entry" le
        WHERE le."account_id" = p_account_ids[i] ORDER BY le."seq" DESC LIMIT 1;
      current := coalesce(current, 0);
      effect := CASE WHEN p_directions[i] = 'credit' THEN p_amounts[i] ELSE -p_amounts[i] END;
      IF current + effect < 0 THEN
        RAISE EXCEPTION 'ledger_insufficient_balance:%:%:%', acct_kind, current, p_amounts[i] USING ERRCODE = 'P0001';
      END IF;
    END IF;
  END LOOP;

  new_hash := encode(sha256(convert_to(
    p_canonical_segments[1] || head_hash || p_canonical_segments[2] || new_seq::text || p_canonical_segments[3], 'UTF8')), 'hex');

  INSERT INTO "ledger_transaction"
    ("id", "seq", "programme_id", "kind", "event_date", "recorded_at", "description",
     "source_type", "source_id", "actor_id", "reverses_id", "prev_hash", "hash")
  VALUES (p_id, new_seq, p_programme_id, p_kind, p_event_date, p_recorded_at, p_description,
          p_source_type, p_source_id, p_actor_id, p_reverses_id, head_hash, new_hash);
  RETURN QUERY
    WITH inserted AS (
      INSERT INTO "ledger_entry" ("transaction_id", "line", "seq", "account_id", "direction", "amount", "currency", "balance_after")
      SELECT p_id, l.line, new_seq, l.account_id, l.direction, l.amount, 'CNY', 0
      FROM unnest(p_lines, p_account_ids, p_directions, p_amounts) AS l(line, account_id, direction, amount)
      ORDER BY l.line
      RETURNING "ledger_entry"."line", "ledger_entry"."balance_after"
    )
    SELECT new_seq, head_hash, new_hash, inserted."line", inserted."balance_after" FROM inserted;
END;
$$;

-- Entries are written with their transaction, in the same database transaction, never later.
-- That makes the transaction-level balance check at commit sufficient, so the per-entry
-- deferred check (three checks for a two-line transaction) goes.
CREATE OR REPLACE FUNCTION ledger_entry_apply() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  tx record;
  acct record;
  previous numeric(14,2);
  effect numeric(14,2);
BEGIN
  PERFORM pg_advisory_xact_lock(ledger_append_lock_key());
  SELECT "seq", "programme_id", "xmin" = pg_current_xact_id()::xid AS mine INTO tx
    FROM "ledger_transaction" WHERE "id" = NEW."transaction_id";
  IF NOT FOUND THEN
    RAISE EXCEPTION 'ledger entry for an unknown transaction' USING ERRCODE = 'P0001';
  END IF;
  IF NOT tx.mine THEN
    RAISE EXCEPTION 'entries are written with their transaction; a committed transaction is closed' USING ERRCODE = 'P0001';
  END IF;
  IF NEW."seq" <> tx."seq" THEN
    RAISE EXCEPTION 'ledger entry seq % does not match its transaction %', NEW."seq", tx."seq" USING ERRCODE = 'P0001';
  END IF;
  IF tx."seq" <> (SELECT max("seq") FROM "ledger_transaction") THEN
    RAISE EXCEPTION 'entries may only be added to the newest transaction' USING ERRCODE = 'P0001';
  END IF;
  SELECT "kind", "programme_id" INTO acct FROM "ledger_account" WHERE "id" = NEW."account_id";
  IF acct."programme_id" <> tx."programme_id" THEN
    RAISE EXCEPTION 'ledger entry account belongs to another programme' USING ERRCODE = 'P0001';
  END IF;
  SELECT le."balance_after" INTO previous FROM "ledger_entry" le
    WHERE le."account_id" = NEW."account_id" ORDER BY le."seq" DESC LIMIT 1;
  previous := coalesce(previous, 0);
  IF (acct."kind" = 'bank') = (NEW."direction" = 'debit') THEN
    effect := NEW."amount";
  ELSE
    effect := -NEW."amount";
  END IF;
  NEW."balance_after" := previous + effect;
  IF acct."kind" <> 'bank' AND NEW."balance_after" < 0 THEN
    RAISE EXCEPTION 'ledger balance of % account would go below zero', acct."kind" USING ERRCODE = 'P0001';
  END IF;
  RETURN NEW;
END;
$$;

DROP TRIGGER ledger_entry_balanced ON "ledger_entry";
