-- ledger_post_pairs: appends many two-line transactions (one debit, one credit) in one call — a
-- payout batch sent, or a bank answer settling thousands of payouts. Same rules as ledger_post,
-- with the per-call work done once: one append lock, one read of the head, one balance check per
-- account for the whole set (the entry trigger still refuses any intermediate negative balance),
-- then each transaction hashed and inserted in order. The row triggers (follow the head, apply
-- each entry, balanced at commit) run for every row as for any other append.
CREATE FUNCTION ledger_post_pairs(
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
    RAISE EXCEPTION 'ledger_insufficient_balance:%:%:%', short."kind", short.current, short.needed USING ERRCODE = 'P0001';
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

-- The entry trigger, same rules in fewer statements (it runs twice for every payout a batch sends
-- or a bank answer settles): the newest transaction is read once, and serves the "unknown",
-- "newest only" and "own transaction" checks; the account and its last balance are read together.
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
      RAISE EXCEPTION 'ledger entry for an unknown transaction' USING ERRCODE = 'P0001';
    END IF;
    RAISE EXCEPTION 'entries may only be added to the newest transaction' USING ERRCODE = 'P0001';
  END IF;
  IF NOT head.mine THEN
    RAISE EXCEPTION 'entries are written with their transaction; a committed transaction is closed' USING ERRCODE = 'P0001';
  END IF;
  IF NEW."seq" <> head."seq" THEN
    RAISE EXCEPTION 'ledger entry seq % does not match its transaction %', NEW."seq", head."seq" USING ERRCODE = 'P0001';
  END IF;
  SELECT a."kind", a."programme_id",
         coalesce((SELECT le."balance_after" FROM "ledger_entry" le WHERE le."account_id" = a."id" ORDER BY le."seq" DESC LIMIT 1), 0) AS previous
    INTO acct FROM "ledger_account" a WHERE a."id" = NEW."account_id";
  IF acct."programme_id" IS DISTINCT FROM head."programme_id" THEN
    RAISE EXCEPTION 'ledger entry account belongs to another programme' USING ERRCODE = 'P0001';
  END IF;
  IF (acct."kind" = 'bank') = (NEW."direction" = 'debit') THEN
    effect := NEW."amount";
  ELSE
    effect := -NEW."amount";
  END IF;
  NEW."balance_after" := acct.previous + effect;
  IF acct."kind" <> 'bank' AND NEW."balance_after" < 0 THEN
    RAISE EXCEPTION 'ledger balance of % account would go below zero', acct."kind" USING ERRCODE = 'P0001';
  END IF;
  RETURN NEW;
END;
$$;
