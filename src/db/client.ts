// Opens the one PostgreSQL-dialect database the service uses: a PostgreSQL server when
// DATABASE_URL is set (production), otherwise PGlite embedded in-process with data in DATA_DIR.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import pg from 'pg';
import { PrismaClient } from '#prisma';
import { lockDataDir } from './data-dir-lock.ts';
import { embeddedAdapterFactory } from './pglite-adapter.ts';
import { TRANSACTION_OPTIONS } from './transaction-options.ts';
import type { DatabasePoolUse } from './pool-use.ts';

export type DatabaseTarget =
  | { kind: 'postgres'; url: string; poolMax?: number }
  /**
   * `dataDir: null` keeps the embedded database in memory (tests); `template` starts it (or a new
   * data directory) from a dump of an already migrated database (PGlite dumpDataDir), which is much
   * faster than initdb.
   */
  | { kind: 'embedded'; dataDir: string | null; template?: Blob };

export interface Database {
  kind: DatabaseTarget['kind'];
  prisma: PrismaClient;
  /** The same connection, for the migrations engine. */
  adapterFactory: SqlMigrationAwareDriverAdapterFactory;
  /** A short description for logs: never the password. */
  description: string;
  /** The embedded engine itself, for tools and tests that must work below Prisma. */
  pglite?: PGlite;
  /** The connections held now, for metrics. */
  poolUse(): DatabasePoolUse;
  close(): Promise<void>;
}

/**
 * The embedded engine sized for one small service in one process: PostgreSQL's 128 MB of shared
 * buffers (its default, made for a server with many connections) is most of the process's memory
 * in WebAssembly and never handed back; the demo's whole database is a few megabytes. Written to
 * the data directory's configuration, so it holds from the next start on too.
 */
const EMBEDDED_SETTINGS = ['shared_buffers = 16MB', 'temp_buffers = 2MB', 'maintenance_work_mem = 16MB', 'wal_buffers = 1MB'];

/**
 * Unpacks a template into a staging folder beside the data directory's database and renames it
 * into place once whole: a start killed while unpacking leaves no half database behind that a
 * later start would take for a real one (the staging folder is simply unpacked again).
 */
async function unpackTemplate(pgDir: string, template: Blob): Promise<void> {
  const staging = `${pgDir}.unpacking`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  const unpacked = new PGlite(staging, { loadDataDir: template, postgresqlconf: EMBEDDED_SETTINGS });
  await unpacked.waitReady;
  await unpacked.close();
  // Without PG_VERSION the folder holds no database: at most an earlier, interrupted attempt.
  rmSync(pgDir, { recursive: true, force: true });
  renameSync(staging, pgDir);
}

export function targetFromConfig(config: { DATABASE_URL?: string | undefined; DATA_DIR: string; DATABASE_POOL_MAX?: number }): DatabaseTarget {
  if (config.DATABASE_URL) return { kind: 'postgres', url: config.DATABASE_URL, poolMax: config.DATABASE_POOL_MAX };
  return { kind: 'embedded', dataDir: config.DATA_DIR };
}

function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgresql://(unparseable)';
  }
}

/**
 * Names prepared statements after their SQL text, so each connection parses and plans a query
 * once instead of on every call; the set of texts is bounded because values are parameters.
 */
function statementNames(): (query: { sql: string; args: unknown[] }) => string {
  const names = new Map<string, string>();
  return ({ sql, args }) => {
    // Scripts (migrations) hold several commands, which a prepared statement cannot; node-postgres
    // sends a query with an empty name unprepared. Parameterless queries gain nothing from a name.
    if (args.length === 0) return '';
    let name = names.get(sql);
    if (!name) {
      name = `q${createHash('sha1').update(sql).digest('hex').slice(0, 20)}`;
      // Bounded so a pathological stream of distinct texts cannot grow memory without end.
      if (names.size < 5000) names.set(sql, name);
    }
    return name;
  };
}

export async function openDatabase(target: DatabaseTarget): Promise<Database> {
  if (target.kind === 'postgres') {
    // The pool is made here and handed to the adapter, so that its use can be read for metrics
    // (the adapter keeps a pool it makes itself out of reach). The migrations share it: the
    // adapter never ends a pool it was given, so close() ends it.
    const pool = new pg.Pool({ connectionString: target.url, max: target.poolMax ?? 10 });
    // An idle connection that the server ends (a restart, a failover, an administrator's
    // pg_terminate_backend) is reported by the pool as an 'error' event; the pool has already
    // dropped it and the next query opens a new one. The adapter listens only while it is
    // connected, so without a listener of the pool's own such an event would be an uncaught
    // exception and stop the service.
    pool.on('error', () => {});
    const adapterFactory = new PrismaPg(pool, { statementNameGenerator: statementNames() });
    const prisma = new PrismaClient({ adapter: adapterFactory, transactionOptions: TRANSACTION_OPTIONS });
    return {
      kind: 'postgres',
      prisma,
      adapterFactory,
      description: redactUrl(target.url),
      poolUse: () => ({ kind: 'postgres', total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount, max: pool.options.max ?? 10 }),
      async close() {
        await prisma.$disconnect();
        await pool.end();
      },
    };
  }

  let release: () => void = () => {};
  let pglite: PGlite;
  if (target.dataDir === null) {
    pglite = target.template ? new PGlite({ loadDataDir: target.template }) : new PGlite();
    await pglite.waitReady;
  } else {
    const dir = resolve(target.dataDir);
    release = lockDataDir(dir);
    try {
      const pgDir = join(dir, 'pg');
      if (target.template && !existsSync(join(pgDir, 'PG_VERSION'))) await unpackTemplate(pgDir, target.template);
      mkdirSync(pgDir, { recursive: true });
      pglite = new PGlite(pgDir, { postgresqlconf: EMBEDDED_SETTINGS });
      await pglite.waitReady;
    } catch (error) {
      release();
      throw error;
    }
  }
  const adapterFactory = embeddedAdapterFactory(pglite);
  const prisma = new PrismaClient({ adapter: adapterFactory, transactionOptions: TRANSACTION_OPTIONS });
  return {
    kind: 'embedded',
    prisma,
    adapterFactory,
    pglite,
    poolUse: () => ({ kind: 'embedded' }),
    description: target.dataDir === null ? 'embedded (in memory)' : `embedded (${resolve(target.dataDir)})`,
    async close() {
      await prisma.$disconnect();
      await pglite.close();
      release();
    },
  };
}
