-- Ledger rules the database enforces, whatever code path writes (DESIGN.md §3):
--   * ledger rows are never updated, deleted or truncated;
--   * transactions form one gapless sequence and one linear hash chain;
--   * every transaction balances (debits = credits, at least two lines), checked at commit;
--   * each entry's running balance is computed here, and fund, payable and in_transit never go
--     below zero;
--   * a correction reverses a transaction at most once, and never another correction.
-- Appends are serialised by one transaction-scoped advisory lock, so the chain stays linear and
-- the balance checks see every committed entry under any number of concurrent writers.

ALTER TABLE "ledger_entry" ADD CONSTRAINT "ledger_entry_amount_positive" CHECK ("amount" > 0);
ALTER TABLE "ledger_entry" ADD CONSTRAINT "ledger_entry_currency_cny" CHECK ("currency" = 'CNY');
ALTER TABLE "ledger_entry" ADD CONSTRAINT "ledger_entry_line_positive" CHECK ("line" >= 1);
ALTER TABLE "ledger_transaction" ADD CONSTRAINT "ledger_transaction_seq_positive" CHECK ("seq" >= 1);
ALTER TABLE "ledger_transaction" ADD CONSTRAINT "ledger_transaction_hash_hex" CHECK ("hash" ~ '^[0-9a-f]{64}$' AND "prev_hash" ~ '^[0-9a-f]{64}$');
ALTER TABLE "ledger_account" ADD CONSTRAINT "ledger_account_code_matches_kind" CHECK (
  ("kind" = 'payable' AND "grant_id" IS NOT NULL AND "code" = 'payable:' || "grant_id"::text)
  OR ("kind" <> 'payable' AND "grant_id" IS NULL AND "code" = "kind"::text)
);
ALTER TABLE "funding_receipt" ADD CONSTRAINT "funding_receipt_amount_positive" CHECK ("amount" > 0);
ALTER TABLE "funding_receipt" ADD CONSTRAINT "funding_receipt_currency_cny" CHECK ("currency" = 'CNY');
ALTER TABLE "programme" ADD CONSTRAINT "programme_currency_cny" CHECK ("currency" = 'CNY');
ALTER TABLE "programme" ADD CONSTRAINT "programme_years_ordered" CHECK ("first_academic_year" <= "last_academic_year");
ALTER TABLE "programme" ADD CONSTRAINT "programme_budget_non_negative" CHECK ("budget" >= 0);
ALTER TABLE "programme_band" ADD CONSTRAINT "programme_band_range" CHECK ("min_amount" > 0 AND "min_amount" <= "max_amount");

-- The key every append locks; the service takes the same lock before it reads the chain head.
CREATE FUNCTION ledger_append_lock_key() RETURNS bigint LANGUAGE sql IMMUTABLE AS $$ SELECT 7301142025::bigint $$;

CREATE FUNCTION ledger_reject_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'ledger is append-only: % on % is not allowed', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'P0001';
END;
$$;

CREATE TRIGGER ledger_transaction_no_update BEFORE UPDATE OR DELETE ON "ledger_transaction"
  FOR EACH ROW EXECUTE FUNCTION ledger_reject_change();
CREATE TRIGGER ledger_transaction_no_truncate BEFORE TRUNCATE ON "ledger_transaction"
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_reject_change();
CREATE TRIGGER ledger_entry_no_update BEFORE UPDATE OR DELETE ON "ledger_entry"
  FOR EACH ROW EXECUTE FUNCTION ledger_reject_change();
CREATE TRIGGER ledger_entry_no_truncate BEFORE TRUNCATE ON "ledger_entry"
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_reject_change();
CREATE TRIGGER ledger_account_no_update BEFORE UPDATE OR DELETE ON "ledger_account"
  FOR EACH ROW EXECUTE FUNCTION ledger_reject_change();
CREATE TRIGGER ledger_account_no_truncate BEFORE TRUNCATE ON "ledger_account"
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_reject_change();
CREATE TRIGGER audit_event_no_update BEFORE UPDATE OR DELETE ON "audit_event"
  FOR EACH ROW EXECUTE FUNCTION ledger_reject_change();
CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON "audit_event"
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_reject_change();
CREATE TRIGGER funding_receipt_no_update BEFORE UPDATE OR DELETE ON "funding_receipt"
  FOR EACH ROW EXECUTE FUNCTION ledger_reject_change();
CREATE TRIGGER funding_receipt_no_truncate BEFORE TRUNCATE ON "funding_receipt"
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_reject_change();

