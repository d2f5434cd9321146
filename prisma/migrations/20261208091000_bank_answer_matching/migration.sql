-- Bank answers matched without a payout reference, and account-history CSVs as bank answers.
--
-- bank_result_line.candidates: for a line matched without a reference (matched_without_reference)
-- the payout it was matched to, and for one that could not be (ambiguous_match, unmatched) the
-- payouts that could be meant, so that finance can pick one by hand. Each element holds the payout's
-- id, reference, amount, masked account and batch: never a whole account number or a name.
ALTER TABLE "bank_result_line" ADD COLUMN "candidates" JSONB;

-- bank_result_import.preset: the account-history CSV layout the file was read with (statement-csv).
-- account_stated_by: where the account the file is about came from — the file itself, the
-- uploader's declaration, or (the file naming none) the programme's payout account, assumed.
ALTER TABLE "bank_result_import" ADD COLUMN "preset" TEXT;
ALTER TABLE "bank_result_import" ADD COLUMN "account_stated_by" TEXT NOT NULL DEFAULT 'file';
ALTER TABLE "bank_result_import" ADD CONSTRAINT "bank_result_import_account_stated_by" CHECK ("account_stated_by" IN ('file', 'declared', 'assumed'));
