-- Payout batches, payouts, bank files and bank answers. Generated part first; the rules Prisma
-- cannot express are written by hand at the end.

-- CreateEnum
CREATE TYPE "PayoutBatchStatus" AS ENUM ('open', 'sent', 'cancelled');

-- CreateEnum
CREATE TYPE "PayoutStatus" AS ENUM ('pending', 'sent', 'settled', 'failed', 'returned', 'cancelled');

-- CreateEnum
CREATE TYPE "BankFileFormat" AS ENUM ('pain001', 'daifa_csv_utf8', 'daifa_csv_gbk');

-- AlterTable
ALTER TABLE "programme" ADD COLUMN     "payout_account_name" TEXT,
ADD COLUMN     "payout_account_number" TEXT,
ADD COLUMN     "payout_bank_code" TEXT,
ADD COLUMN     "payout_bank_name" TEXT;

-- CreateTable
CREATE TABLE "payout_batch" (
    "id" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "programme_id" UUID NOT NULL,
    "cutoff_on" DATE NOT NULL,
    "requested_execution_on" DATE NOT NULL,
    "status" "PayoutBatchStatus" NOT NULL DEFAULT 'open',
    "payout_count" INTEGER NOT NULL,
    "total" DECIMAL(14,2) NOT NULL,
    "created_by_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sent_by_id" UUID,
    "sent_at" TIMESTAMPTZ(3),
    "sent_on" DATE,
    "cancelled_by_id" UUID,
    "cancelled_at" TIMESTAMPTZ(3),
    "cancel_reason" TEXT,

    CONSTRAINT "payout_batch_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "payout_batch_hold" (
    "batch_id" UUID NOT NULL,
    "instalment_id" UUID NOT NULL,
    "student_id" UUID NOT NULL,
    "amount" DECIMAL(14,2) NOT NULL,
    "reason" TEXT NOT NULL,

    CONSTRAINT "payout_batch_hold_pkey" PRIMARY KEY ("batch_id","instalment_id")
);

-- CreateTable
CREATE TABLE "payout" (
    "id" UUID NOT NULL,
    "batch_id" UUID NOT NULL,
    "sequence" INTEGER NOT NULL,
    "reference" VARCHAR(35) NOT NULL,
    "programme_id" UUID NOT NULL,
    "grant_id" UUID NOT NULL,
    "instalment_id" UUID NOT NULL,
    "student_id" UUID NOT NULL,
    "amount" DECIMAL(14,2) NOT NULL,
    "payee_name_sealed" TEXT NOT NULL,
    "payee_name_masked" TEXT NOT NULL,
    "payee_account_hash" CHAR(64) NOT NULL,
    "payee_account_sealed" TEXT NOT NULL,
    "payee_account_masked" TEXT NOT NULL,
    "payee_bank_name" TEXT NOT NULL,
    "status" "PayoutStatus" NOT NULL DEFAULT 'pending',
    "sent_transaction_id" UUID,
    "settled_transaction_id" UUID,
    "settled_on" DATE,
    "outcome_transaction_id" UUID,
    "outcome_on" DATE,
    "outcome_reason" TEXT,
    "bank_reference" TEXT,
    "result_import_id" UUID,
    "retry_of_id" UUID,
    "resolved_at" TIMESTAMPTZ(3),

    CONSTRAINT "payout_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "payout_export" (
    "batch_id" UUID NOT NULL,
    "format" "BankFileFormat" NOT NULL,
    "sha256" CHAR(64) NOT NULL,
    "bytes" BIGINT NOT NULL,
    "created_by_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "payout_export_pkey" PRIMARY KEY ("batch_id","format")
);

