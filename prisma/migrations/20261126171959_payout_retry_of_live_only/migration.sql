-- A failed payout may be retried more than once: when the batch holding its retry is cancelled, the
-- failure is open again and a later batch retries it anew. What must stay unique is the live retry:
-- at most one payout that is not cancelled names a given failure as the one it retries.
DROP INDEX "payout_retry_of_id_key";

CREATE UNIQUE INDEX "payout_one_live_retry_per_failure" ON "payout"("retry_of_id")
  WHERE "status" <> 'cancelled';
