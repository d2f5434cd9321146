-- A line of a bank answer that the import could not apply (no reference, a reference no payout
-- has, several candidates, the amount of another payout) can be matched to its payout by hand:
-- one finance user proposes the match with a reason, another finance user or an approver of the
-- administering department confirms it (maker-checker), and only then does the line settle, fail
-- or return the payout, through the same writing as an imported line.

-- CreateEnum
CREATE TYPE "BankLineMatchStatus" AS ENUM ('proposed', 'confirmed', 'rejected');

-- CreateTable
CREATE TABLE "bank_line_match" (
    "id" UUID NOT NULL,
    "programme_id" UUID NOT NULL,
    "import_id" UUID NOT NULL,
    "position" INTEGER NOT NULL,
    "payout_id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "status" "BankLineMatchStatus" NOT NULL DEFAULT 'proposed',
    "proposed_by_id" UUID NOT NULL,
    "proposed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "confirmed_by_id" UUID,
    "confirmed_at" TIMESTAMPTZ(3),
    "rejected_by_id" UUID,
    "rejected_at" TIMESTAMPTZ(3),
    "rejection_reason" TEXT,

    CONSTRAINT "bank_line_match_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "bank_line_match_programme_id_status_idx" ON "bank_line_match"("programme_id", "status");
CREATE INDEX "bank_line_match_import_id_position_idx" ON "bank_line_match"("import_id", "position");
CREATE INDEX "bank_line_match_payout_id_idx" ON "bank_line_match"("payout_id");

-- AddForeignKey
ALTER TABLE "bank_line_match" ADD CONSTRAINT "bank_line_match_programme_id_fkey" FOREIGN KEY ("programme_id") REFERENCES "programme"("id") ON DELETE RESTRICT ON UPDATE RESTRICT;
ALTER TABLE "bank_line_match" ADD CONSTRAINT "bank_line_match_import_id_position_fkey" FOREIGN KEY ("import_id", "position") REFERENCES "bank_result_line"("import_id", "position") ON DELETE RESTRICT ON UPDATE RESTRICT;
ALTER TABLE "bank_line_match" ADD CONSTRAINT "bank_line_match_payout_id_fkey" FOREIGN KEY ("payout_id") REFERENCES "payout"("id") ON DELETE RESTRICT ON UPDATE RESTRICT;
ALTER TABLE "bank_line_match" ADD CONSTRAINT "bank_line_match_proposed_by_id_fkey" FOREIGN KEY ("proposed_by_id") REFERENCES "app_user"("id") ON DELETE RESTRICT ON UPDATE RESTRICT;
ALTER TABLE "bank_line_match" ADD CONSTRAINT "bank_line_match_confirmed_by_id_fkey" FOREIGN KEY ("confirmed_by_id") REFERENCES "app_user"("id") ON DELETE RESTRICT ON UPDATE RESTRICT;
ALTER TABLE "bank_line_match" ADD CONSTRAINT "bank_line_match_rejected_by_id_fkey" FOREIGN KEY ("rejected_by_id") REFERENCES "app_user"("id") ON DELETE RESTRICT ON UPDATE RESTRICT;

-- A reason a reader can follow, as for every decision on money.
ALTER TABLE "bank_line_match" ADD CONSTRAINT "bank_line_match_reason_length"
  CHECK (char_length(btrim("reason")) BETWEEN 5 AND 500);
ALTER TABLE "bank_line_match" ADD CONSTRAINT "bank_line_match_kind" CHECK ("kind" IN ('debit', 'failed', 'return'));
-- Maker-checker: the user who proposed never confirms.
ALTER TABLE "bank_line_match" ADD CONSTRAINT "bank_line_match_maker_is_not_checker"
  CHECK ("confirmed_by_id" IS NULL OR "confirmed_by_id" <> "proposed_by_id");
-- A decision carries who and when; a rejection its reason; a proposal none of these.
ALTER TABLE "bank_line_match" ADD CONSTRAINT "bank_line_match_decision_complete" CHECK (
  ("status" = 'proposed' AND "confirmed_by_id" IS NULL AND "confirmed_at" IS NULL AND "rejected_by_id" IS NULL AND "rejected_at" IS NULL AND "rejection_reason" IS NULL)
  OR ("status" = 'confirmed' AND "confirmed_by_id" IS NOT NULL AND "confirmed_at" IS NOT NULL AND "rejected_by_id" IS NULL AND "rejected_at" IS NULL AND "rejection_reason" IS NULL)
  OR ("status" = 'rejected' AND "rejected_by_id" IS NOT NULL AND "rejected_at" IS NOT NULL AND "confirmed_by_id" IS NULL AND "confirmed_at" IS NULL
      AND char_length(btrim("rejection_reason")) BETWEEN 5 AND 500)
);

-- At most one open or confirmed match per line, and per payout and kind of line (a payout is
-- settled by one debit, and later perhaps returned by one return): rejected ones stay as history.
CREATE UNIQUE INDEX "bank_line_match_one_open_per_line" ON "bank_line_match" ("import_id", "position")
  WHERE "status" IN ('proposed', 'confirmed');
CREATE UNIQUE INDEX "bank_line_match_one_open_per_payout" ON "bank_line_match" ("payout_id", "kind")
  WHERE "status" IN ('proposed', 'confirmed');

-- A proposal is decided once: proposed → confirmed | rejected, nothing else changes, nothing is
-- deleted.
CREATE FUNCTION bank_line_match_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND OLD."status" = 'proposed' AND NEW."status" IN ('confirmed', 'rejected')
     AND (to_jsonb(NEW) - 'status' - 'confirmed_by_id' - 'confirmed_at' - 'rejected_by_id' - 'rejected_at' - 'rejection_reason')
       = (to_jsonb(OLD) - 'status' - 'confirmed_by_id' - 'confirmed_at' - 'rejected_by_id' - 'rejected_at' - 'rejection_reason') THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'a hand match of a bank line is decided once and never changed after (% on bank_line_match refused)', TG_OP
    USING ERRCODE = 'P0001', HINT = 'append_only';
END;
$$;

CREATE TRIGGER bank_line_match_guard BEFORE UPDATE OR DELETE ON "bank_line_match"
  FOR EACH ROW EXECUTE FUNCTION bank_line_match_guard();
CREATE TRIGGER bank_line_match_no_truncate BEFORE TRUNCATE ON "bank_line_match"
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_reject_change();

-- A line of a bank answer stays as the file said it, with one exception: a line that applied to
-- no payout becomes `matched_by_hand`, naming its payout, once a confirmed hand match says so.
-- Every other column (whatever later migrations add) stays as it was.
CREATE FUNCTION bank_result_line_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND OLD."outcome" IN ('unmatched', 'ambiguous_match', 'amount_mismatch')
     AND NEW."outcome" = 'matched_by_hand' AND NEW."payout_id" IS NOT NULL
     AND (to_jsonb(NEW) - 'outcome' - 'payout_id') = (to_jsonb(OLD) - 'outcome' - 'payout_id')
     AND EXISTS (SELECT 1 FROM "bank_line_match" m
                 WHERE m."import_id" = NEW."import_id" AND m."position" = NEW."position"
                   AND m."payout_id" = NEW."payout_id" AND m."status" = 'confirmed') THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'ledger is append-only: % on % is not allowed', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'P0001', HINT = 'append_only';
END;
$$;

DROP TRIGGER bank_result_line_no_update ON "bank_result_line";
CREATE TRIGGER bank_result_line_guard BEFORE UPDATE OR DELETE ON "bank_result_line"
  FOR EACH ROW EXECUTE FUNCTION bank_result_line_guard();