-- CreateTable
CREATE TABLE "bank_result_import" (
    "id" UUID NOT NULL,
    "programme_id" UUID NOT NULL,
    "format" TEXT NOT NULL,
    "message_id" TEXT,
    "sha256" CHAR(64) NOT NULL,
    "file_name" TEXT,
    "line_count" INTEGER NOT NULL,
    "applied_count" INTEGER NOT NULL,
    "exception_count" INTEGER NOT NULL,
    "created_by_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "bank_result_import_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "bank_result_line" (
    "import_id" UUID NOT NULL,
    "position" INTEGER NOT NULL,
    "line" INTEGER NOT NULL,
    "reference" TEXT,
    "amount" DECIMAL(14,2) NOT NULL,
    "kind" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "payout_id" UUID,
    "reason" TEXT,
    "booking_date" DATE,
    "bank_reference" TEXT,

    CONSTRAINT "bank_result_line_pkey" PRIMARY KEY ("import_id","position")
);

-- CreateIndex
CREATE UNIQUE INDEX "payout_batch_code_key" ON "payout_batch"("code");

-- CreateIndex
CREATE INDEX "payout_batch_programme_id_created_at_idx" ON "payout_batch"("programme_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "payout_reference_key" ON "payout"("reference");

-- CreateIndex
CREATE UNIQUE INDEX "payout_sent_transaction_id_key" ON "payout"("sent_transaction_id");

-- CreateIndex
CREATE UNIQUE INDEX "payout_settled_transaction_id_key" ON "payout"("settled_transaction_id");

-- CreateIndex
CREATE UNIQUE INDEX "payout_outcome_transaction_id_key" ON "payout"("outcome_transaction_id");

-- CreateIndex
CREATE UNIQUE INDEX "payout_retry_of_id_key" ON "payout"("retry_of_id");

-- CreateIndex
CREATE INDEX "payout_instalment_id_idx" ON "payout"("instalment_id");

-- CreateIndex
CREATE INDEX "payout_student_id_idx" ON "payout"("student_id");

-- CreateIndex
CREATE INDEX "payout_programme_id_status_idx" ON "payout"("programme_id", "status");

-- CreateIndex
CREATE UNIQUE INDEX "payout_batch_id_sequence_key" ON "payout"("batch_id", "sequence");

-- CreateIndex
CREATE INDEX "bank_result_import_programme_id_created_at_idx" ON "bank_result_import"("programme_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "bank_result_import_programme_id_sha256_key" ON "bank_result_import"("programme_id", "sha256");

-- CreateIndex
CREATE UNIQUE INDEX "bank_result_import_programme_id_format_message_id_key" ON "bank_result_import"("programme_id", "format", "message_id");

-- CreateIndex
CREATE INDEX "bank_result_line_payout_id_idx" ON "bank_result_line"("payout_id");

-- AddForeignKey
ALTER TABLE "payout_batch" ADD CONSTRAINT "payout_batch_programme_id_fkey" FOREIGN KEY ("programme_id") REFERENCES "programme"("id") ON DELETE RESTRICT ON UPDATE RESTRICT;

-- AddForeignKey
ALTER TABLE "payout_batch_hold" ADD CONSTRAINT "payout_batch_hold_batch_id_fkey" FOREIGN KEY ("batch_id") REFERENCES "payout_batch"("id") ON DELETE RESTRICT ON UPDATE RESTRICT;

-- AddForeignKey
ALTER TABLE "payout" ADD CONSTRAINT "payout_batch_id_fkey" FOREIGN KEY ("batch_id") REFERENCES "payout_batch"("id") ON DELETE RESTRICT ON UPDATE RESTRICT;

-- AddForeignKey
ALTER TABLE "payout_export" ADD CONSTRAINT "payout_export_batch_id_fkey" FOREIGN KEY ("batch_id") REFERENCES "payout_batch"("id") ON DELETE RESTRICT ON UPDATE RESTRICT;

-- AddForeignKey
ALTER TABLE "bank_result_line" ADD CONSTRAINT "bank_result_line_import_id_fkey" FOREIGN KEY ("import_id") REFERENCES "bank_result_import"("id") ON DELETE RESTRICT ON UPDATE RESTRICT;

-- ---------------------------------------------------------------------------------------------
-- Hand-written rules.

-- References to records the schema keeps without Prisma relations. Ledger transactions are
-- posted last in a use case (the append lock is then held only to commit), after the payout that
-- names them: those references are checked at commit.
ALTER TABLE "payout" ADD CONSTRAINT "payout_programme_id_fkey" FOREIGN KEY ("programme_id") REFERENCES "programme"("id") ON DELETE RESTRICT ON UPDATE RESTRICT;
ALTER TABLE "payout" ADD CONSTRAINT "payout_grant_id_fkey" FOREIGN KEY ("grant_id") REFERENCES "grant"("id") ON DELETE RESTRICT ON UPDATE RESTRICT;
ALTER TABLE "payout" ADD CONSTRAINT "payout_instalment_id_fkey" FOREIGN KEY ("instalment_id") REFERENCES "instalment"("id") ON DELETE RESTRICT ON UPDATE RESTRICT;
ALTER TABLE "payout" ADD CONSTRAINT "payout_student_id_fkey" FOREIGN KEY ("student_id") REFERENCES "student"("id") ON DELETE RESTRICT ON UPDATE RESTRICT;
ALTER TABLE "payout" ADD CONSTRAINT "payout_sent_transaction_id_fkey" FOREIGN KEY ("sent_transaction_id") REFERENCES "ledger_transaction"("id") ON DELETE RESTRICT ON UPDATE RESTRICT DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE "payout" ADD CONSTRAINT "payout_settled_transaction_id_fkey" FOREIGN KEY ("settled_transaction_id") REFERENCES "ledger_transaction"("id") ON DELETE RESTRICT ON UPDATE RESTRICT DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE "payout" ADD CONSTRAINT "payout_outcome_transaction_id_fkey" FOREIGN KEY ("outcome_transaction_id") REFERENCES "ledger_transaction"("id") ON DELETE RESTRICT ON UPDATE RESTRICT DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE "payout" ADD CONSTRAINT "payout_retry_of_id_fkey" FOREIGN KEY ("retry_of_id") REFERENCES "payout"("id") ON DELETE RESTRICT ON UPDATE RESTRICT;
ALTER TABLE "payout" ADD CONSTRAINT "payout_result_import_id_fkey" FOREIGN KEY ("result_import_id") REFERENCES "bank_result_import"("id") ON DELETE RESTRICT ON UPDATE RESTRICT;
ALTER TABLE "bank_result_import" ADD CONSTRAINT "bank_result_import_programme_id_fkey" FOREIGN KEY ("programme_id") REFERENCES "programme"("id") ON DELETE RESTRICT ON UPDATE RESTRICT;
ALTER TABLE "bank_result_line" ADD CONSTRAINT "bank_result_line_payout_id_fkey" FOREIGN KEY ("payout_id") REFERENCES "payout"("id") ON DELETE RESTRICT ON UPDATE RESTRICT;
ALTER TABLE "payout_batch_hold" ADD CONSTRAINT "payout_batch_hold_instalment_id_fkey" FOREIGN KEY ("instalment_id") REFERENCES "instalment"("id") ON DELETE RESTRICT ON UPDATE RESTRICT;

-- Shapes the bank depends on.
ALTER TABLE "payout_batch" ADD CONSTRAINT "payout_batch_code_form" CHECK ("code" ~ '^[A-Z0-9]([A-Z0-9-]{0,26}[A-Z0-9])?$');
ALTER TABLE "payout_batch" ADD CONSTRAINT "payout_batch_totals" CHECK ("payout_count" >= 1 AND "total" > 0);
ALTER TABLE "payout_batch" ADD CONSTRAINT "payout_batch_sent_fields" CHECK (("status" = 'sent') = ("sent_at" IS NOT NULL AND "sent_by_id" IS NOT NULL AND "sent_on" IS NOT NULL));
ALTER TABLE "payout_batch" ADD CONSTRAINT "payout_batch_cancelled_fields" CHECK (("status" = 'cancelled') = ("cancelled_at" IS NOT NULL AND "cancelled_by_id" IS NOT NULL AND "cancel_reason" IS NOT NULL));
ALTER TABLE "payout" ADD CONSTRAINT "payout_reference_form" CHECK ("reference" ~ '^[A-Z0-9]([A-Z0-9-]{0,33}[A-Z0-9])?$');
ALTER TABLE "payout" ADD CONSTRAINT "payout_amount_positive" CHECK ("amount" > 0);
-- Each status carries the ledger transactions that put the money where the status says.
ALTER TABLE "payout" ADD CONSTRAINT "payout_status_postings" CHECK (
  CASE "status"
    WHEN 'pending'   THEN "sent_transaction_id" IS NULL AND "settled_transaction_id" IS NULL AND "outcome_transaction_id" IS NULL
    WHEN 'cancelled' THEN "sent_transaction_id" IS NULL AND "settled_transaction_id" IS NULL AND "outcome_transaction_id" IS NULL
    WHEN 'sent'      THEN "sent_transaction_id" IS NOT NULL AND "settled_transaction_id" IS NULL AND "outcome_transaction_id" IS NULL
    WHEN 'settled'   THEN "sent_transaction_id" IS NOT NULL AND "settled_transaction_id" IS NOT NULL AND "outcome_transaction_id" IS NULL
    WHEN 'failed'    THEN "sent_transaction_id" IS NOT NULL AND "settled_transaction_id" IS NULL AND "outcome_transaction_id" IS NOT NULL
    WHEN 'returned'  THEN "sent_transaction_id" IS NOT NULL AND "settled_transaction_id" IS NOT NULL AND "outcome_transaction_id" IS NOT NULL
  END);

-- An instalment is in at most one live payout: pending (in an open batch), sent or settled. A
-- failed, returned or cancelled payout frees it for a retry in a later batch.
CREATE UNIQUE INDEX "payout_one_live_per_instalment" ON "payout"("instalment_id")
  WHERE "status" IN ('pending', 'sent', 'settled');

-- Payout status: pending → sent | cancelled; sent → settled | failed; settled → returned.
-- What was snapshotted (who, where, how much, which instalment) never changes; payouts are never deleted.
CREATE FUNCTION payout_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'payout_history: payouts are never deleted' USING ERRCODE = 'P0001';
  END IF;
  IF (NEW."batch_id", NEW."sequence", NEW."reference", NEW."programme_id", NEW."grant_id", NEW."instalment_id", NEW."student_id",
      NEW."amount", NEW."payee_name_sealed", NEW."payee_account_hash", NEW."payee_account_sealed", NEW."payee_bank_name", NEW."retry_of_id")
     IS DISTINCT FROM
     (OLD."batch_id", OLD."sequence", OLD."reference", OLD."programme_id", OLD."grant_id", OLD."instalment_id", OLD."student_id",
      OLD."amount", OLD."payee_name_sealed", OLD."payee_account_hash", OLD."payee_account_sealed", OLD."payee_bank_name", OLD."retry_of_id") THEN
    RAISE EXCEPTION 'payout_snapshot_locked: a payout''s instalment, amount and account never change' USING ERRCODE = 'P0001';
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

CREATE TRIGGER payout_guard BEFORE UPDATE OR DELETE ON "payout"
  FOR EACH ROW EXECUTE FUNCTION payout_guard();
CREATE TRIGGER payout_no_truncate BEFORE TRUNCATE ON "payout"
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_reject_change();

-- Batch status: open → sent | cancelled; what it was made of never changes; never deleted.
CREATE FUNCTION payout_batch_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'payout_batch_history: payout batches are never deleted' USING ERRCODE = 'P0001';
  END IF;
  IF (NEW."code", NEW."programme_id", NEW."cutoff_on", NEW."requested_execution_on", NEW."payout_count", NEW."total", NEW."created_by_id", NEW."created_at")
     IS DISTINCT FROM
     (OLD."code", OLD."programme_id", OLD."cutoff_on", OLD."requested_execution_on", OLD."payout_count", OLD."total", OLD."created_by_id", OLD."created_at") THEN
    RAISE EXCEPTION 'payout_batch_locked: a batch''s code, cut-off and totals never change' USING ERRCODE = 'P0001';
  END IF;
  IF NEW."status" <> OLD."status" AND NOT (OLD."status" = 'open' AND NEW."status" IN ('sent', 'cancelled')) THEN
    RAISE EXCEPTION 'payout_batch_status_transition: % → % is not allowed', OLD."status", NEW."status" USING ERRCODE = 'P0001';
  END IF;
  RETURN NEW;
END;
$$;

CREATE TRIGGER payout_batch_guard BEFORE UPDATE OR DELETE ON "payout_batch"
  FOR EACH ROW EXECUTE FUNCTION payout_batch_guard();
CREATE TRIGGER payout_batch_no_truncate BEFORE TRUNCATE ON "payout_batch"
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_reject_change();

-- At commit: a batch's count and total are those of its payouts.
CREATE FUNCTION payout_batch_adds_up() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  n integer;
  s numeric;
BEGIN
  SELECT count(*), coalesce(sum(p."amount"), 0) INTO n, s FROM "payout" p WHERE p."batch_id" = NEW."id";
  IF n <> NEW."payout_count" OR s <> NEW."total" THEN
    RAISE EXCEPTION 'payout_batch_totals: the batch states % payouts / %, its payouts are % / %', NEW."payout_count", NEW."total", n, s USING ERRCODE = 'P0001';
  END IF;
  RETURN NULL;
END;
$$;

CREATE CONSTRAINT TRIGGER payout_batch_adds_up AFTER INSERT ON "payout_batch"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION payout_batch_adds_up();

-- Exports, holds and bank answers are records of what happened: never changed, never deleted.
CREATE TRIGGER payout_export_no_update BEFORE UPDATE OR DELETE ON "payout_export"
  FOR EACH ROW EXECUTE FUNCTION ledger_reject_change();
CREATE TRIGGER payout_export_no_truncate BEFORE TRUNCATE ON "payout_export"
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_reject_change();
CREATE TRIGGER payout_batch_hold_no_update BEFORE UPDATE OR DELETE ON "payout_batch_hold"
  FOR EACH ROW EXECUTE FUNCTION ledger_reject_change();
CREATE TRIGGER payout_batch_hold_no_truncate BEFORE TRUNCATE ON "payout_batch_hold"
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_reject_change();
CREATE TRIGGER bank_result_import_no_update BEFORE UPDATE OR DELETE ON "bank_result_import"
  FOR EACH ROW EXECUTE FUNCTION ledger_reject_change();
CREATE TRIGGER bank_result_import_no_truncate BEFORE TRUNCATE ON "bank_result_import"
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_reject_change();
CREATE TRIGGER bank_result_line_no_update BEFORE UPDATE OR DELETE ON "bank_result_line"
  FOR EACH ROW EXECUTE FUNCTION ledger_reject_change();
CREATE TRIGGER bank_result_line_no_truncate BEFORE TRUNCATE ON "bank_result_line"
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_reject_change();

-- Instalment status, extended for the bank's answers (replaces the grant-ending version):
--   scheduled → held | sent | cancelled;  held → scheduled | cancelled;
--   sent → paid | scheduled | cancelled   (paid: settled; scheduled/cancelled: the payout failed);
--   paid → scheduled | cancelled          (the payout came back after it settled).
-- Held only while the grant is approved. Cancelled when the grant has ended, or, on an approved
-- grant, when a payout of the instalment failed or came back and finance decides not to retry.
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
    RAISE EXCEPTION 'instalment_status_transition: % → % is not allowed', OLD."status", NEW."status" USING ERRCODE = 'P0001';
  END IF;
  SELECT g."status" INTO grant_status FROM "grant" g WHERE g."id" = NEW."grant_id";
  IF NEW."status" = 'held' AND grant_status <> 'approved' THEN
    RAISE EXCEPTION 'instalment_status_transition: only instalments of an approved grant are held (the grant is %)', grant_status USING ERRCODE = 'P0001';
  END IF;
  IF NEW."status" IN ('scheduled', 'sent') AND grant_status <> 'approved' THEN
    RAISE EXCEPTION 'instalment_status_transition: only instalments of an approved grant are scheduled or sent (the grant is %)', grant_status USING ERRCODE = 'P0001';
  END IF;
  IF NEW."status" = 'cancelled' AND grant_status <> 'ended' AND NOT EXISTS (
       SELECT 1 FROM "payout" p WHERE p."instalment_id" = NEW."id" AND p."status" IN ('failed', 'returned')) THEN
    RAISE EXCEPTION 'instalment_status_transition: instalments are cancelled only when their grant ends or a payout of them failed (the grant is %)', grant_status USING ERRCODE = 'P0001';
  END IF;
  RETURN NEW;
END;
$$;

-- At commit (replaces the grant-ending version): an ended grant has nothing scheduled or held, and
-- for every grant, what its cancelled instalments hold went back to the fund: the payable debits of
-- its remainder_cancelled transactions (the ending one, and one per instalment cancelled after a
-- failed payout) add up to exactly that.
CREATE OR REPLACE FUNCTION grant_check_ending(grant_id uuid) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  g record;
  cancelled numeric;
  returned numeric;
BEGIN
  SELECT "status" INTO g FROM "grant" WHERE "id" = grant_id;
  IF g."status" = 'ended' AND EXISTS (
       SELECT 1 FROM "instalment" i WHERE i."grant_id" = grant_check_ending.grant_id AND i."status" IN ('scheduled', 'held')) THEN
    RAISE EXCEPTION 'grant_ended_with_open_instalments: an ended grant has no scheduled or held instalments' USING ERRCODE = 'P0001';
  END IF;
  SELECT coalesce(sum(i."amount"), 0) INTO cancelled FROM "instalment" i
    WHERE i."grant_id" = grant_check_ending.grant_id AND i."status" = 'cancelled';
  SELECT coalesce(sum(e."amount"), 0) INTO returned FROM "ledger_entry" e
    JOIN "ledger_transaction" t ON t."id" = e."transaction_id"
    JOIN "ledger_account" a ON a."id" = e."account_id"
    WHERE t."kind" = 'remainder_cancelled'
      AND a."kind" = 'payable' AND a."grant_id" = grant_check_ending.grant_id AND e."direction" = 'debit';
  IF cancelled <> returned THEN
    RAISE EXCEPTION 'grant_remainder_not_returned: % cancelled, % returned to the fund', cancelled, returned USING ERRCODE = 'P0001';
  END IF;
END;
$$;

-- Sending or settling thousands of instalments in one transaction must not queue thousands of
-- commit-time checks that cannot fail: an update never changes an instalment's grant or amount
-- (instalment_guard), so "instalments add up" needs checking on insert only, and the ending sums
-- only when an instalment becomes cancelled (scheduled, held and sent need an approved grant,
-- see instalment_status_guard).
DROP TRIGGER instalment_adds_up ON "instalment";
CREATE CONSTRAINT TRIGGER instalment_adds_up AFTER INSERT ON "instalment"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION instalment_adds_up();
DROP TRIGGER instalment_ending_adds_up ON "instalment";
CREATE CONSTRAINT TRIGGER instalment_ending_adds_up AFTER UPDATE ON "instalment"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (NEW."status" = 'cancelled' AND OLD."status" <> 'cancelled')
  EXECUTE FUNCTION instalment_ending_adds_up();

-- Batch numbers: never reused, gaps allowed (a rolled-back creation consumes one).
CREATE SEQUENCE "payout_batch_number" AS bigint START 1;
