// PostgreSQL's own tools for a server's backup: `pg_dump --format=custom` of an exported snapshot,
// and `pg_restore` of it. They are PostgreSQL's client programs (postgresql-client), found on PATH
// or named by PG_DUMP and PG_RESTORE.
import { spawn } from 'node:child_process';

/** Parameters libpq understands; Prisma's own (schema, connection_limit…) would make the tools refuse the URL. */
const LIBPQ_PARAMETERS = new Set([
  'sslmode',
  'sslcert',
  'sslkey',
  'sslrootcert',
  'sslpassword',
  'application_name',
  'connect_timeout',
  'options',
  'host',
  'port',
]);

/** The URL for the tools, and its password apart: an argument shows in the process list, the environment does not. */
export function libpqTarget(url: string): { url: string; password: string | null } {
  const u = new URL(url);
  for (const key of [...u.searchParams.keys()]) if (!LIBPQ_PARAMETERS.has(key)) u.searchParams.delete(key);
  const password = u.password ? decodeURIComponent(u.password) : null;
  u.password = '';
  return { url: u.toString(), password };
}

export class PgToolError extends Error {}

function run(tool: string, args: string[], databaseUrl: string): Promise<void> {
  const target = libpqTarget(databaseUrl);
  const env = target.password === null ? process.env : { ...process.env, PGPASSWORD: target.password };
  return new Promise((done, fail) => {
    const child = spawn(tool, [...args, `--dbname=${target.url}`], { stdio: ['ignore', 'ignore', 'pipe'], env });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', (error) => fail(new PgToolError(`${tool}: ${error.message}`)));
    child.on('close', (code) => (code === 0 ? done() : fail(new PgToolError(`${tool} exit code ${code}: ${stderr.trim().slice(0, 2000)}`))));
  });
}

/** A custom-format dump of the database as the exported snapshot `snapshot` sees it. */
export function pgDump(url: string, snapshot: string, file: string): Promise<void> {
  return run(process.env.PG_DUMP ?? 'pg_dump', ['--format=custom', `--snapshot=${snapshot}`, `--file=${file}`], url);
}

/**
 * Restores a dump into an empty database, all or nothing (one transaction). Objects are owned by the
 * restoring role and the source's grants are left out: the target server's roles are its own.
 */
export function pgRestore(url: string, file: string): Promise<void> {
  return run(process.env.PG_RESTORE ?? 'pg_restore', ['--no-owner', '--no-privileges', '--single-transaction', '--exit-on-error', file], url);
}
