// Failed authentications per client address, counted in PostgreSQL so that every instance shares
// one count: Node instances behind a load balancer, and Workers isolates, which keep nothing
// between requests. The same rule as the in-memory FailureLimiter (src/http/failure-limiter.ts): a
// window opens at an address's first failure and lasts `windowMs`; once `maxFailures` failures fall
// inside it, the address is refused until it closes. The database's clock decides, so instances
// whose clocks differ still agree. One statement per check or failure, no transaction: a failure is
// one atomic upsert (concurrent failures from one address all count).
import type { PrismaClient } from '#prisma';
import type { AuthFailureCounter, LimitDecision } from './auth-failure-counter.ts';

export interface SharedFailureLimiterOptions {
  maxFailures: number;
  windowMs: number;
  /** Expired windows are deleted after every this many failures (default 100). */
  sweepEvery?: number;
}

export class SharedFailureLimiter implements AuthFailureCounter {
  private failureCount = 0;
  private refusalCount = 0;
  private readonly seconds: number;

  constructor(
    private readonly db: PrismaClient,
    private readonly options: SharedFailureLimiterOptions,
  ) {
    if (!(options.maxFailures >= 1 && options.windowMs >= 1)) throw new RangeError('maxFailures and windowMs must be positive');
    this.seconds = options.windowMs / 1000;
  }

  async check(address: string): Promise<LimitDecision> {
    const [open] = await this.db.$queryRaw<{ failures: number; remaining: number }[]>`
      SELECT "failures",
             extract(epoch FROM "started_at" + make_interval(secs => ${this.seconds}::float8) - now())::float8 AS remaining
      FROM "auth_failure_window"
      WHERE "address" = ${address} AND "started_at" > now() - make_interval(secs => ${this.seconds}::float8)`;
    if (!open || open.failures < this.options.maxFailures) return { limited: false };
    this.refusalCount++;
    return { limited: true, retryAfterSeconds: Math.max(1, Math.ceil(open.remaining)) };
  }

  async recordFailure(address: string): Promise<void> {
    this.failureCount++;
    await this.db.$executeRaw`
      INSERT INTO "auth_failure_window" ("address", "started_at", "failures") VALUES (${address}, now(), 1)
      ON CONFLICT ("address") DO UPDATE SET
        "started_at" = CASE WHEN "auth_failure_window"."started_at" <= now() - make_interval(secs => ${this.seconds}::float8)
                            THEN now() ELSE "auth_failure_window"."started_at" END,
        "failures" = CASE WHEN "auth_failure_window"."started_at" <= now() - make_interval(secs => ${this.seconds}::float8)
                          THEN 1 ELSE "auth_failure_window"."failures" + 1 END`;
    if (this.failureCount % (this.options.sweepEvery ?? 100) === 0) {
      await this.db.$executeRaw`
        DELETE FROM "auth_failure_window" WHERE "started_at" <= now() - make_interval(secs => ${this.seconds}::float8)`;
    }
  }

  get failures(): number {
    return this.failureCount;
  }

  get refusals(): number {
    return this.refusalCount;
  }
}
