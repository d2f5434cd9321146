-- Sign-in for people (the pages): user names and password hashes on app_user, one-time
-- set-password links, and web sessions. Secrets (link and cookie) are stored only as SHA-256.

-- AlterTable
ALTER TABLE "app_user" ADD COLUMN     "password_changed_at" TIMESTAMPTZ(3),
ADD COLUMN     "password_hash" TEXT,
ADD COLUMN     "username" TEXT;

-- CreateTable
CREATE TABLE "password_setup" (
    "id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "secret_hash" TEXT NOT NULL,
    "created_by_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "used_at" TIMESTAMPTZ(3),

    CONSTRAINT "password_setup_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "web_session" (
    "id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "secret_hash" TEXT NOT NULL,
    "csrf_token" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_seen_at" TIMESTAMPTZ(3) NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "ended_at" TIMESTAMPTZ(3),
    "end_reason" TEXT,
    "user_agent" TEXT,

    CONSTRAINT "web_session_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "password_setup_secret_hash_key" ON "password_setup"("secret_hash");

-- CreateIndex
CREATE INDEX "password_setup_user_id_idx" ON "password_setup"("user_id");

-- CreateIndex
CREATE UNIQUE INDEX "web_session_secret_hash_key" ON "web_session"("secret_hash");

-- CreateIndex
CREATE INDEX "web_session_user_id_created_at_idx" ON "web_session"("user_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "app_user_username_key" ON "app_user"("username");

-- AddForeignKey
ALTER TABLE "password_setup" ADD CONSTRAINT "password_setup_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE RESTRICT ON UPDATE RESTRICT;

-- AddForeignKey
ALTER TABLE "web_session" ADD CONSTRAINT "web_session_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE RESTRICT ON UPDATE RESTRICT;

-- User names: lower case letters, digits, dot, dash, underscore; 3–64 characters, starting with a
-- letter or digit (the service normalises what is typed to this).
ALTER TABLE "app_user" ADD CONSTRAINT "app_user_username_form" CHECK ("username" IS NULL OR "username" ~ '^[a-z0-9][a-z0-9._-]{2,63}$');
ALTER TABLE "app_user" ADD CONSTRAINT "app_user_password_hash_form" CHECK ("password_hash" IS NULL OR "password_hash" LIKE 'pbkdf2-sha256$%');

ALTER TABLE "password_setup" ADD CONSTRAINT "password_setup_lifetime" CHECK ("expires_at" > "created_at");

ALTER TABLE "web_session" ADD CONSTRAINT "web_session_end_reason" CHECK (
  ("ended_at" IS NULL AND "end_reason" IS NULL)
  OR ("ended_at" IS NOT NULL AND "end_reason" IN ('signed_out', 'revoked', 'password_changed')));
ALTER TABLE "web_session" ADD CONSTRAINT "web_session_lifetime" CHECK ("expires_at" > "created_at" AND "last_seen_at" >= "created_at");
