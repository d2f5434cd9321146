-- A payout sent to the bank and not confirmed within this many bank business days after its
-- requested execution date is overdue: the bank check and finance's list report it as
-- not_booked_by_bank. Per programme, as banks and arrangements differ; 3 by default.

-- AlterTable
ALTER TABLE "programme" ADD COLUMN "transit_business_days" INTEGER NOT NULL DEFAULT 3;
ALTER TABLE "programme" ADD CONSTRAINT "programme_transit_business_days_range" CHECK ("transit_business_days" BETWEEN 1 AND 30);
