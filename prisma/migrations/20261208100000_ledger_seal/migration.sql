-- The keyed seal of each ledger transaction (src/ledger/seal.ts): HMAC-SHA256 over "seq:hash" with
-- a key the database never holds, written by the service in the transaction that appends. A
-- transaction appended by anyone without the key (a database superuser with the published hash
-- algorithm) has no seal that verifies. Append-only like the other ledger tables.

-- CreateTable
CREATE TABLE "ledger_seal" (
    "transaction_id" UUID NOT NULL,
    "seq" BIGINT NOT NULL,
    "mac" CHAR(64) NOT NULL,

    CONSTRAINT "ledger_seal_pkey" PRIMARY KEY ("transaction_id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ledger_seal_seq_key" ON "ledger_seal"("seq");

-- AddForeignKey
ALTER TABLE "ledger_seal" ADD CONSTRAINT "ledger_seal_transaction_id_fkey" FOREIGN KEY ("transaction_id") REFERENCES "ledger_transaction"("id") ON DELETE RESTRICT ON UPDATE RESTRICT;

-- Append-only: ledger_reject_change as last defined in 20261207030120_error_codes (HINT append_only).
CREATE TRIGGER ledger_seal_no_update BEFORE UPDATE OR DELETE ON "ledger_seal"
  FOR EACH ROW EXECUTE FUNCTION ledger_reject_change();
CREATE TRIGGER ledger_seal_no_truncate BEFORE TRUNCATE ON "ledger_seal"
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_reject_change();
