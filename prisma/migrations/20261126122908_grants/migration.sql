-- CreateEnum
CREATE TYPE "GrantStatus" AS ENUM ('proposed', 'approved', 'rejected', 'ended');

-- CreateEnum
CREATE TYPE "InstalmentStatus" AS ENUM ('scheduled', 'held', 'sent', 'paid', 'cancelled');

-- CreateTable
CREATE TABLE "grant" (
    "id" UUID NOT NULL,
    "student_id" UUID NOT NULL,
    "programme_id" UUID NOT NULL,
    "academic_year" INTEGER NOT NULL,
    "eligibility_id" UUID NOT NULL,
    "level" "EnrolmentLevel" NOT NULL,
    "amount" DECIMAL(14,2) NOT NULL,
    "currency" CHAR(3) NOT NULL DEFAULT 'CNY',
    "status" "GrantStatus" NOT NULL,
    "proposed_by_id" UUID NOT NULL,
    "proposed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "decided_by_id" UUID,
    "decided_at" TIMESTAMPTZ(3),
    "approved_on" DATE,
    "decision_reason" TEXT,
    "ledger_transaction_id" UUID,

    CONSTRAINT "grant_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "instalment" (
    "id" UUID NOT NULL,
    "grant_id" UUID NOT NULL,
    "sequence" INTEGER NOT NULL,
    "due_on" DATE NOT NULL,
    "amount" DECIMAL(14,2) NOT NULL,
    "status" "InstalmentStatus" NOT NULL DEFAULT 'scheduled',
    "catch_up" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "instalment_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "grant_ledger_transaction_id_key" ON "grant"("ledger_transaction_id");

-- CreateIndex
CREATE INDEX "grant_programme_id_academic_year_status_idx" ON "grant"("programme_id", "academic_year", "status");

-- CreateIndex
CREATE INDEX "grant_student_id_idx" ON "grant"("student_id");

-- CreateIndex
CREATE INDEX "instalment_due_on_status_idx" ON "instalment"("due_on", "status");

-- CreateIndex
CREATE UNIQUE INDEX "instalment_grant_id_sequence_key" ON "instalment"("grant_id", "sequence");

-- AddForeignKey
ALTER TABLE "grant" ADD CONSTRAINT "grant_student_id_fkey" FOREIGN KEY ("student_id") REFERENCES "student"("id") ON DELETE RESTRICT ON UPDATE RESTRICT;

-- AddForeignKey
ALTER TABLE "grant" ADD CONSTRAINT "grant_programme_id_fkey" FOREIGN KEY ("programme_id") REFERENCES "programme"("id") ON DELETE RESTRICT ON UPDATE RESTRICT;

-- AddForeignKey
ALTER TABLE "instalment" ADD CONSTRAINT "instalment_grant_id_fkey" FOREIGN KEY ("grant_id") REFERENCES "grant"("id") ON DELETE RESTRICT ON UPDATE RESTRICT;

-- Rules the database keeps whatever code path writes.
-- Errors raised here start with a stable code (`grant_amount_outside_band: …`) that the services map.
ALTER TABLE "grant" ADD CONSTRAINT "grant_amount_positive" CHECK ("amount" > 0);
ALTER TABLE "grant" ADD CONSTRAINT "grant_currency_cny" CHECK ("currency" = 'CNY');
-- Maker-checker: the user who proposed never decides.
ALTER TABLE "grant" ADD CONSTRAINT "grant_maker_is_not_checker"
  CHECK ("decided_by_id" IS NULL OR "decided_by_id" <> "proposed_by_id");
ALTER TABLE "grant" ADD CONSTRAINT "grant_decision_complete"
  CHECK (("status" = 'proposed') = ("decided_by_id" IS NULL) AND ("decided_by_id" IS NULL) = ("decided_at" IS NULL));
-- Approved (and later ended) grants carry their approval date and their ledger transaction.
ALTER TABLE "grant" ADD CONSTRAINT "grant_approval_complete"
  CHECK (("status" IN ('approved', 'ended')) = ("approved_on" IS NOT NULL AND "ledger_transaction_id" IS NOT NULL));
ALTER TABLE "grant" ADD CONSTRAINT "grant_rejection_has_reason" CHECK ("status" <> 'rejected' OR "decision_reason" IS NOT NULL);
ALTER TABLE "grant" ADD CONSTRAINT "grant_eligibility_id_fkey" FOREIGN KEY ("eligibility_id")
  REFERENCES "eligibility_determination"("id") ON DELETE RESTRICT ON UPDATE RESTRICT;
-- The approval's ledger transaction is posted after the grant row is updated: checked at commit.
ALTER TABLE "grant" ADD CONSTRAINT "grant_ledger_transaction_id_fkey" FOREIGN KEY ("ledger_transaction_id")
  REFERENCES "ledger_transaction"("id") ON DELETE RESTRICT ON UPDATE RESTRICT DEFERRABLE INITIALLY DEFERRED;
-- One grant per student, programme and year; rejected ones stay as history and a new proposal may follow.
CREATE UNIQUE INDEX "grant_one_per_year" ON "grant" ("student_id", "programme_id", "academic_year")
  WHERE "status" <> 'rejected';

ALTER TABLE "instalment" ADD CONSTRAINT "instalment_amount_positive" CHECK ("amount" > 0);
ALTER TABLE "instalment" ADD CONSTRAINT "instalment_sequence_positive" CHECK ("sequence" >= 1);

-- Approving grants of a (programme, year) and changing that year's bands queue on one lock, so
-- that neither can slip past the other under concurrency (READ COMMITTED: each check below runs
-- after the lock, on a fresh snapshot).
CREATE FUNCTION grant_band_lock(programme uuid, academic_year integer) RETURNS void LANGUAGE sql AS $$
  SELECT pg_advisory_xact_lock(hashtext('grant_band:' || programme::text), academic_year)
$$;

-- A grant: starts proposed; proposed → approved | rejected; approved → ended; never deleted.
-- Once decided, what was decided (amount, level, student, programme, year) never changes.
-- Proposed or approved, its amount lies inside the band for its programme, year and level, and its
-- level is that of the enrolment its approved eligibility rests on.
CREATE FUNCTION grant_guard() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  band record;
  elig record;
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'grant_history: grants are never deleted' USING ERRCODE = 'P0001';
  END IF;
  IF TG_OP = 'INSERT' AND NEW."status" <> 'proposed' THEN
    RAISE EXCEPTION 'grant_status_transition: a grant starts proposed' USING ERRCODE = 'P0001';
  END IF;
  IF TG_OP = 'UPDATE' THEN
    IF OLD."status" <> 'proposed' AND (NEW."amount", NEW."level", NEW."student_id", NEW."programme_id", NEW."academic_year", NEW."eligibility_id", NEW."proposed_by_id", NEW."approved_on", NEW."ledger_transaction_id")
        IS DISTINCT FROM (OLD."amount", OLD."level", OLD."student_id", OLD."programme_id", OLD."academic_year", OLD."eligibility_id", OLD."proposed_by_id", OLD."approved_on", OLD."ledger_transaction_id") THEN
      RAISE EXCEPTION 'grant_amount_locked: a % grant cannot change its amount or what it was decided on', OLD."status" USING ERRCODE = 'P0001';
    END IF;
    IF NOT (OLD."status" = NEW."status"
            OR (OLD."status" = 'proposed' AND NEW."status" IN ('approved', 'rejected'))
            OR (OLD."status" = 'approved' AND NEW."status" = 'ended')) THEN
      RAISE EXCEPTION 'grant_status_transition: % → % is not allowed', OLD."status", NEW."status" USING ERRCODE = 'P0001';
    END IF;
  END IF;
  IF NEW."status" NOT IN ('proposed', 'approved') THEN
    RETURN NEW;
  END IF;
  IF TG_OP = 'UPDATE' AND NEW."status" = OLD."status" AND NEW."amount" = OLD."amount" AND NEW."level" = OLD."level"
     AND NEW."eligibility_id" = OLD."eligibility_id" THEN
    RETURN NEW;
  END IF;
  IF NEW."status" = 'approved' THEN
    PERFORM grant_band_lock(NEW."programme_id", NEW."academic_year");
  END IF;
  SELECT e."status", e."student_id", e."programme_id", e."academic_year", en."level" INTO elig
    FROM "eligibility_determination" e LEFT JOIN "enrolment" en ON en."id" = e."enrolment_id"
    WHERE e."id" = NEW."eligibility_id";
  IF NOT FOUND OR elig."status" <> 'approved' OR elig."student_id" <> NEW."student_id"
     OR elig."programme_id" <> NEW."programme_id" OR elig."academic_year" <> NEW."academic_year" THEN
    RAISE EXCEPTION 'grant_eligibility_not_approved: the grant needs approved eligibility for its student, programme and year' USING ERRCODE = 'P0001';
  END IF;
  IF elig."level" IS DISTINCT FROM NEW."level" THEN
    RAISE EXCEPTION 'grant_level_mismatch: the grant''s level must be that of the eligibility''s enrolment' USING ERRCODE = 'P0001';
  END IF;
  SELECT "min_amount", "max_amount" INTO band FROM "programme_band"
    WHERE "programme_id" = NEW."programme_id" AND "academic_year" = NEW."academic_year" AND "level" = NEW."level";
  IF NOT FOUND THEN
    RAISE EXCEPTION 'grant_amount_outside_band: no band for this programme, year and level' USING ERRCODE = 'P0001';
  END IF;
  IF NEW."amount" < band."min_amount" OR NEW."amount" > band."max_amount" THEN
    RAISE EXCEPTION 'grant_amount_outside_band: % is outside % – %', NEW."amount", band."min_amount", band."max_amount" USING ERRCODE = 'P0001';
  END IF;
  RETURN NEW;
END;
$$;

CREATE TRIGGER grant_guard BEFORE INSERT OR UPDATE OR DELETE ON "grant"
  FOR EACH ROW EXECUTE FUNCTION grant_guard();
CREATE TRIGGER grant_no_truncate BEFORE TRUNCATE ON "grant"
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_reject_change();

-- Bands of a (programme, year) are fixed once a grant of that year has been approved.
CREATE FUNCTION programme_band_check_unlocked(programme uuid, year integer) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM grant_band_lock(programme, year);
  IF EXISTS (SELECT 1 FROM "grant" WHERE "programme_id" = programme AND "academic_year" = year AND "status" IN ('approved', 'ended')) THEN
    RAISE EXCEPTION 'programme_band_locked: academic year % has approved grants; its bands cannot change', year USING ERRCODE = 'P0001';
  END IF;
END;
$$;

CREATE FUNCTION programme_band_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    PERFORM programme_band_check_unlocked(OLD."programme_id", OLD."academic_year");
  END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') THEN
    PERFORM programme_band_check_unlocked(NEW."programme_id", NEW."academic_year");
    RETURN NEW;
  END IF;
  RETURN OLD;
END;
$$;

CREATE TRIGGER programme_band_guard BEFORE INSERT OR UPDATE OR DELETE ON "programme_band"
  FOR EACH ROW EXECUTE FUNCTION programme_band_guard();

-- Instalments are never deleted; their grant, sequence and amount never change (status and due
-- date do: holding, sending, paying, cancelling).
CREATE FUNCTION instalment_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'instalment_history: instalments are never deleted' USING ERRCODE = 'P0001';
  END IF;
  IF (NEW."grant_id", NEW."sequence", NEW."amount") IS DISTINCT FROM (OLD."grant_id", OLD."sequence", OLD."amount") THEN
    RAISE EXCEPTION 'instalment_amount_locked: an instalment''s grant, sequence and amount never change' USING ERRCODE = 'P0001';
  END IF;
  RETURN NEW;
END;
$$;

CREATE TRIGGER instalment_guard BEFORE UPDATE OR DELETE ON "instalment"
  FOR EACH ROW EXECUTE FUNCTION instalment_guard();
CREATE TRIGGER instalment_no_truncate BEFORE TRUNCATE ON "instalment"
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_reject_change();

-- At commit: an approved (or ended) grant's instalments add up to its amount exactly; a proposed or
-- rejected grant has none.
CREATE FUNCTION grant_check_instalments(grant_id uuid) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  g record;
  total numeric;
  n integer;
BEGIN
  SELECT "amount", "status" INTO g FROM "grant" WHERE "id" = grant_id;
  SELECT coalesce(sum("amount"), 0), count(*) INTO total, n FROM "instalment" WHERE "instalment"."grant_id" = grant_check_instalments.grant_id;
  IF g."status" IN ('approved', 'ended') AND (n = 0 OR total <> g."amount") THEN
    RAISE EXCEPTION 'grant_instalments_do_not_add_up: % instalments sum to %, the grant is %', n, total, g."amount" USING ERRCODE = 'P0001';
  END IF;
  IF g."status" IN ('proposed', 'rejected') AND n > 0 THEN
    RAISE EXCEPTION 'grant_instalments_before_approval: a % grant has no instalments', g."status" USING ERRCODE = 'P0001';
  END IF;
END;
$$;

CREATE FUNCTION grant_instalments_add_up() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM grant_check_instalments(NEW."id");
  RETURN NULL;
END;
$$;

CREATE FUNCTION instalment_adds_up() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM grant_check_instalments(NEW."grant_id");
  RETURN NULL;
END;
$$;

CREATE CONSTRAINT TRIGGER grant_instalments_add_up AFTER INSERT OR UPDATE ON "grant"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION grant_instalments_add_up();
CREATE CONSTRAINT TRIGGER instalment_adds_up AFTER INSERT OR UPDATE ON "instalment"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION instalment_adds_up();
