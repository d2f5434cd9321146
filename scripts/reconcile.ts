// npm run reconcile — checks the ledger and reports; never changes money.
//
//   npm run reconcile -- [ledger] [rules] [bank --statement FILE…] [funding --remittances FILE]
//                        [figures] [--programme CODE] [--json | --csv] [--out DIR] [--operator NAME]
//                        [--mapping FILE] [--account NUMBER] [--service URL]
//
// --account NUMBER: the account of a bank CSV export that names none (default: the programme's
// payout account, which the report then says it assumed).
//
// No check named: ledger, rules, figures. Standard output gets the text report (or, with --json or
// --csv, that form); --out DIR also writes all three (report.txt, report.json, exceptions.csv).
// Against DATABASE_URL, else the embedded database in DATA_DIR (which must not be in use by a
// running service). Every completed run is recorded in the database with its reports.
// With --service URL, a running service does the run (scripts/lib/reconcile-service.ts): the files
// are uploaded with the token in SCHOLARSHIP_TOKEN, and the output and exit codes are the same.
//
// Exit codes: 0 clean · 1 breaks found · 2 could not run (bad arguments or file, no database), with
// the reason on standard error; a run that could not run is not recorded.
//
// The run itself is the use case runReconciliation (src/services/reconciliation.ts), called as the
// command-line actor (a platform admin, scripts/lib/command-line-actor.ts); this script reads the
// arguments, opens the database, hands the files over as file sources, and prints the reports.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../src/config.ts';
import { type Database, openDatabase, targetFromConfig } from '../src/db/client.ts';
import { DataDirLockedError } from '../src/db/data-dir-lock.ts';
import { resolveKeyMaterial } from '../src/privacy/key-source.ts';
import { type PiiVault, PiiKeyError, createPiiVault } from '../src/privacy/pii-vault.ts';
import { CheckCouldNotRun, type CheckName, type Progress } from '../src/reconcile/check-types.ts';
import { CHECK_ORDER, DEFAULT_CHECKS, checkEntry, isCheckName } from '../src/reconcile/checks/index.ts';
import { silentProgress } from '../src/reconcile/checks/support.ts';
import { fileSource } from '../src/reconcile/node/file-source.ts';
import { loadMappingFor } from '../src/reconcile/node/load-mapping.ts';
import { REPORT_FILES } from '../src/reconcile/report/index.ts';
import type { ByteSource } from '../src/reconcile/sources.ts';
import { runReconciliation } from '../src/services/reconciliation.ts';
import { COMMAND_LINE_ACTOR, commandLineContext } from './lib/command-line-actor.ts';
import { ServiceCouldNotRun, TOKEN_VARIABLE, reconcileThroughService } from './lib/reconcile-service.ts';
import { terminalProgress } from './lib/terminal-progress.ts';

const USAGE = `usage: npm run reconcile -- [ledger] [rules] [bank --statement FILE…] [funding --remittances FILE] [figures]
                          [--programme CODE] [--json | --csv] [--out DIR] [--operator NAME] [--mapping FILE] [--account NUMBER]
                          [--service URL]   (a running service does the run; token in ${TOKEN_VARIABLE})
  no check named: ledger rules figures
  exit codes: 0 clean, 1 breaks found, 2 could not run`;

/** Why the run could not run: exit code 2, this message on standard error, nothing recorded. */
class CouldNotRun extends Error {}

interface Plan {
  checks: CheckName[];
  statements: string[];
  mapping: string | undefined;
  /** The account of a bank CSV that names none. */
  account: string | undefined;
  remittances: string | undefined;
  programme: string | undefined;
  output: 'text' | 'json' | 'csv';
  out: string | undefined;
  operator: string;
  /** A running service's address: it does the run. */
  service: string | undefined;
}

function defaultOperator(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? 'unknown';
  }
}

