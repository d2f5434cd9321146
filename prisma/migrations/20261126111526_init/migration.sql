-- CreateEnum
CREATE TYPE "OrganisationKind" AS ENUM ('civil_affairs', 'foundation', 'audit', 'platform');

-- CreateEnum
CREATE TYPE "Role" AS ENUM ('caseworker', 'approver', 'finance', 'foundation_viewer', 'auditor', 'admin');

-- CreateEnum
CREATE TYPE "InstalmentPlan" AS ENUM ('annual', 'semesters', 'quarterly', 'monthly');

-- CreateEnum
CREATE TYPE "EnrolmentLevel" AS ENUM ('higher_vocational', 'junior_college', 'undergraduate');

-- CreateEnum
CREATE TYPE "AccountKind" AS ENUM ('bank', 'fund', 'payable', 'in_transit');

-- CreateEnum
CREATE TYPE "EntryDirection" AS ENUM ('debit', 'credit');

-- CreateEnum
CREATE TYPE "LedgerTransactionKind" AS ENUM ('funding_received', 'grant_approved', 'payout_sent', 'payout_settled', 'payout_failed', 'payout_returned', 'remainder_cancelled', 'correction');

-- CreateEnum
CREATE TYPE "IdempotencyState" AS ENUM ('completed', 'failed');

