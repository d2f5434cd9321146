-- CreateTable
CREATE TABLE "student_import" (
    "id" UUID NOT NULL,
    "department_id" UUID NOT NULL,
    "file_sha256" CHAR(64) NOT NULL,
    "report" JSONB NOT NULL,
    "imported_by_id" UUID NOT NULL,
    "imported_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "student_import_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "student_import_department_id_file_sha256_key" ON "student_import"("department_id", "file_sha256");

-- AddForeignKey
ALTER TABLE "student_import" ADD CONSTRAINT "student_import_department_id_fkey" FOREIGN KEY ("department_id") REFERENCES "organisation"("id") ON DELETE RESTRICT ON UPDATE RESTRICT;