function parsePlan(argv: string[]): Plan {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      tokens: true,
      options: {
        statement: { type: 'string', multiple: true },
        mapping: { type: 'string' },
        account: { type: 'string' },
        remittances: { type: 'string' },
        programme: { type: 'string' },
        json: { type: 'boolean' },
        csv: { type: 'boolean' },
        out: { type: 'string' },
        operator: { type: 'string' },
        service: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new CouldNotRun(`${(error as Error).message}\n${USAGE}`);
  }
  const { values, tokens } = parsed;
  if (values.help) throw new CouldNotRun(USAGE);

  // `--statement a.xml b.xml`: file names that follow --statement are statements too.
  const named: CheckName[] = [];
  const statements: string[] = [];
  let afterStatement = false;
  for (const token of tokens) {
    if (token.kind === 'option') {
      if (token.name === 'statement' && token.value !== undefined) statements.push(token.value);
      afterStatement = token.name === 'statement';
      continue;
    }
    if (token.kind !== 'positional') continue;
    if (isCheckName(token.value)) {
      if (!named.includes(token.value)) named.push(token.value);
      afterStatement = false;
    } else if (afterStatement) {
      statements.push(token.value);
    } else {
      throw new CouldNotRun(`unknown check "${token.value}": the checks are ${CHECK_ORDER.join(', ')}\n${USAGE}`);
    }
  }
  const checks = (named.length > 0 ? named : [...DEFAULT_CHECKS]).sort((a, b) => CHECK_ORDER.indexOf(a) - CHECK_ORDER.indexOf(b));

  if (statements.length > 0 && !checks.includes('bank')) throw new CouldNotRun('--statement is read by the bank check: name it (`bank --statement FILE…`)');
  if (values.mapping !== undefined && !checks.includes('bank')) throw new CouldNotRun('--mapping is read by the bank check: name it');
  if (values.account !== undefined && !checks.includes('bank')) throw new CouldNotRun('--account is read by the bank check: name it');
  if (values.remittances !== undefined && !checks.includes('funding'))
    throw new CouldNotRun('--remittances is read by the funding check: name it (`funding --remittances FILE`)');
  if (checks.includes('bank') && statements.length === 0) throw new CouldNotRun('the bank check needs --statement FILE (camt.053 or a bank CSV export)');
  if (checks.includes('funding') && values.remittances === undefined) throw new CouldNotRun('the funding check needs --remittances FILE');
  if (values.json && values.csv) throw new CouldNotRun('choose one of --json and --csv for standard output (--out DIR writes all three)');
  for (const name of checks) {
    if (!checkEntry(name)) throw new CouldNotRun(`the ${name} check is not available in this build`);
  }
  for (const file of [...statements, ...(values.mapping ? [values.mapping] : []), ...(values.remittances ? [values.remittances] : [])]) {
    if (!existsSync(file)) throw new CouldNotRun(`${file}: no such file`);
  }
  if (values.service !== undefined && values.operator !== undefined) {
    throw new CouldNotRun("--operator: through the service, the run is recorded under the token's user");
  }
  const operator = (values.operator ?? defaultOperator()).trim();
  if (operator.length === 0 || operator.length > 200) throw new CouldNotRun('--operator must be 1–200 characters');

  return {
    checks,
    statements,
    mapping: values.mapping,
    account: values.account,
    remittances: values.remittances,
    programme: values.programme,
    output: values.json ? 'json' : values.csv ? 'csv' : 'text',
    out: values.out,
    operator,
    service: values.service,
  };
}

/** DATABASE_URL, else the embedded database in DATA_DIR — which must exist and not be in use. */
async function openForReconcile(argv: string[]): Promise<Database> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) throw new CouldNotRun(error.message);
    throw error;
  }
  const target = targetFromConfig(config);
  if (target.kind === 'embedded' && target.dataDir !== null) {
    const dir = resolve(target.dataDir);
    // Opening an empty folder would create a new, empty database: refuse instead.
    if (!existsSync(join(dir, 'pg', 'PG_VERSION'))) {
      throw new CouldNotRun(`no embedded database in ${dir} (DATA_DIR): start the service once to create it, or set DATABASE_URL`);
    }
  }
  let db: Database;
  try {
    db = await openDatabase(target);
  } catch (error) {
    if (error instanceof DataDirLockedError) {
      const url = error.url ?? `http://${config.HOST}:${config.PORT}`;
      throw new CouldNotRun(
        `the service is running on the embedded database in ${error.dir} (pid ${error.pid}): stop it, or run against DATABASE_URL, or run it through the service with an auditor's API token:\n` +
          `  ${TOKEN_VARIABLE}=<token> npm run reconcile -- --service ${url}${argv.map((a) => ` ${shellWord(a)}`).join('')}`,
      );
    }
    throw new CouldNotRun(`cannot open the database: ${driverMessage(error)}`);
  }
  try {
    const [row] = await db.prisma.$queryRaw<{ ok: boolean }[]>`SELECT to_regclass('public.reconciliation_run') IS NOT NULL AS ok`;
    if (!row?.ok) throw new CouldNotRun(`the database (${db.description}) is not migrated: run npm run db:migrate`);
  } catch (error) {
    await db.close().catch(() => {});
    if (error instanceof CouldNotRun) throw error;
    throw new CouldNotRun(`cannot reach the database (${db.description}): ${driverMessage(error)}`);
  }
  return db;
}

/**
 * The personal-data vault, when its keys are known (PII_KEYS and PII_LOOKUP_KEY, or the embedded
 * database's key file): the bank check hashes counterparty accounts with it. Never creates keys:
 * without them, bank lines that carry no reference are not matched on the account, and we say so.
 */
