// Whether this instance should take traffic now (/readyz): its database answers, its migrations
// are current, and it is not shedding load. Says only which check failed: never an error's text,
// a migration's name or a count, which would tell an outsider more than the probe needs.
import type { InFlightLimit } from './in-flight-limit.ts';
import type { PrismaClient } from '#prisma';
import type { Logger } from './logger.ts';
import { describeError } from './logger.ts';

export type ReadinessCheck = 'database' | 'migrations' | 'shedding';

export interface ReadinessDeps {
  db: PrismaClient;
  inFlight: InFlightLimit;
  /** Absent where the runtime cannot read the migrations folder: then not checked. */
  migrationStatus?: () => Promise<{ upToDate: boolean }>;
  logger: Logger;
  /** Milliseconds; Date.now by default. */
  now?: () => number;
}

/**
 * How long an answer "migrations current" is trusted: this service never un-applies a migration,
 * so once current it stays so; re-reading now and then still notices a database restored from an
 * older backup. A probe every few seconds then costs one `SELECT 1` and, once a minute, the history.
 */
export const MIGRATIONS_TRUSTED_MS = 60_000;

export class Readiness {
  private migrationsCurrentUntil = Number.NEGATIVE_INFINITY;
  private readonly now: () => number;

  constructor(private readonly deps: ReadinessDeps) {
    this.now = deps.now ?? Date.now;
  }

  /** The checks that failed, in a fixed order; empty when the instance is ready. */
  async failed(requestId: string): Promise<ReadinessCheck[]> {
    const failed: ReadinessCheck[] = [];
    if (this.deps.inFlight.shedding) failed.push('shedding');
    try {
      await this.deps.db.$queryRaw`SELECT 1`;
    } catch (error) {
      this.deps.logger.error('readiness: database unreachable', { requestId, ...describeError(error) });
      return ['database', ...failed];
    }
    if (!(await this.migrationsCurrent(requestId))) failed.unshift('migrations');
    return failed;
  }

  private async migrationsCurrent(requestId: string): Promise<boolean> {
    const status = this.deps.migrationStatus;
    if (!status || this.now() < this.migrationsCurrentUntil) return true;
    try {
      const { upToDate } = await status();
      if (upToDate) this.migrationsCurrentUntil = this.now() + MIGRATIONS_TRUSTED_MS;
      return upToDate;
    } catch (error) {
      this.deps.logger.error('readiness: migrations unreadable', { requestId, ...describeError(error) });
      return false;
    }
  }
}
