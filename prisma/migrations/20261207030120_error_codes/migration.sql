-- Every refusal the database raises names its rule in a machine-readable code: HINT is the
-- code, e.g. `grant_eligibility_not_approved`, and the message text stays as it was. The service
-- reads the code from the driver's error (src/db/errors.ts, databaseRuleOf) instead of matching the
-- message; src/domain/error-catalogue.ts says which API code answers each one. The refusal of a
-- negative balance also carries its figures in DETAIL, as JSON ({"account", "available", "needed"}).
--
-- Each function below is its current body (prisma/functions/README.md says where each one was
-- last defined), copied unchanged but for the RAISE statements, which gain HINT (and DETAIL).

-- ledger_reject_change, as last defined in 20261126111600_ledger_rules:
CREATE OR REPLACE FUNCTION ledger_reject_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'ledger is append-only: % on % is not allowed', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'P0001', HINT = 'append_only';
END;
$$;

-- ledger_transaction_follow_head, as last defined in 20261126111600_ledger_rules:
CREATE OR REPLACE FUNCTION ledger_transaction_follow_head() RETURNS trigger LANGUAGE plpgsql AS $$
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
    RAISE EXCEPTION 'ledger sequence must be gapless: expected %, got %', head_seq + 1, NEW."seq" USING ERRCODE = 'P0001', HINT = 'ledger_sequence_gap';
  END IF;
  IF NEW."prev_hash" <> head_hash THEN
    RAISE EXCEPTION 'ledger chain broken: prev_hash of % does not match the head', NEW."seq" USING ERRCODE = 'P0001', HINT = 'ledger_chain_broken';
  END IF;
  IF NEW."reverses_id" IS NOT NULL THEN
    IF NEW."kind" <> 'correction' THEN
      RAISE EXCEPTION 'only a correction may reverse a transaction' USING ERRCODE = 'P0001', HINT = 'ledger_reversal_not_correction';
    END IF;
    SELECT "kind", "programme_id" INTO target FROM "ledger_transaction" WHERE "id" = NEW."reverses_id";
    IF NOT FOUND THEN
      RAISE EXCEPTION 'reversed transaction does not exist' USING ERRCODE = 'P0001', HINT = 'ledger_reversed_missing';
    END IF;
    IF target."kind" = 'correction' THEN
      RAISE EXCEPTION 'a correction cannot itself be reversed' USING ERRCODE = 'P0001', HINT = 'ledger_correction_reversed';
    END IF;
    IF target."programme_id" <> NEW."programme_id" THEN
      RAISE EXCEPTION 'a correction must stay in the programme of the transaction it reverses' USING ERRCODE = 'P0001', HINT = 'ledger_correction_other_programme';
    END IF;
  ELSIF NEW."kind" = 'correction' THEN
    RAISE EXCEPTION 'a correction must name the transaction it reverses' USING ERRCODE = 'P0001', HINT = 'ledger_correction_unnamed';
  END IF;
  RETURN NEW;
END;
$$;

-- ledger_entry_apply, as last defined in 20261126143600_ledger_post_pairs:
CREATE OR REPLACE FUNCTION ledger_entry_apply() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  head record;
  acct record;
  effect numeric(14,2);
