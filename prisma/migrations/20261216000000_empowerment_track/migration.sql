-- The empowerment track (青山陪伴赋能工程): activities of a programme, each student's participation
-- (one person-time when attended or completed), and where graduates went. No money: nothing here
-- touches the ledger. The coordinator (项目专员) is a new role of a foundation.

-- CreateEnum
CREATE TYPE "EmpowermentKind" AS ENUM ('public_benefit_marketing', 'career_planning_course', 'summer_internship', 'employment_assistance', 'other');

-- CreateEnum
CREATE TYPE "ActivityOrganiser" AS ENUM ('foundation', 'partner');

-- CreateEnum
CREATE TYPE "ParticipationStatus" AS ENUM ('registered', 'attended', 'completed', 'withdrawn');

-- CreateEnum
CREATE TYPE "EmployerSector" AS ENUM ('government', 'public_institution', 'state_enterprise', 'private_enterprise', 'social_organisation', 'self_employed', 'other');

-- CreateEnum
CREATE TYPE "GraduateDestinationKind" AS ENUM ('employed', 'further_study', 'other');

-- AlterEnum
ALTER TYPE "Role" ADD VALUE 'coordinator';

-- CreateTable
CREATE TABLE "empowerment_activity" (
    "id" UUID NOT NULL,
    "programme_id" UUID NOT NULL,
    "kind" "EmpowermentKind" NOT NULL,
    "organiser" "ActivityOrganiser" NOT NULL,
    "organiser_name" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "starts_on" DATE NOT NULL,
    "ends_on" DATE NOT NULL,
    "online" BOOLEAN NOT NULL,
    "place" TEXT,
    "capacity" INTEGER,
    "description" TEXT,
    "created_by_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "empowerment_activity_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "empowerment_participation" (
    "id" UUID NOT NULL,
    "activity_id" UUID NOT NULL,
    "student_id" UUID NOT NULL,
    "status" "ParticipationStatus" NOT NULL,
    "registered_on" DATE NOT NULL,
    "attended_on" DATE,
    "completed_on" DATE,
    "withdrawn_on" DATE,
    "hours" DECIMAL(6,1),
    "internship_host" TEXT,
    "internship_weeks" INTEGER,
    "employment_sector" "EmployerSector",
    "employment_start_on" DATE,
    "evidence" TEXT[],
    "recorded_by_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "empowerment_participation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "graduate_destination" (
    "id" UUID NOT NULL,
    "programme_id" UUID NOT NULL,
    "student_id" UUID NOT NULL,
    "destination" "GraduateDestinationKind" NOT NULL,
    "sector" "EmployerSector",
    "started_on" DATE NOT NULL,
    "source" TEXT NOT NULL,
    "source_date" DATE NOT NULL,
    "recorded_by_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "graduate_destination_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "empowerment_activity_programme_id_starts_on_idx" ON "empowerment_activity"("programme_id", "starts_on");

-- CreateIndex
CREATE INDEX "empowerment_participation_student_id_idx" ON "empowerment_participation"("student_id");

-- CreateIndex
CREATE UNIQUE INDEX "empowerment_participation_activity_id_student_id_key" ON "empowerment_participation"("activity_id", "student_id");

-- CreateIndex
CREATE INDEX "graduate_destination_student_id_idx" ON "graduate_destination"("student_id");

-- CreateIndex
CREATE UNIQUE INDEX "graduate_destination_programme_id_student_id_key" ON "graduate_destination"("programme_id", "student_id");

-- AddForeignKey
ALTER TABLE "empowerment_activity" ADD CONSTRAINT "empowerment_activity_programme_id_fkey" FOREIGN KEY ("programme_id") REFERENCES "programme"("id") ON DELETE RESTRICT ON UPDATE RESTRICT;

-- AddForeignKey
ALTER TABLE "empowerment_participation" ADD CONSTRAINT "empowerment_participation_activity_id_fkey" FOREIGN KEY ("activity_id") REFERENCES "empowerment_activity"("id") ON DELETE RESTRICT ON UPDATE RESTRICT;

-- AddForeignKey
ALTER TABLE "empowerment_participation" ADD CONSTRAINT "empowerment_participation_student_id_fkey" FOREIGN KEY ("student_id") REFERENCES "student"("id") ON DELETE RESTRICT ON UPDATE RESTRICT;

-- AddForeignKey
ALTER TABLE "graduate_destination" ADD CONSTRAINT "graduate_destination_programme_id_fkey" FOREIGN KEY ("programme_id") REFERENCES "programme"("id") ON DELETE RESTRICT ON UPDATE RESTRICT;

-- AddForeignKey
ALTER TABLE "graduate_destination" ADD CONSTRAINT "graduate_destination_student_id_fkey" FOREIGN KEY ("student_id") REFERENCES "student"("id") ON DELETE RESTRICT ON UPDATE RESTRICT;
