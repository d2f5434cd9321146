// Opens the configured database for a command-line tool: DATABASE_URL, else the embedded one in
// DATA_DIR (locked, so a running embedded server makes the tool refuse with a clear message).
import { type Config, ConfigError, loadConfig } from '../../src/config.ts';
import { type Database, openDatabase, targetFromConfig } from '../../src/db/client.ts';
import { DataDirLockedError } from '../../src/db/data-dir-lock.ts';

export async function openConfiguredDatabase(): Promise<Database> {
  try {
    return await openDatabase(targetFromConfig(loadConfig()));
  } catch (error) {
    if (error instanceof ConfigError || error instanceof DataDirLockedError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
}

/** The configuration, or (a configuration error, said plainly) exit 2. */
export function configOrExit(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
}

/** Runs a CLI body and exits with its code; the schema engine can leave timers that hold the process. */
export function runCli(name: string, body: () => Promise<number>): void {
  body().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(`${name} failed: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(2);
    },
  );
}
