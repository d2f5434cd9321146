-- Failed authentications per client address, shared by every instance (src/services/auth-failure-window.ts).
CREATE TABLE "auth_failure_window" (
    "address" TEXT NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "failures" INTEGER NOT NULL,

    CONSTRAINT "auth_failure_window_pkey" PRIMARY KEY ("address"),
    CONSTRAINT "auth_failure_window_failures_positive" CHECK ("failures" >= 1)
);

-- Expired windows are deleted by their start.
CREATE INDEX "auth_failure_window_started_at_idx" ON "auth_failure_window"("started_at");
