// What the HTTP layer shares between middleware and handlers.
import type { Checkpointer } from '../checkpoints/checkpointer.ts';
import type { InFlightLimit } from './in-flight-limit.ts';
import type { RequestDeadline } from './request-deadline.ts';
import type { PrismaClient } from '#prisma';
import type { Actor } from '../services/context.ts';
import type { PiiVault } from '../privacy/pii-vault.ts';
import type { BulkJobRunner } from '../services/bulk-step-job-runner.ts';
import type { ReconciliationJobRunner } from '../services/reconciliation-job-runner.ts';
import type { ClientAddressOptions } from './client-address.ts';
import type { AuthFailureCounter } from './failure-limiter.ts';
import type { Logger } from './logger.ts';
import type { AppMetrics, DatabasePoolUse } from './metrics.ts';

export interface AppDeps {
  db: PrismaClient;
  logger: Logger;
  vault: PiiVault;
  /** Reports migrations for /readyz; absent where the runtime cannot read the migrations folder. */
  migrationStatus?: () => Promise<{ upToDate: boolean; pending: string[] }>;
  /** Failed authentications per client address; absent: a limiter with DEFAULT_AUTH_FAILURE_LIMITS. */
  authFailures?: AuthFailureCounter;
  /** How the client address is read; absent: X-Forwarded-For not trusted, no socket (every caller is 'unknown'). */
  clientAddress?: ClientAddressOptions;
  /**
   * Runs the reconciliations started through the API in this process; absent: createApp makes one
   * that states an embedded database in its reports (tests; src/server.ts always gives one).
   */
  reconciliationJobs?: ReconciliationJobRunner;
  /** Runs the bulk steps started on the pages in this process; absent: createApp makes one. */
  bulkStepJobs?: BulkJobRunner;
  /** The bound on requests worked on at once (503 past it); absent: DEFAULT_MAX_IN_FLIGHT. */
  inFlight?: InFlightLimit;
  /**
   * Signs checkpoints of the hash chains and keeps them outside the database (src/checkpoints);
   * absent where nothing can keep them (Workers): the pages and the API then say none are kept.
   */
  checkpoints?: Checkpointer;
  /** How long a request may take before it is answered 503 (src/http/request-deadline.ts); absent: DEFAULT_REQUEST_DEADLINE_MS. */
  requestDeadlineMs?: number;
  /** Records requests and answers GET /metrics (src/http/metrics-node.ts on Node); absent: no metrics, /metrics is 404. */
  metrics?: AppMetrics;
  /** The database connections held now, for /metrics; absent: no pool metric. */
  databasePool?: () => DatabasePoolUse;
  /** Static assets of the docs page; absent where no file system is available. */
  docsAssets?: (name: string) => Promise<{ body: Uint8Array; contentType: string } | null>;
}

export interface AppEnv {
  Variables: {
    requestId: string;
    actor: Actor;
    deps: AppDeps;
    /** Set for every request but the health probe's. */
    deadline?: RequestDeadline;
  };
}
