-- CreateEnum
CREATE TYPE "Gender" AS ENUM ('male', 'female');

-- CreateEnum
CREATE TYPE "ParentSituation" AS ENUM ('deceased', 'missing', 'severe_disability', 'serious_illness', 'serving_sentence', 'compulsory_drug_rehab', 'other_liberty_restriction', 'lost_contact', 'guardianship_revoked', 'deported', 'none');

-- CreateEnum
CREATE TYPE "EnrolmentStatus" AS ENUM ('enrolled', 'suspended', 'graduated', 'withdrawn');

-- CreateEnum
CREATE TYPE "EligibilityStatus" AS ENUM ('proposed', 'approved', 'rejected', 'revoked');

-- CreateEnum
CREATE TYPE "Cohort" AS ENUM ('new', 'continuing');

-- CreateTable
CREATE TABLE "student" (
    "id" UUID NOT NULL,
    "department_id" UUID NOT NULL,
    "identity_number_hash" CHAR(64) NOT NULL,
    "identity_number_sealed" TEXT NOT NULL,
    "identity_number_masked" TEXT NOT NULL,
    "birth_date" DATE NOT NULL,
    "region_code" CHAR(6) NOT NULL,
    "gender" "Gender" NOT NULL,
    "name_hash" CHAR(64) NOT NULL,
    "name_sealed" TEXT NOT NULL,
    "name_masked" TEXT NOT NULL,
    "phone_sealed" TEXT,
    "phone_masked" TEXT,
    "bank_name" TEXT NOT NULL,
    "bank_account_hash" CHAR(64) NOT NULL,
    "bank_account_sealed" TEXT NOT NULL,
    "bank_account_masked" TEXT NOT NULL,
    "created_by_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "student_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "recognition" (
    "id" UUID NOT NULL,
    "student_id" UUID NOT NULL,
    "recognised_on" DATE NOT NULL,
    "authority" TEXT NOT NULL,
    "father_situation" "ParentSituation" NOT NULL,
    "father_disability_grade" INTEGER,
    "father_lost_contact_months" INTEGER,
    "mother_situation" "ParentSituation" NOT NULL,
    "mother_disability_grade" INTEGER,
    "mother_lost_contact_months" INTEGER,
    "adopted" BOOLEAN NOT NULL,
    "qualifies" BOOLEAN NOT NULL,
    "reasons" JSONB NOT NULL,
    "recorded_by_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "recognition_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "recognition_evidence" (
    "id" UUID NOT NULL,
    "recognition_id" UUID NOT NULL,
    "document_type" TEXT NOT NULL,
    "document_number" TEXT NOT NULL,
    "issuer" TEXT NOT NULL,
    "issued_on" DATE NOT NULL,

    CONSTRAINT "recognition_evidence_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "enrolment" (
    "id" UUID NOT NULL,
    "student_id" UUID NOT NULL,
    "institution_name" TEXT NOT NULL,
    "institution_code" TEXT NOT NULL,
    "level" "EnrolmentLevel" NOT NULL,
    "admission_date" DATE NOT NULL,
    "expected_graduation" DATE NOT NULL,
    "status" "EnrolmentStatus" NOT NULL,
    "status_effective_on" DATE NOT NULL,
    "created_by_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "enrolment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "enrolment_status_event" (
    "id" UUID NOT NULL,
    "enrolment_id" UUID NOT NULL,
    "status" "EnrolmentStatus" NOT NULL,
    "effective_on" DATE NOT NULL,
    "reason" TEXT,
    "recorded_by_id" UUID NOT NULL,
    "recorded_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "enrolment_status_event_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "enrolment_verification" (
    "id" UUID NOT NULL,
    "enrolment_id" UUID NOT NULL,
    "verified_on" DATE NOT NULL,
    "source" TEXT NOT NULL,
    "reference" TEXT,
    "verified_by_id" UUID NOT NULL,
    "recorded_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "enrolment_verification_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "eligibility_determination" (
    "id" UUID NOT NULL,
    "student_id" UUID NOT NULL,
    "programme_id" UUID NOT NULL,
    "academic_year" INTEGER NOT NULL,
    "status" "EligibilityStatus" NOT NULL,
    "cohort" "Cohort" NOT NULL,
    "eligible" BOOLEAN NOT NULL,
    "rule_results" JSONB NOT NULL,
    "decision_rule_results" JSONB,
    "enrolment_id" UUID,
    "recognition_id" UUID,
    "proposed_by_id" UUID NOT NULL,
    "proposed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "decided_by_id" UUID,
    "decided_at" TIMESTAMPTZ(3),
    "decision_reason" TEXT,
    "revoked_by_id" UUID,
    "revoked_at" TIMESTAMPTZ(3),
    "revoked_effective_on" DATE,
    "revocation_reason" TEXT,

    CONSTRAINT "eligibility_determination_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "student_identity_number_hash_key" ON "student"("identity_number_hash");

-- CreateIndex
CREATE INDEX "student_department_id_name_hash_idx" ON "student"("department_id", "name_hash");

-- CreateIndex
CREATE INDEX "student_department_id_region_code_idx" ON "student"("department_id", "region_code");

-- CreateIndex
CREATE INDEX "student_bank_account_hash_idx" ON "student"("bank_account_hash");

-- CreateIndex
CREATE INDEX "student_identity_number_masked_idx" ON "student"("identity_number_masked");

-- CreateIndex
CREATE INDEX "recognition_student_id_recognised_on_idx" ON "recognition"("student_id", "recognised_on");

-- CreateIndex
CREATE INDEX "recognition_evidence_recognition_id_idx" ON "recognition_evidence"("recognition_id");

-- CreateIndex
CREATE INDEX "enrolment_student_id_idx" ON "enrolment"("student_id");

-- CreateIndex
CREATE INDEX "enrolment_institution_code_idx" ON "enrolment"("institution_code");

-- CreateIndex
CREATE INDEX "enrolment_status_event_enrolment_id_effective_on_idx" ON "enrolment_status_event"("enrolment_id", "effective_on");

-- CreateIndex
CREATE INDEX "enrolment_verification_enrolment_id_verified_on_idx" ON "enrolment_verification"("enrolment_id", "verified_on");

-- CreateIndex
CREATE INDEX "eligibility_determination_programme_id_academic_year_status_idx" ON "eligibility_determination"("programme_id", "academic_year", "status");

-- CreateIndex
CREATE INDEX "eligibility_determination_student_id_idx" ON "eligibility_determination"("student_id");

-- AddForeignKey
ALTER TABLE "student" ADD CONSTRAINT "student_department_id_fkey" FOREIGN KEY ("department_id") REFERENCES "organisation"("id") ON DELETE RESTRICT ON UPDATE RESTRICT;

-- AddForeignKey
ALTER TABLE "recognition" ADD CONSTRAINT "recognition_student_id_fkey" FOREIGN KEY ("student_id") REFERENCES "student"("id") ON DELETE RESTRICT ON UPDATE RESTRICT;

-- AddForeignKey
ALTER TABLE "recognition_evidence" ADD CONSTRAINT "recognition_evidence_recognition_id_fkey" FOREIGN KEY ("recognition_id") REFERENCES "recognition"("id") ON DELETE RESTRICT ON UPDATE RESTRICT;

-- AddForeignKey
ALTER TABLE "enrolment" ADD CONSTRAINT "enrolment_student_id_fkey" FOREIGN KEY ("student_id") REFERENCES "student"("id") ON DELETE RESTRICT ON UPDATE RESTRICT;

-- AddForeignKey
ALTER TABLE "enrolment_status_event" ADD CONSTRAINT "enrolment_status_event_enrolment_id_fkey" FOREIGN KEY ("enrolment_id") REFERENCES "enrolment"("id") ON DELETE RESTRICT ON UPDATE RESTRICT;

-- AddForeignKey
ALTER TABLE "enrolment_verification" ADD CONSTRAINT "enrolment_verification_enrolment_id_fkey" FOREIGN KEY ("enrolment_id") REFERENCES "enrolment"("id") ON DELETE RESTRICT ON UPDATE RESTRICT;

-- AddForeignKey
ALTER TABLE "eligibility_determination" ADD CONSTRAINT "eligibility_determination_student_id_fkey" FOREIGN KEY ("student_id") REFERENCES "student"("id") ON DELETE RESTRICT ON UPDATE RESTRICT;

-- AddForeignKey
ALTER TABLE "eligibility_determination" ADD CONSTRAINT "eligibility_determination_programme_id_fkey" FOREIGN KEY ("programme_id") REFERENCES "programme"("id") ON DELETE RESTRICT ON UPDATE RESTRICT;

-- Rules the database keeps whatever code path writes.
-- Maker-checker: the user who proposed never decides.
ALTER TABLE "eligibility_determination" ADD CONSTRAINT "eligibility_maker_is_not_checker"
  CHECK ("decided_by_id" IS NULL OR "decided_by_id" <> "proposed_by_id");
-- A decision carries its decider and time; a revocation its reason and effective date.
ALTER TABLE "eligibility_determination" ADD CONSTRAINT "eligibility_decision_complete"
  CHECK (("status" = 'proposed') = ("decided_by_id" IS NULL) AND ("decided_by_id" IS NULL) = ("decided_at" IS NULL));
ALTER TABLE "eligibility_determination" ADD CONSTRAINT "eligibility_revocation_complete"
  CHECK (("status" = 'revoked') = ("revoked_by_id" IS NOT NULL AND "revoked_effective_on" IS NOT NULL AND "revocation_reason" IS NOT NULL));
-- Approval needs every rule to pass: no override.
ALTER TABLE "eligibility_determination" ADD CONSTRAINT "eligibility_approved_only_if_eligible"
  CHECK ("status" NOT IN ('approved', 'revoked') OR "eligible");
-- One open determination per student, programme and year; rejected and revoked ones stay as history.
CREATE UNIQUE INDEX "eligibility_one_open_per_year" ON "eligibility_determination" ("student_id", "programme_id", "academic_year")
  WHERE "status" IN ('proposed', 'approved');

ALTER TABLE "enrolment" ADD CONSTRAINT "enrolment_graduation_after_admission" CHECK ("expected_graduation" > "admission_date");
ALTER TABLE "recognition" ADD CONSTRAINT "recognition_disability_grade" CHECK (
  ("father_disability_grade" IS NULL OR "father_disability_grade" BETWEEN 1 AND 4)
  AND ("mother_disability_grade" IS NULL OR "mother_disability_grade" BETWEEN 1 AND 4));
ALTER TABLE "recognition" ADD CONSTRAINT "recognition_lost_contact_months" CHECK (
  ("father_lost_contact_months" IS NULL OR "father_lost_contact_months" >= 0)
  AND ("mother_lost_contact_months" IS NULL OR "mother_lost_contact_months" >= 0));
ALTER TABLE "student" ADD CONSTRAINT "student_region_code_digits" CHECK ("region_code" ~ '^[0-9]{6}$');

-- History is never rewritten: recognitions, their evidence, enrolment events and verifications
-- are corrected by new rows.
CREATE TRIGGER recognition_no_update BEFORE UPDATE OR DELETE ON "recognition"
  FOR EACH ROW EXECUTE FUNCTION ledger_reject_change();
CREATE TRIGGER recognition_evidence_no_update BEFORE UPDATE OR DELETE ON "recognition_evidence"
  FOR EACH ROW EXECUTE FUNCTION ledger_reject_change();
CREATE TRIGGER enrolment_status_event_no_update BEFORE UPDATE OR DELETE ON "enrolment_status_event"
  FOR EACH ROW EXECUTE FUNCTION ledger_reject_change();
CREATE TRIGGER enrolment_verification_no_update BEFORE UPDATE OR DELETE ON "enrolment_verification"
  FOR EACH ROW EXECUTE FUNCTION ledger_reject_change();
