-- A batch's count and total are checked when the batch is inserted (payout_batch_adds_up, at
-- commit); this also checks them after any later statement that inserts payouts into an existing
-- batch. Statement-level with a transition table, so that creating a batch of 10,000 payouts
-- (one INSERT … SELECT) checks each batch once, not once per payout.
CREATE FUNCTION payout_insert_keeps_batch_totals() RETURNS trigger LANGUAGE plpgsql AS $$
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
    RAISE EXCEPTION 'payout_batch_totals: the batch states % payouts / %, its payouts are % / %', bad."payout_count", bad."total", bad.n, bad.amount USING ERRCODE = 'P0001';
  END IF;
  RETURN NULL;
END;
$$;

CREATE TRIGGER payout_insert_keeps_batch_totals AFTER INSERT ON "payout"
  REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION payout_insert_keeps_batch_totals();