-- CreateTable
CREATE TABLE "organisation" (
    "id" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" "OrganisationKind" NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "organisation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "app_user" (
    "id" UUID NOT NULL,
    "organisation_id" UUID NOT NULL,
    "display_name" TEXT NOT NULL,
    "role" "Role" NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "app_user_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "api_token" (
    "id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "label" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "token_hash" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),
    "last_used_at" TIMESTAMPTZ(3),

    CONSTRAINT "api_token_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "programme" (
    "id" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "funder_id" UUID NOT NULL,
    "administrator_id" UUID NOT NULL,
    "first_academic_year" INTEGER NOT NULL,
    "last_academic_year" INTEGER NOT NULL,
    "instalment_plan" "InstalmentPlan" NOT NULL,
    "budget" DECIMAL(14,2) NOT NULL,
    "currency" CHAR(3) NOT NULL DEFAULT 'CNY',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "programme_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "programme_band" (
    "programme_id" UUID NOT NULL,
    "academic_year" INTEGER NOT NULL,
    "level" "EnrolmentLevel" NOT NULL,
    "min_amount" DECIMAL(14,2) NOT NULL,
    "max_amount" DECIMAL(14,2) NOT NULL,

    CONSTRAINT "programme_band_pkey" PRIMARY KEY ("programme_id","academic_year","level")
);

-- CreateTable
CREATE TABLE "funding_receipt" (
    "id" UUID NOT NULL,
    "programme_id" UUID NOT NULL,
    "remitter_id" UUID NOT NULL,
    "amount" DECIMAL(14,2) NOT NULL,
    "currency" CHAR(3) NOT NULL DEFAULT 'CNY',
    "received_on" DATE NOT NULL,
    "bank_reference" TEXT NOT NULL,
    "note" TEXT,
    "ledger_transaction_id" UUID NOT NULL,
    "recorded_by_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "funding_receipt_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ledger_account" (
    "id" UUID NOT NULL,
    "programme_id" UUID NOT NULL,
    "kind" "AccountKind" NOT NULL,
    "code" TEXT NOT NULL,
    "grant_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ledger_account_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ledger_transaction" (
    "id" UUID NOT NULL,
    "seq" BIGINT NOT NULL,
    "programme_id" UUID NOT NULL,
    "kind" "LedgerTransactionKind" NOT NULL,
    "event_date" DATE NOT NULL,
    "recorded_at" TIMESTAMPTZ(3) NOT NULL,
    "description" TEXT NOT NULL,
    "source_type" TEXT NOT NULL,
    "source_id" UUID NOT NULL,
    "actor_id" UUID NOT NULL,
    "reverses_id" UUID,
    "prev_hash" CHAR(64) NOT NULL,
    "hash" CHAR(64) NOT NULL,

    CONSTRAINT "ledger_transaction_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ledger_entry" (
    "transaction_id" UUID NOT NULL,
    "line" INTEGER NOT NULL,
    "seq" BIGINT NOT NULL,
    "account_id" UUID NOT NULL,
    "direction" "EntryDirection" NOT NULL,
    "amount" DECIMAL(14,2) NOT NULL,
    "currency" CHAR(3) NOT NULL DEFAULT 'CNY',
    "balance_after" DECIMAL(14,2) NOT NULL,

    CONSTRAINT "ledger_entry_pkey" PRIMARY KEY ("transaction_id","line")
);

-- CreateTable
CREATE TABLE "audit_event" (
    "id" BIGSERIAL NOT NULL,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor_id" UUID NOT NULL,
    "organisation_id" UUID NOT NULL,
    "action" TEXT NOT NULL,
    "record_type" TEXT NOT NULL,
    "record_id" TEXT NOT NULL,
    "before" JSONB,
    "after" JSONB,
    "request_id" TEXT,

    CONSTRAINT "audit_event_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "idempotency_record" (
    "user_id" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "operation" TEXT NOT NULL,
    "request_hash" CHAR(64) NOT NULL,
    "state" "IdempotencyState" NOT NULL,
    "status_code" INTEGER NOT NULL,
    "response_body" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "idempotency_record_pkey" PRIMARY KEY ("user_id","key")
);

-- CreateIndex
CREATE UNIQUE INDEX "organisation_code_key" ON "organisation"("code");

-- CreateIndex
CREATE INDEX "app_user_organisation_id_idx" ON "app_user"("organisation_id");

-- CreateIndex
CREATE UNIQUE INDEX "api_token_token_hash_key" ON "api_token"("token_hash");

-- CreateIndex
CREATE INDEX "api_token_user_id_idx" ON "api_token"("user_id");

-- CreateIndex
CREATE UNIQUE INDEX "programme_code_key" ON "programme"("code");

-- CreateIndex
CREATE INDEX "programme_funder_id_idx" ON "programme"("funder_id");

-- CreateIndex
CREATE INDEX "programme_administrator_id_idx" ON "programme"("administrator_id");

-- CreateIndex
CREATE UNIQUE INDEX "funding_receipt_ledger_transaction_id_key" ON "funding_receipt"("ledger_transaction_id");

-- CreateIndex
CREATE INDEX "funding_receipt_programme_id_received_on_idx" ON "funding_receipt"("programme_id", "received_on");

-- CreateIndex
CREATE UNIQUE INDEX "funding_receipt_programme_id_bank_reference_key" ON "funding_receipt"("programme_id", "bank_reference");

-- CreateIndex
CREATE UNIQUE INDEX "ledger_account_programme_id_code_key" ON "ledger_account"("programme_id", "code");

-- CreateIndex
CREATE UNIQUE INDEX "ledger_transaction_seq_key" ON "ledger_transaction"("seq");

-- CreateIndex
CREATE UNIQUE INDEX "ledger_transaction_reverses_id_key" ON "ledger_transaction"("reverses_id");

-- CreateIndex
CREATE UNIQUE INDEX "ledger_transaction_hash_key" ON "ledger_transaction"("hash");

-- CreateIndex
CREATE INDEX "ledger_transaction_programme_id_seq_idx" ON "ledger_transaction"("programme_id", "seq");

-- CreateIndex
CREATE INDEX "ledger_transaction_source_type_source_id_idx" ON "ledger_transaction"("source_type", "source_id");

-- CreateIndex
CREATE INDEX "ledger_entry_account_id_seq_idx" ON "ledger_entry"("account_id", "seq" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "ledger_entry_transaction_id_account_id_key" ON "ledger_entry"("transaction_id", "account_id");

-- CreateIndex
CREATE INDEX "audit_event_record_type_record_id_idx" ON "audit_event"("record_type", "record_id");

-- CreateIndex
CREATE INDEX "audit_event_actor_id_occurred_at_idx" ON "audit_event"("actor_id", "occurred_at");

-- AddForeignKey
ALTER TABLE "app_user" ADD CONSTRAINT "app_user_organisation_id_fkey" FOREIGN KEY ("organisation_id") REFERENCES "organisation"("id") ON DELETE RESTRICT ON UPDATE RESTRICT;

-- AddForeignKey
ALTER TABLE "api_token" ADD CONSTRAINT "api_token_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE RESTRICT ON UPDATE RESTRICT;

-- AddForeignKey
ALTER TABLE "programme" ADD CONSTRAINT "programme_funder_id_fkey" FOREIGN KEY ("funder_id") REFERENCES "organisation"("id") ON DELETE RESTRICT ON UPDATE RESTRICT;

-- AddForeignKey
ALTER TABLE "programme" ADD CONSTRAINT "programme_administrator_id_fkey" FOREIGN KEY ("administrator_id") REFERENCES "organisation"("id") ON DELETE RESTRICT ON UPDATE RESTRICT;

-- AddForeignKey
ALTER TABLE "programme_band" ADD CONSTRAINT "programme_band_programme_id_fkey" FOREIGN KEY ("programme_id") REFERENCES "programme"("id") ON DELETE RESTRICT ON UPDATE RESTRICT;

-- AddForeignKey
ALTER TABLE "funding_receipt" ADD CONSTRAINT "funding_receipt_programme_id_fkey" FOREIGN KEY ("programme_id") REFERENCES "programme"("id") ON DELETE RESTRICT ON UPDATE RESTRICT;

-- AddForeignKey
ALTER TABLE "funding_receipt" ADD CONSTRAINT "funding_receipt_remitter_id_fkey" FOREIGN KEY ("remitter_id") REFERENCES "organisation"("id") ON DELETE RESTRICT ON UPDATE RESTRICT;

-- AddForeignKey
ALTER TABLE "ledger_account" ADD CONSTRAINT "ledger_account_programme_id_fkey" FOREIGN KEY ("programme_id") REFERENCES "programme"("id") ON DELETE RESTRICT ON UPDATE RESTRICT;

-- AddForeignKey
ALTER TABLE "ledger_transaction" ADD CONSTRAINT "ledger_transaction_reverses_id_fkey" FOREIGN KEY ("reverses_id") REFERENCES "ledger_transaction"("id") ON DELETE RESTRICT ON UPDATE RESTRICT;

-- AddForeignKey
ALTER TABLE "ledger_entry" ADD CONSTRAINT "ledger_entry_transaction_id_fkey" FOREIGN KEY ("transaction_id") REFERENCES "ledger_transaction"("id") ON DELETE RESTRICT ON UPDATE RESTRICT;

-- AddForeignKey
ALTER TABLE "ledger_entry" ADD CONSTRAINT "ledger_entry_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "ledger_account"("id") ON DELETE RESTRICT ON UPDATE RESTRICT;
