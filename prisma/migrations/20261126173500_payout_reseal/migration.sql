-- Key rotation re-seals personal data under the newest key. A payout's snapshot never changes, but
-- its sealed name and account may be re-encrypted: only inside a transaction that declares it is
-- re-sealing (SET LOCAL scholarship.pii_reseal = 'on', as `npm run pii:reseal` does), only to a
-- value sealed with another key, and with the account's keyed hash unchanged. The re-sealing tool
-- opens both values and checks they are the same before it commits.
CREATE OR REPLACE FUNCTION payout_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'payout_history: payouts are never deleted' USING ERRCODE = 'P0001';
  END IF;
  IF (NEW."batch_id", NEW."sequence", NEW."reference", NEW."programme_id", NEW."grant_id", NEW."instalment_id", NEW."student_id",
      NEW."amount", NEW."payee_account_hash", NEW."payee_bank_name", NEW."retry_of_id")
     IS DISTINCT FROM
     (OLD."batch_id", OLD."sequence", OLD."reference", OLD."programme_id", OLD."grant_id", OLD."instalment_id", OLD."student_id",
      OLD."amount", OLD."payee_account_hash", OLD."payee_bank_name", OLD."retry_of_id") THEN
    RAISE EXCEPTION 'payout_snapshot_locked: a payout''s instalment, amount and account never change' USING ERRCODE = 'P0001';
  END IF;
  IF (NEW."payee_name_sealed", NEW."payee_account_sealed") IS DISTINCT FROM (OLD."payee_name_sealed", OLD."payee_account_sealed") AND NOT (
       coalesce(current_setting('scholarship.pii_reseal', true), '') = 'on'
       AND split_part(NEW."payee_name_sealed", '.', 2) <> split_part(OLD."payee_name_sealed", '.', 2)
       AND split_part(NEW."payee_account_sealed", '.', 2) <> split_part(OLD."payee_account_sealed", '.', 2)) THEN
    RAISE EXCEPTION 'payout_snapshot_locked: a payout''s payee is only ever re-sealed under another key, never changed' USING ERRCODE = 'P0001';
  END IF;
  IF NEW."status" <> OLD."status" AND NOT (
       (OLD."status" = 'pending' AND NEW."status" IN ('sent', 'cancelled'))
    OR (OLD."status" = 'sent' AND NEW."status" IN ('settled', 'failed'))
    OR (OLD."status" = 'settled' AND NEW."status" = 'returned')) THEN
    RAISE EXCEPTION 'payout_status_transition: % → % is not allowed', OLD."status", NEW."status" USING ERRCODE = 'P0001';
  END IF;
  IF (OLD."sent_transaction_id" IS NOT NULL AND NEW."sent_transaction_id" IS DISTINCT FROM OLD."sent_transaction_id")
     OR (OLD."settled_transaction_id" IS NOT NULL AND NEW."settled_transaction_id" IS DISTINCT FROM OLD."settled_transaction_id")
     OR (OLD."outcome_transaction_id" IS NOT NULL AND NEW."outcome_transaction_id" IS DISTINCT FROM OLD."outcome_transaction_id") THEN
    RAISE EXCEPTION 'payout_postings_locked: a payout''s ledger transactions never change once recorded' USING ERRCODE = 'P0001';
  END IF;
  RETURN NEW;
END;
$$;