-- Sequence and chain: the new transaction must follow the current head exactly.
CREATE FUNCTION ledger_transaction_follow_head() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  head_seq bigint;
  head_hash text;
  target record;
BEGIN
  PERFORM pg_advisory_xact_lock(ledger_append_lock_key());
  SELECT "seq", "hash" INTO head_seq, head_hash FROM "ledger_transaction" ORDER BY "seq" DESC LIMIT 1;
  IF head_seq IS NULL THEN
    head_seq := 0;
    head_hash := repeat('0', 64);
  END IF;
  IF NEW."seq" <> head_seq + 1 THEN
    RAISE EXCEPTION 'ledger sequence must be gapless: expected %, got %', head_seq + 1, NEW."seq" USING ERRCODE = 'P0001';
  END IF;
  IF NEW."prev_hash" <> head_hash THEN
    RAISE EXCEPTION 'ledger chain broken: prev_hash of % does not match the head', NEW."seq" USING ERRCODE = 'P0001';
  END IF;
  IF NEW."reverses_id" IS NOT NULL THEN
    IF NEW."kind" <> 'correction' THEN
      RAISE EXCEPTION 'only a correction may reverse a transaction' USING ERRCODE = 'P0001';
    END IF;
    SELECT "kind", "programme_id" INTO target FROM "ledger_transaction" WHERE "id" = NEW."reverses_id";
    IF NOT FOUND THEN
      RAISE EXCEPTION 'reversed transaction does not exist' USING ERRCODE = 'P0001';
    END IF;
    IF target."kind" = 'correction' THEN
      RAISE EXCEPTION 'a correction cannot itself be reversed' USING ERRCODE = 'P0001';
    END IF;
    IF target."programme_id" <> NEW."programme_id" THEN
      RAISE EXCEPTION 'a correction must stay in the programme of the transaction it reverses' USING ERRCODE = 'P0001';
    END IF;
  ELSIF NEW."kind" = 'correction' THEN
    RAISE EXCEPTION 'a correction must name the transaction it reverses' USING ERRCODE = 'P0001';
  END IF;
  RETURN NEW;
END;
$$;

CREATE TRIGGER ledger_transaction_follow_head BEFORE INSERT ON "ledger_transaction"
  FOR EACH ROW EXECUTE FUNCTION ledger_transaction_follow_head();

-- Each entry: same sequence and programme as its transaction; running balance computed here.
CREATE FUNCTION ledger_entry_apply() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  tx record;
  acct record;
  previous numeric(14,2);
  effect numeric(14,2);
BEGIN
  PERFORM pg_advisory_xact_lock(ledger_append_lock_key());
  SELECT "seq", "programme_id" INTO tx FROM "ledger_transaction" WHERE "id" = NEW."transaction_id";
  IF NOT FOUND THEN
    RAISE EXCEPTION 'ledger entry for an unknown transaction' USING ERRCODE = 'P0001';
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
  SELECT "balance_after" INTO previous FROM "ledger_entry"
    WHERE "account_id" = NEW."account_id" ORDER BY "seq" DESC LIMIT 1;
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

CREATE TRIGGER ledger_entry_apply BEFORE INSERT ON "ledger_entry"
  FOR EACH ROW EXECUTE FUNCTION ledger_entry_apply();

-- Balanced, at commit: deferred so that a transaction's lines can be inserted one by one.
CREATE FUNCTION ledger_transaction_check_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  tx_id uuid;
  lines integer;
  debits numeric;
  credits numeric;
BEGIN
  IF TG_TABLE_NAME = 'ledger_transaction' THEN
    tx_id := NEW."id";
  ELSE
    tx_id := NEW."transaction_id";
  END IF;
  SELECT count(*),
         coalesce(sum("amount") FILTER (WHERE "direction" = 'debit'), 0),
         coalesce(sum("amount") FILTER (WHERE "direction" = 'credit'), 0)
    INTO lines, debits, credits
    FROM "ledger_entry" WHERE "transaction_id" = tx_id;
  IF lines < 2 THEN
    RAISE EXCEPTION 'ledger transaction must have at least two entries' USING ERRCODE = 'P0001';
  END IF;
  IF debits <> credits THEN
    RAISE EXCEPTION 'ledger transaction is unbalanced: debits % and credits %', debits, credits USING ERRCODE = 'P0001';
  END IF;
  RETURN NULL;
END;
$$;

CREATE CONSTRAINT TRIGGER ledger_transaction_balanced AFTER INSERT ON "ledger_transaction"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ledger_transaction_check_balanced();
CREATE CONSTRAINT TRIGGER ledger_entry_balanced AFTER INSERT ON "ledger_entry"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ledger_transaction_check_balanced();
