-- AlterTable
ALTER TABLE "grant" ADD COLUMN     "end_ledger_transaction_id" UUID,
ADD COLUMN     "end_reason" TEXT,
ADD COLUMN     "ended_on" DATE;

-- AlterTable
ALTER TABLE "instalment" ADD COLUMN     "status_effective_on" DATE,
ADD COLUMN     "status_reason" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "grant_end_ledger_transaction_id_key" ON "grant"("end_ledger_transaction_id");

-- Ending grants and holding instalments. Hand-written rules below; error
-- messages start with a stable code, as in migration *_grants.

-- An ended grant says from when and why; only an ended grant has an ending transaction.
ALTER TABLE "grant" ADD CONSTRAINT "grant_end_complete"
  CHECK (("status" = 'ended') = ("ended_on" IS NOT NULL AND "end_reason" IS NOT NULL));
ALTER TABLE "grant" ADD CONSTRAINT "grant_end_transaction_only_when_ended"
  CHECK ("end_ledger_transaction_id" IS NULL OR "status" = 'ended');
-- Posted after the grant row is updated: checked at commit.
ALTER TABLE "grant" ADD CONSTRAINT "grant_end_ledger_transaction_id_fkey" FOREIGN KEY ("end_ledger_transaction_id")
  REFERENCES "ledger_transaction"("id") ON DELETE RESTRICT ON UPDATE RESTRICT DEFERRABLE INITIALLY DEFERRED;

-- A held or cancelled instalment says from when and why.
ALTER TABLE "instalment" ADD CONSTRAINT "instalment_status_reason"
  CHECK ("status" NOT IN ('held', 'cancelled') OR ("status_reason" IS NOT NULL AND "status_effective_on" IS NOT NULL));

-- Once ended, how a grant ended never changes.
CREATE FUNCTION grant_end_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD."status" = 'ended' AND (NEW."ended_on", NEW."end_reason", NEW."end_ledger_transaction_id")
      IS DISTINCT FROM (OLD."ended_on", OLD."end_reason", OLD."end_ledger_transaction_id") THEN
    RAISE EXCEPTION 'grant_end_locked: how a grant ended never changes' USING ERRCODE = 'P0001';
  END IF;
  RETURN NEW;
END;
$$;

CREATE TRIGGER grant_end_guard BEFORE UPDATE ON "grant"
  FOR EACH ROW EXECUTE FUNCTION grant_end_guard();

-- Instalment status: scheduled → held | sent | cancelled; held → scheduled | cancelled;
-- sent → paid | scheduled (a failed payout puts it back on schedule); paid and cancelled are final.
-- Nothing sent or paid is ever held or cancelled. Held only while the grant is approved; cancelled
-- only once the grant has ended (the service ends the grant first, then cancels).
CREATE FUNCTION instalment_status_guard() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  grant_status "GrantStatus";
BEGIN
  IF NEW."status" = OLD."status" THEN
    RETURN NEW;
  END IF;
  IF NOT ((OLD."status" = 'scheduled' AND NEW."status" IN ('held', 'sent', 'cancelled'))
          OR (OLD."status" = 'held' AND NEW."status" IN ('scheduled', 'cancelled'))
          OR (OLD."status" = 'sent' AND NEW."status" IN ('paid', 'scheduled'))) THEN
    RAISE EXCEPTION 'instalment_status_transition: % → % is not allowed', OLD."status", NEW."status" USING ERRCODE = 'P0001';
  END IF;
  SELECT g."status" INTO grant_status FROM "grant" g WHERE g."id" = NEW."grant_id";
  IF NEW."status" = 'held' AND grant_status <> 'approved' THEN
    RAISE EXCEPTION 'instalment_status_transition: only instalments of an approved grant are held (the grant is %)', grant_status USING ERRCODE = 'P0001';
  END IF;
  IF NEW."status" = 'cancelled' AND grant_status <> 'ended' THEN
    RAISE EXCEPTION 'instalment_status_transition: instalments are cancelled only when their grant ends (the grant is %)', grant_status USING ERRCODE = 'P0001';
  END IF;
  RETURN NEW;
END;
$$;

CREATE TRIGGER instalment_status_guard BEFORE UPDATE ON "instalment"
  FOR EACH ROW EXECUTE FUNCTION instalment_status_guard();

-- At commit: an ended grant has nothing left scheduled or held, and what was cancelled went back
-- to the fund in its ending transaction (Dr payable:<grant> / Cr fund for exactly that sum).
-- Cancelled instalments keep their amounts, so "instalments add up to the grant" (migration
-- *_grants) still counts them: the plan as approved, whatever became of each part.
CREATE FUNCTION grant_check_ending(grant_id uuid) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  g record;
  cancelled numeric;
  returned numeric;
BEGIN
  SELECT "status", "end_ledger_transaction_id" INTO g FROM "grant" WHERE "id" = grant_id;
  IF g."status" <> 'ended' THEN
    RETURN;
  END IF;
  IF EXISTS (SELECT 1 FROM "instalment" i WHERE i."grant_id" = grant_check_ending.grant_id AND i."status" IN ('scheduled', 'held')) THEN
    RAISE EXCEPTION 'grant_ended_with_open_instalments: an ended grant has no scheduled or held instalments' USING ERRCODE = 'P0001';
  END IF;
  SELECT coalesce(sum(i."amount"), 0) INTO cancelled FROM "instalment" i
    WHERE i."grant_id" = grant_check_ending.grant_id AND i."status" = 'cancelled';
  SELECT coalesce(sum(e."amount"), 0) INTO returned FROM "ledger_entry" e
    JOIN "ledger_transaction" t ON t."id" = e."transaction_id"
    JOIN "ledger_account" a ON a."id" = e."account_id"
    WHERE t."id" = g."end_ledger_transaction_id" AND t."kind" = 'remainder_cancelled'
      AND a."kind" = 'payable' AND a."grant_id" = grant_check_ending.grant_id AND e."direction" = 'debit';
  IF cancelled <> returned THEN
    RAISE EXCEPTION 'grant_remainder_not_returned: % cancelled, % returned to the fund', cancelled, returned USING ERRCODE = 'P0001';
  END IF;
END;
$$;

CREATE FUNCTION grant_ending_adds_up() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM grant_check_ending(NEW."id");
  RETURN NULL;
END;
$$;

CREATE FUNCTION instalment_ending_adds_up() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM grant_check_ending(NEW."grant_id");
  RETURN NULL;
END;
$$;

CREATE CONSTRAINT TRIGGER grant_ending_adds_up AFTER UPDATE ON "grant"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION grant_ending_adds_up();
CREATE CONSTRAINT TRIGGER instalment_ending_adds_up AFTER UPDATE ON "instalment"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION instalment_ending_adds_up();
