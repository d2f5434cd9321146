-- An admin can disable a user (and enable them again): while disabled_at is set, the user cannot
-- sign in, their sessions end and their tokens answer 401. Nothing is deleted: the audit trail
-- keeps naming the user.

-- AlterTable
ALTER TABLE "app_user" ADD COLUMN     "disabled_at" TIMESTAMPTZ(3);

-- A session ended because its user was disabled says so.
ALTER TABLE "web_session" DROP CONSTRAINT "web_session_end_reason";
ALTER TABLE "web_session" ADD CONSTRAINT "web_session_end_reason" CHECK (
  ("ended_at" IS NULL AND "end_reason" IS NULL)
  OR ("ended_at" IS NOT NULL AND "end_reason" IN ('signed_out', 'revoked', 'password_changed', 'user_disabled')));
