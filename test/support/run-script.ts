// Runs one of the project's command-line scripts as a child process on an embedded database in
// `dataDir` (never a server: this process's DATABASE_URL is removed, unless `extraEnv` names one on
// purpose), and collects its exit code and output.
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');

export interface ScriptResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `script` is the file name under scripts/ without `.ts`, e.g. `reconcile`; `extraEnv` is added to this process's environment. */
export function runScript(script: string, args: string[], dataDir: string, extraEnv: NodeJS.ProcessEnv = {}): Promise<ScriptResult> {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir };
  delete env.DATABASE_URL;
  Object.assign(env, extraEnv);
  return new Promise((done, fail) => {
    const child = spawn(join(ROOT, 'node_modules/.bin/tsx'), [`scripts/${script}.ts`, ...args], { cwd: ROOT, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}