BEGIN
  PERFORM pg_advisory_xact_lock(ledger_append_lock_key());
  SELECT "id", "seq", "programme_id", "xmin" = pg_current_xact_id()::xid AS mine INTO head
    FROM "ledger_transaction" ORDER BY "seq" DESC LIMIT 1;
  IF head."id" IS DISTINCT FROM NEW."transaction_id" THEN
    IF NOT EXISTS (SELECT 1 FROM "ledger_transaction" WHERE "id" = NEW."transaction_id") THEN
      RAISE EXCEPTION 'ledger entry for an unknown transaction' USING ERRCODE = 'P0001', HINT = 'ledger_entry_unknown_transaction';
    END IF;
    RAISE EXCEPTION 'entries may only be added to the newest transaction' USING ERRCODE = 'P0001', HINT = 'ledger_entry_not_newest';
  END IF;
  IF NOT head.mine THEN
    RAISE EXCEPTION 'entries are written with their transaction; a committed transaction is closed' USING ERRCODE = 'P0001', HINT = 'ledger_transaction_closed';
  END IF;
  IF NEW."seq" <> head."seq" THEN
    RAISE EXCEPTION 'ledger entry seq % does not match its transaction %', NEW."seq", head."seq" USING ERRCODE = 'P0001', HINT = 'ledger_entry_seq_mismatch';
  END IF;
  SELECT a."kind", a."programme_id",
         coalesce((SELECT le."balance_after" FROM "ledger_entry" le WHERE le."account_id" = a."id" ORDER BY le."seq" DESC LIMIT 1), 0) AS previous
    INTO acct FROM "ledger_account" a WHERE a."id" = NEW."account_id";
  IF acct."programme_id" IS DISTINCT FROM head."programme_id" THEN
    RAISE EXCEPTION 'ledger entry account belongs to another programme' USING ERRCODE = 'P0001', HINT = 'ledger_entry_other_programme';
  END IF;
  IF (acct."kind" = 'bank') = (NEW."direction" = 'debit') THEN
    effect := NEW."amount";
  ELSE
    effect := -NEW."amount";
  END IF;
  NEW."balance_after" := acct.previous + effect;
  IF acct."kind" <> 'bank' AND NEW."balance_after" < 0 THEN
    RAISE EXCEPTION 'ledger balance of % account would go below zero', acct."kind" USING ERRCODE = 'P0001', HINT = 'ledger_balance_negative';
  END IF;
  RETURN NEW;
END;
$$;

-- ledger_transaction_check_balanced, as last defined in 20261126111600_ledger_rules:
CREATE OR REPLACE FUNCTION ledger_transaction_check_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
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
    RAISE EXCEPTION 'ledger transaction must have at least two entries' USING ERRCODE = 'P0001', HINT = 'ledger_too_few_entries';
  END IF;
  IF debits <> credits THEN
    RAISE EXCEPTION 'ledger transaction is unbalanced: debits % and credits %', debits, credits USING ERRCODE = 'P0001', HINT = 'ledger_unbalanced';
  END IF;
  RETURN NULL;
END;
$$;

