// A PostgreSQL database a benchmark creates for itself on the server it is pointed at, and drops
// when done, so a run never touches data that matters and never leaves anything behind.
import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The local server's maintenance database, when no URL is given. */
export const LOCAL_POSTGRES = 'postgresql://postgres@127.0.0.1:5432/postgres';

export interface ThrowawayDatabase {
  name: string;
  /** The connection string of the new database. */
  url: string;
  /** Runs one statement on the server's maintenance connection (CREATE/ALTER/DROP DATABASE). */
  onServer(sql: string): Promise<void>;
  drop(): Promise<void>;
}

export async function createThrowawayDatabase(serverUrl: string, prefix: string): Promise<ThrowawayDatabase> {
  const name = `${prefix}_${Date.now()}_${randomBytes(4).toString('hex')}`;
  const onServer = async (sql: string) => {
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    try {
      await admin.query(sql);
    } finally {
      await admin.end();
    }
  };
  await onServer(`CREATE DATABASE "${name}"`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return { name, url: url.toString(), onServer, drop: () => onServer(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`) };
}