async function vaultIfKeysKnown(): Promise<PiiVault | undefined> {
  const config = loadConfig();
  const keyFile = join(resolve(config.DATA_DIR), 'pii-keys.json');
  const known = (config.PII_KEYS && config.PII_LOOKUP_KEY) || (!config.DATABASE_URL && existsSync(keyFile));
  if (known) {
    try {
      return await createPiiVault(resolveKeyMaterial(config));
    } catch (error) {
      if (!(error instanceof PiiKeyError)) throw error;
      throw new CouldNotRun(`personal-data keys: ${error.message}`);
    }
  }
  await write(
    process.stderr,
    'reconcile: note: no personal-data keys (PII_KEYS, PII_LOOKUP_KEY): bank lines without a reference are not matched on the account\n',
  );
  return undefined;
}

/** A driver error's own words, without Prisma's "Invalid `prisma.$queryRaw()` invocation" preamble. */
function driverMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const quoted = /Message: `([^`]*)`/.exec(text);
  if (quoted?.[1]) return quoted[1];
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  return lines.at(-1) ?? text;
}

/** An argument as a POSIX shell reads it back. */
function shellWord(arg: string): string {
  return /^[A-Za-z0-9_./:=@%+,-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

function write(stream: NodeJS.WriteStream, text: string): Promise<void> {
  return new Promise((done, fail) => stream.write(text, (error) => (error ? fail(error) : done())));
}

interface Outcome {
  id: string;
  status: 'clean' | 'breaks';
  reports: Partial<Record<'text' | 'json' | 'csv', string>>;
}

async function main(argv: string[]): Promise<number> {
  const plan = parsePlan(argv);
  if (plan.out !== undefined) {
    try {
      mkdirSync(plan.out, { recursive: true });
    } catch (error) {
      throw new CouldNotRun(`--out ${plan.out}: cannot create the folder (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    }
  }
  const progress: Progress = process.stderr.isTTY ? terminalProgress() : silentProgress;
  const formats = plan.out !== undefined ? (['text', 'json', 'csv'] as const) : [plan.output];
  const { id, status, reports } =
    plan.service !== undefined ? await reconcileThroughService(plan.service, { ...plan, formats }, progress) : await runLocally(plan, progress, argv);

  if (plan.out !== undefined) {
    writeFileSync(join(plan.out, REPORT_FILES.text), reports.text ?? '');
    writeFileSync(join(plan.out, REPORT_FILES.json), reports.json ?? '');
    writeFileSync(join(plan.out, REPORT_FILES.csv), reports.csv ?? '');
  }
  await write(process.stdout, reports[plan.output] ?? '');
  if (process.stderr.isTTY) {
    await write(process.stderr, `运行已记录 (run recorded): ${id}${plan.out ? `; 报告已写入 (reports written to) ${resolve(plan.out)}` : ''}\n`);
  }
  return status === 'clean' ? 0 : 1;
}

/** The run on the database this process opens itself. */
async function runLocally(plan: Plan, progress: Progress, argv: string[]): Promise<Outcome> {
  const db = await openForReconcile(argv);
  try {
    let programme: { id: string; code: string } | null = null;
    if (plan.programme !== undefined) {
      programme = await db.prisma.programme.findUnique({ where: { code: plan.programme }, select: { id: true, code: true } });
      if (!programme) throw new CouldNotRun(`--programme ${plan.programme}: no programme with that code`);
    }
    const vault = plan.checks.includes('bank') ? await vaultIfKeysKnown() : undefined;
    // One source per path: a file named twice is hashed once.
    const sources = new Map<string, ByteSource>();
    const source = (path: string): ByteSource => {
      const known = sources.get(path) ?? fileSource(path);
      sources.set(path, known);
      return known;
    };
    const statements = plan.statements.map(source);
    const mapping = plan.mapping !== undefined ? await loadMappingFor(plan.mapping, statements) : undefined;
    return await runReconciliation({
      ctx: { ...commandLineContext(db, COMMAND_LINE_ACTOR, 'reconcile'), ...(vault ? { vault } : {}) },
      input: {
        checks: plan.checks,
        ...(programme ? { programmeId: programme.id } : {}),
        statements,
        ...(mapping ? { mapping } : {}),
        ...(plan.account !== undefined ? { account: plan.account } : {}),
        ...(plan.remittances !== undefined ? { remittances: source(plan.remittances) } : {}),
        operator: plan.operator,
      },
      database: db.kind,
      progress,
    });
  } finally {
    await db.close();
  }
}

function describe(error: unknown): string {
  if (error instanceof CheckCouldNotRun) {
    const where = [error.where.file, error.where.line ?? undefined].filter((x) => x !== undefined && x !== null).join(':');
    // A message that already names its file (most readers say "file, line n: …") is given as is.
    return where && !(error.where.file && error.message.includes(error.where.file)) ? `${where}: ${error.message}` : error.message;
  }
  if (error instanceof CouldNotRun || error instanceof ServiceCouldNotRun) return error.message;
  return driverMessage(error);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    const known = error instanceof CouldNotRun || error instanceof CheckCouldNotRun || error instanceof ServiceCouldNotRun;
    process.stderr.write(`reconcile: could not run${known ? '' : ' (unexpected error)'}: ${describe(error)}\n`, () => process.exit(2));
  },
);