-- ledger_post, as last defined in 20261126114000_ledger_append_functions:
CREATE OR REPLACE FUNCTION ledger_post(
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
    RAISE EXCEPTION 'ledger_post needs the canonical form in three segments' USING ERRCODE = 'P0001', HINT = 'ledger_post_segments';
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
        RAISE EXCEPTION 'ledger_insufficient_balance:%:%:%', acct_kind, current, p_amounts[i] USING ERRCODE = 'P0001', HINT = 'ledger_insufficient_balance',
          DETAIL = json_build_object('account', acct_kind::text, 'available', current::text, 'needed', p_amounts[i]::text)::text;
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

-- grant_guard, as last defined in 20261207030000_decisions_lock_what_they_rest_on:
CREATE OR REPLACE FUNCTION grant_guard() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  band record;
  elig record;
  enrol record;
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'grant_history: grants are never deleted' USING ERRCODE = 'P0001', HINT = 'grant_history';
  END IF;
  IF TG_OP = 'INSERT' AND NEW."status" <> 'proposed' THEN
    RAISE EXCEPTION 'grant_status_transition: a grant starts proposed' USING ERRCODE = 'P0001', HINT = 'grant_status_transition';
  END IF;
  IF TG_OP = 'UPDATE' THEN
    IF OLD."status" <> 'proposed' AND (NEW."amount", NEW."level", NEW."student_id", NEW."programme_id", NEW."academic_year", NEW."eligibility_id", NEW."proposed_by_id", NEW."approved_on", NEW."ledger_transaction_id")
        IS DISTINCT FROM (OLD."amount", OLD."level", OLD."student_id", OLD."programme_id", OLD."academic_year", OLD."eligibility_id", OLD."proposed_by_id", OLD."approved_on", OLD."ledger_transaction_id") THEN
      RAISE EXCEPTION 'grant_amount_locked: a % grant cannot change its amount or what it was decided on', OLD."status" USING ERRCODE = 'P0001', HINT = 'grant_amount_locked';
    END IF;
    IF NOT (OLD."status" = NEW."status"
            OR (OLD."status" = 'proposed' AND NEW."status" IN ('approved', 'rejected'))
            OR (OLD."status" = 'approved' AND NEW."status" = 'ended')) THEN
      RAISE EXCEPTION 'grant_status_transition: % → % is not allowed', OLD."status", NEW."status" USING ERRCODE = 'P0001', HINT = 'grant_status_transition';
    END IF;
  END IF;
  IF NEW."status" NOT IN ('proposed', 'approved') THEN
    RETURN NEW;
  END IF;
  IF TG_OP = 'UPDATE' AND NEW."status" = OLD."status" AND NEW."amount" = OLD."amount" AND NEW."level" = OLD."level"
     AND NEW."eligibility_id" = OLD."eligibility_id" THEN
    RETURN NEW;
  END IF;
  IF NEW."status" = 'approved' THEN
    PERFORM grant_band_lock(NEW."programme_id", NEW."academic_year");
  END IF;
  -- FOR SHARE: held to commit, so the eligibility cannot be revoked underneath this decision.
  SELECT e."status", e."student_id", e."programme_id", e."academic_year", e."enrolment_id" INTO elig
    FROM "eligibility_determination" e
    WHERE e."id" = NEW."eligibility_id"
    FOR SHARE;
  IF NOT FOUND OR elig."status" <> 'approved' OR elig."student_id" <> NEW."student_id"
     OR elig."programme_id" <> NEW."programme_id" OR elig."academic_year" <> NEW."academic_year" THEN
    RAISE EXCEPTION 'grant_eligibility_not_approved: the grant needs approved eligibility for its student, programme and year' USING ERRCODE = 'P0001', HINT = 'grant_eligibility_not_approved';
  END IF;
  -- FOR SHARE likewise: the enrolment's status cannot change until this decision has committed.
  SELECT en."level", en."status" INTO enrol FROM "enrolment" en WHERE en."id" = elig."enrolment_id" FOR SHARE;
  IF NOT FOUND OR enrol."level" IS DISTINCT FROM NEW."level" THEN
    RAISE EXCEPTION 'grant_level_mismatch: the grant''s level must be that of the eligibility''s enrolment' USING ERRCODE = 'P0001', HINT = 'grant_level_mismatch';
  END IF;
  IF NEW."status" = 'approved' AND enrol."status" IN ('graduated', 'withdrawn') THEN
    RAISE EXCEPTION 'grant_enrolment_ended: the enrolment this grant rests on has ended (%)', enrol."status" USING ERRCODE = 'P0001', HINT = 'grant_enrolment_ended';
  END IF;
  SELECT "min_amount", "max_amount" INTO band FROM "programme_band"
    WHERE "programme_id" = NEW."programme_id" AND "academic_year" = NEW."academic_year" AND "level" = NEW."level";
  IF NOT FOUND THEN
    RAISE EXCEPTION 'grant_amount_outside_band: no band for this programme, year and level' USING ERRCODE = 'P0001', HINT = 'grant_amount_outside_band';
  END IF;
  IF NEW."amount" < band."min_amount" OR NEW."amount" > band."max_amount" THEN
    RAISE EXCEPTION 'grant_amount_outside_band: % is outside % – %', NEW."amount", band."min_amount", band."max_amount" USING ERRCODE = 'P0001', HINT = 'grant_amount_outside_band';
  END IF;
  RETURN NEW;
END;
$$;

-- programme_band_check_unlocked, as last defined in 20261126122908_grants:
CREATE OR REPLACE FUNCTION programme_band_check_unlocked(programme uuid, year integer) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM grant_band_lock(programme, year);
  IF EXISTS (SELECT 1 FROM "grant" WHERE "programme_id" = programme AND "academic_year" = year AND "status" IN ('approved', 'ended')) THEN
    RAISE EXCEPTION 'programme_band_locked: academic year % has approved grants; its bands cannot change', year USING ERRCODE = 'P0001', HINT = 'programme_band_locked';
  END IF;
END;
$$;

-- instalment_guard, as last defined in 20261126122908_grants:
CREATE OR REPLACE FUNCTION instalment_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'instalment_history: instalments are never deleted' USING ERRCODE = 'P0001', HINT = 'instalment_history';
  END IF;
  IF (NEW."grant_id", NEW."sequence", NEW."amount") IS DISTINCT FROM (OLD."grant_id", OLD."sequence", OLD."amount") THEN
    RAISE EXCEPTION 'instalment_amount_locked: an instalment''s grant, sequence and amount never change' USING ERRCODE = 'P0001', HINT = 'instalment_amount_locked';
  END IF;
  RETURN NEW;
END;
$$;

-- grant_check_instalments, as last defined in 20261126122908_grants:
CREATE OR REPLACE FUNCTION grant_check_instalments(grant_id uuid) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  g record;
  total numeric;
  n integer;
BEGIN
  SELECT "amount", "status" INTO g FROM "grant" WHERE "id" = grant_id;
  SELECT coalesce(sum("amount"), 0), count(*) INTO total, n FROM "instalment" WHERE "instalment"."grant_id" = grant_check_instalments.grant_id;
  IF g."status" IN ('approved', 'ended') AND (n = 0 OR total <> g."amount") THEN
    RAISE EXCEPTION 'grant_instalments_do_not_add_up: % instalments sum to %, the grant is %', n, total, g."amount" USING ERRCODE = 'P0001', HINT = 'grant_instalments_do_not_add_up';
  END IF;
  IF g."status" IN ('proposed', 'rejected') AND n > 0 THEN
    RAISE EXCEPTION 'grant_instalments_before_approval: a % grant has no instalments', g."status" USING ERRCODE = 'P0001', HINT = 'grant_instalments_before_approval';
  END IF;
END;
$$;

-- grant_end_guard, as last defined in 20261126124447_grant_ending:
CREATE OR REPLACE FUNCTION grant_end_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD."status" = 'ended' AND (NEW."ended_on", NEW."end_reason", NEW."end_ledger_transaction_id")
      IS DISTINCT FROM (OLD."ended_on", OLD."end_reason", OLD."end_ledger_transaction_id") THEN
    RAISE EXCEPTION 'grant_end_locked: how a grant ended never changes' USING ERRCODE = 'P0001', HINT = 'grant_end_locked';
  END IF;
  RETURN NEW;
END;
$$;

-- instalment_status_guard, as last defined in 20261126134623_payouts:
CREATE OR REPLACE FUNCTION instalment_status_guard() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  grant_status "GrantStatus";
BEGIN
  IF NEW."status" = OLD."status" THEN
    RETURN NEW;
  END IF;
  IF NOT ((OLD."status" = 'scheduled' AND NEW."status" IN ('held', 'sent', 'cancelled'))
          OR (OLD."status" = 'held' AND NEW."status" IN ('scheduled', 'cancelled'))
          OR (OLD."status" = 'sent' AND NEW."status" IN ('paid', 'scheduled', 'cancelled'))
          OR (OLD."status" = 'paid' AND NEW."status" IN ('scheduled', 'cancelled'))) THEN
    RAISE EXCEPTION 'instalment_status_transition: % → % is not allowed', OLD."status", NEW."status" USING ERRCODE = 'P0001', HINT = 'instalment_status_transition';
  END IF;
  SELECT g."status" INTO grant_status FROM "grant" g WHERE g."id" = NEW."grant_id";
  IF NEW."status" = 'held' AND grant_status <> 'approved' THEN
    RAISE EXCEPTION 'instalment_status_transition: only instalments of an approved grant are held (the grant is %)', grant_status USING ERRCODE = 'P0001', HINT = 'instalment_status_transition';
  END IF;
  IF NEW."status" IN ('scheduled', 'sent') AND grant_status <> 'approved' THEN
    RAISE EXCEPTION 'instalment_status_transition: only instalments of an approved grant are scheduled or sent (the grant is %)', grant_status USING ERRCODE = 'P0001', HINT = 'instalment_status_transition';
  END IF;
  IF NEW."status" = 'cancelled' AND grant_status <> 'ended' AND NOT EXISTS (
       SELECT 1 FROM "payout" p WHERE p."instalment_id" = NEW."id" AND p."status" IN ('failed', 'returned')) THEN
    RAISE EXCEPTION 'instalment_status_transition: instalments are cancelled only when their grant ends or a payout of them failed (the grant is %)', grant_status USING ERRCODE = 'P0001', HINT = 'instalment_status_transition';
  END IF;
  RETURN NEW;
END;
$$;

-- grant_check_ending, as last defined in 20261126134623_payouts:
CREATE OR REPLACE FUNCTION grant_check_ending(grant_id uuid) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  g record;
  cancelled numeric;
  returned numeric;
BEGIN
  SELECT "status" INTO g FROM "grant" WHERE "id" = grant_id;
  IF g."status" = 'ended' AND EXISTS (
       SELECT 1 FROM "instalment" i WHERE i."grant_id" = grant_check_ending.grant_id AND i."status" IN ('scheduled', 'held')) THEN
    RAISE EXCEPTION 'grant_ended_with_open_instalments: an ended grant has no scheduled or held instalments' USING ERRCODE = 'P0001', HINT = 'grant_ended_with_open_instalments';
  END IF;
  SELECT coalesce(sum(i."amount"), 0) INTO cancelled FROM "instalment" i
    WHERE i."grant_id" = grant_check_ending.grant_id AND i."status" = 'cancelled';
  SELECT coalesce(sum(e."amount"), 0) INTO returned FROM "ledger_entry" e
    JOIN "ledger_transaction" t ON t."id" = e."transaction_id"
    JOIN "ledger_account" a ON a."id" = e."account_id"
    WHERE t."kind" = 'remainder_cancelled'
      AND a."kind" = 'payable' AND a."grant_id" = grant_check_ending.grant_id AND e."direction" = 'debit';
  IF cancelled <> returned THEN
    RAISE EXCEPTION 'grant_remainder_not_returned: % cancelled, % returned to the fund', cancelled, returned USING ERRCODE = 'P0001', HINT = 'grant_remainder_not_returned';
  END IF;
END;
$$;

-- payout_guard, as last defined in 20261126173500_payout_reseal:
CREATE OR REPLACE FUNCTION payout_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'payout_history: payouts are never deleted' USING ERRCODE = 'P0001', HINT = 'payout_history';
  END IF;
  IF (NEW."batch_id", NEW."sequence", NEW."reference", NEW."programme_id", NEW."grant_id", NEW."instalment_id", NEW."student_id",
      NEW."amount", NEW."payee_account_hash", NEW."payee_bank_name", NEW."retry_of_id")
     IS DISTINCT FROM
     (OLD."batch_id", OLD."sequence", OLD."reference", OLD."programme_id", OLD."grant_id", OLD."instalment_id", OLD."student_id",
      OLD."amount", OLD."payee_account_hash", OLD."payee_bank_name", OLD."retry_of_id") THEN
    RAISE EXCEPTION 'payout_snapshot_locked: a payout''s instalment, amount and account never change' USING ERRCODE = 'P0001', HINT = 'payout_snapshot_locked';
  END IF;
  IF (NEW."payee_name_sealed", NEW."payee_account_sealed") IS DISTINCT FROM (OLD."payee_name_sealed", OLD."payee_account_sealed") AND NOT (
       coalesce(current_setting('scholarship.pii_reseal', true), '') = 'on'
       AND split_part(NEW."payee_name_sealed", '.', 2) <> split_part(OLD."payee_name_sealed", '.', 2)
       AND split_part(NEW."payee_account_sealed", '.', 2) <> split_part(OLD."payee_account_sealed", '.', 2)) THEN
    RAISE EXCEPTION 'payout_snapshot_locked: a payout''s payee is only ever re-sealed under another key, never changed' USING ERRCODE = 'P0001', HINT = 'payout_snapshot_locked';
  END IF;
  IF NEW."status" <> OLD."status" AND NOT (
       (OLD."status" = 'pending' AND NEW."status" IN ('sent', 'cancelled'))
    OR (OLD."status" = 'sent' AND NEW."status" IN ('settled', 'failed'))
    OR (OLD."status" = 'settled' AND NEW."status" = 'returned')) THEN
    RAISE EXCEPTION 'payout_status_transition: % → % is not allowed', OLD."status", NEW."status" USING ERRCODE = 'P0001', HINT = 'payout_status_transition';
  END IF;
  IF (OLD."sent_transaction_id" IS NOT NULL AND NEW."sent_transaction_id" IS DISTINCT FROM OLD."sent_transaction_id")
     OR (OLD."settled_transaction_id" IS NOT NULL AND NEW."settled_transaction_id" IS DISTINCT FROM OLD."settled_transaction_id")
     OR (OLD."outcome_transaction_id" IS NOT NULL AND NEW."outcome_transaction_id" IS DISTINCT FROM OLD."outcome_transaction_id") THEN
    RAISE EXCEPTION 'payout_postings_locked: a payout''s ledger transactions never change once recorded' USING ERRCODE = 'P0001', HINT = 'payout_postings_locked';
  END IF;
  RETURN NEW;
END;
$$;

-- payout_batch_guard, as last defined in 20261126134623_payouts:
CREATE OR REPLACE FUNCTION payout_batch_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'payout_batch_history: payout batches are never deleted' USING ERRCODE = 'P0001', HINT = 'payout_batch_history';
  END IF;
  IF (NEW."code", NEW."programme_id", NEW."cutoff_on", NEW."requested_execution_on", NEW."payout_count", NEW."total", NEW."created_by_id", NEW."created_at")
     IS DISTINCT FROM
     (OLD."code", OLD."programme_id", OLD."cutoff_on", OLD."requested_execution_on", OLD."payout_count", OLD."total", OLD."created_by_id", OLD."created_at") THEN
    RAISE EXCEPTION 'payout_batch_locked: a batch''s code, cut-off and totals never change' USING ERRCODE = 'P0001', HINT = 'payout_batch_locked';
  END IF;
  IF NEW."status" <> OLD."status" AND NOT (OLD."status" = 'open' AND NEW."status" IN ('sent', 'cancelled')) THEN
    RAISE EXCEPTION 'payout_batch_status_transition: % → % is not allowed', OLD."status", NEW."status" USING ERRCODE = 'P0001', HINT = 'payout_batch_status_transition';
  END IF;
  RETURN NEW;
END;
$$;

-- payout_batch_adds_up, as last defined in 20261126134623_payouts:
CREATE OR REPLACE FUNCTION payout_batch_adds_up() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  n integer;
  s numeric;
BEGIN
  SELECT count(*), coalesce(sum(p."amount"), 0) INTO n, s FROM "payout" p WHERE p."batch_id" = NEW."id";
  IF n <> NEW."payout_count" OR s <> NEW."total" THEN
    RAISE EXCEPTION 'payout_batch_totals: the batch states % payouts / %, its payouts are % / %', NEW."payout_count", NEW."total", n, s USING ERRCODE = 'P0001', HINT = 'payout_batch_totals';
  END IF;
  RETURN NULL;
END;
$$;

-- payout_insert_keeps_batch_totals, as last defined in 20261126141500_payout_batch_totals:
CREATE OR REPLACE FUNCTION payout_insert_keeps_batch_totals() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  bad record;
BEGIN
  SELECT b."id", b."payout_count", b."total", s.n, s.amount INTO bad
  FROM (SELECT DISTINCT "batch_id" FROM inserted) i
  JOIN "payout_batch" b ON b."id" = i."batch_id"
  CROSS JOIN LATERAL (SELECT count(*) AS n, coalesce(sum(p."amount"), 0) AS amount FROM "payout" p WHERE p."batch_id" = b."id") s
  WHERE s.n <> b."payout_count" OR s.amount <> b."total"
  LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'payout_batch_totals: the batch states % payouts / %, its payouts are % / %', bad."payout_count", bad."total", bad.n, bad.amount USING ERRCODE = 'P0001', HINT = 'payout_batch_totals';
  END IF;
  RETURN NULL;
END;
$$;

-- ledger_post_pairs, as last defined in 20261126143600_ledger_post_pairs:
CREATE OR REPLACE FUNCTION ledger_post_pairs(
  p_ids uuid[], p_programme_ids uuid[], p_kinds "LedgerTransactionKind"[], p_event_dates date[], p_recorded_ats timestamptz[],
  p_descriptions text[], p_source_types text[], p_source_ids uuid[], p_actor_ids uuid[],
  p_seg1 text[], p_seg2 text[], p_seg3 text[], p_debit_ids uuid[], p_credit_ids uuid[], p_amounts numeric[]
)
RETURNS TABLE (n int, seq bigint, prev_hash text, hash text, debit_balance numeric, credit_balance numeric)
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  head_seq bigint;
  head_hash text;
  new_hash text;
  short record;
  total int := coalesce(array_length(p_ids, 1), 0);
BEGIN
  IF total = 0 THEN
    RETURN;
  END IF;
  PERFORM pg_advisory_xact_lock(ledger_append_lock_key());
  SELECT lt."seq", lt."hash" INTO head_seq, head_hash FROM "ledger_transaction" lt ORDER BY lt."seq" DESC LIMIT 1;
  head_seq := coalesce(head_seq, 0);
  head_hash := coalesce(head_hash, repeat('0', 64));

  -- A clear refusal before any row is written: the first account the whole set would take below zero.
  SELECT a."kind", coalesce(cur.balance_after, 0) AS current, m.needed INTO short
  FROM (
    SELECT x.account_id, sum(x.effect) AS effect, sum(CASE WHEN x.effect < 0 THEN -x.effect ELSE 0 END) AS needed
    FROM (
      SELECT d.account_id, CASE WHEN a."kind" = 'bank' THEN d.amount ELSE -d.amount END AS effect
      FROM unnest(p_debit_ids, p_amounts) AS d(account_id, amount) JOIN "ledger_account" a ON a."id" = d.account_id
      UNION ALL
      SELECT c.account_id, CASE WHEN a."kind" = 'bank' THEN -c.amount ELSE c.amount END
      FROM unnest(p_credit_ids, p_amounts) AS c(account_id, amount) JOIN "ledger_account" a ON a."id" = c.account_id
    ) x GROUP BY x.account_id
  ) m
  JOIN "ledger_account" a ON a."id" = m.account_id
  LEFT JOIN LATERAL (SELECT le."balance_after" FROM "ledger_entry" le WHERE le."account_id" = m.account_id ORDER BY le."seq" DESC LIMIT 1) cur ON TRUE
  WHERE a."kind" <> 'bank' AND coalesce(cur.balance_after, 0) + m.effect < 0
  ORDER BY a."id"
  LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'ledger_insufficient_balance:%:%:%', short."kind", short.current, short.needed USING ERRCODE = 'P0001', HINT = 'ledger_insufficient_balance',
          DETAIL = json_build_object('account', short."kind"::text, 'available', short.current::text, 'needed', short.needed::text)::text;
  END IF;

  FOR i IN 1 .. total LOOP
    new_hash := encode(sha256(convert_to(p_seg1[i] || head_hash || p_seg2[i] || (head_seq + 1)::text || p_seg3[i], 'UTF8')), 'hex');
    INSERT INTO "ledger_transaction"
      ("id", "seq", "programme_id", "kind", "event_date", "recorded_at", "description",
       "source_type", "source_id", "actor_id", "reverses_id", "prev_hash", "hash")
    VALUES (p_ids[i], head_seq + 1, p_programme_ids[i], p_kinds[i], p_event_dates[i], p_recorded_ats[i], p_descriptions[i],
            p_source_types[i], p_source_ids[i], p_actor_ids[i], NULL, head_hash, new_hash);
    n := i;
    seq := head_seq + 1;
    prev_hash := head_hash;
    hash := new_hash;
    WITH inserted AS (
      INSERT INTO "ledger_entry" ("transaction_id", "line", "seq", "account_id", "direction", "amount", "currency", "balance_after")
      VALUES (p_ids[i], 1, head_seq + 1, p_debit_ids[i], 'debit', p_amounts[i], 'CNY', 0),
             (p_ids[i], 2, head_seq + 1, p_credit_ids[i], 'credit', p_amounts[i], 'CNY', 0)
      RETURNING "ledger_entry"."line", "ledger_entry"."balance_after"
    )
    SELECT max(inserted."balance_after") FILTER (WHERE inserted."line" = 1), max(inserted."balance_after") FILTER (WHERE inserted."line" = 2)
      INTO debit_balance, credit_balance FROM inserted;
    RETURN NEXT;
    head_seq := head_seq + 1;
    head_hash := new_hash;
  END LOOP;
END;
$$;

-- audit_chain_link, as last defined in 20261126172444_audit_chain:
CREATE OR REPLACE FUNCTION audit_chain_link(e "audit_event") RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  head_seq bigint;
  head_hash text;
  new_hash text;
BEGIN
  SELECT h."seq", h."hash" INTO head_seq, head_hash FROM "audit_chain_head" h WHERE h."id" = 1 FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'audit chain head is missing' USING ERRCODE = 'P0001', HINT = 'audit_chain_head_missing';
  END IF;
  new_hash := encode(sha256(convert_to(audit_chain_canonical(e, head_seq + 1, head_hash), 'UTF8')), 'hex');
  INSERT INTO "audit_chain" ("seq", "audit_event_id", "prev_hash", "hash") VALUES (head_seq + 1, e."id", head_hash, new_hash);
  UPDATE "audit_chain_head" SET "seq" = head_seq + 1, "hash" = new_hash WHERE "id" = 1;
END;
$$;

-- audit_chain_head_advance, as last defined in 20261126172444_audit_chain:
CREATE OR REPLACE FUNCTION audit_chain_head_advance() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'UPDATE' THEN
    RAISE EXCEPTION 'audit chain head: % is not allowed', TG_OP USING ERRCODE = 'P0001', HINT = 'audit_chain_head_fixed';
  END IF;
  IF NEW."id" <> OLD."id" OR NEW."seq" <> OLD."seq" + 1
     OR NOT EXISTS (SELECT 1 FROM "audit_chain" c WHERE c."seq" = NEW."seq" AND c."hash" = NEW."hash" AND c."prev_hash" = OLD."hash") THEN
    RAISE EXCEPTION 'audit chain head may only advance onto the next chain row' USING ERRCODE = 'P0001', HINT = 'audit_chain_head_skips';
  END IF;
  RETURN NEW;
END;
$$;

-- audit_engagement_guard, as last defined in 20261126173233_audit_engagements:
CREATE OR REPLACE FUNCTION audit_engagement_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW."id" <> OLD."id" OR NEW."auditor_organisation_id" <> OLD."auditor_organisation_id" OR NEW."scope" <> OLD."scope"
     OR NEW."starts_on" <> OLD."starts_on" OR NEW."created_by_id" <> OLD."created_by_id" OR NEW."created_at" <> OLD."created_at" THEN
    RAISE EXCEPTION 'audit_engagement_history: only ending an engagement changes it' USING ERRCODE = 'P0001', HINT = 'audit_engagement_history';
  END IF;
  IF OLD."ended_at" IS NOT NULL THEN
    RAISE EXCEPTION 'audit_engagement_history: an engagement is ended once' USING ERRCODE = 'P0001', HINT = 'audit_engagement_history';
  END IF;
  RETURN NEW;
END;
$$;
