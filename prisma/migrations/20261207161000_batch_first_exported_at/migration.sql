-- A payout batch is marked sent only after one of its bank files was exported (or with a stated
-- override): the batch keeps when that first happened.

-- AlterTable
ALTER TABLE "payout_batch" ADD COLUMN     "first_exported_at" TIMESTAMPTZ(3);

-- Batches exported before this column existed keep their first export's time.
UPDATE "payout_batch" b SET "first_exported_at" = e."first_at"
FROM (SELECT "batch_id", min("created_at") AS "first_at" FROM "payout_export" GROUP BY "batch_id") e
WHERE e."batch_id" = b."id";
