-- The bank reference of the line that failed or returned a payout, kept apart from the one of the
-- line that settled it: a month-end camt.053 repeats both, and each must be recognised as already
-- recorded.
ALTER TABLE "payout" ADD COLUMN "outcome_bank_reference" TEXT;
