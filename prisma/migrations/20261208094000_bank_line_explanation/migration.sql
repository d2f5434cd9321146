-- A line of the bank's answer keeps the bank's own reason (a return's ISO code and text) apart from
-- the import's explanation of why the line was not applied: an exception line matched by hand later
-- then applies with the bank's reason, not with the explanation. Lines imported before this column
-- keep what they stored in "reason" (the explanation, for exceptions): the views read them so.

-- AlterTable
ALTER TABLE "bank_result_line" ADD COLUMN "explanation" TEXT;
