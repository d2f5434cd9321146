// `npm run reconcile -- --service URL …`: the same run, carried out by a running service through its
// API (POST /api/v1/reconciliation-runs, then GET /api/v1/reconciliation-jobs/{id}), for when the
// service holds the embedded database (the command line cannot open it then) or the files are here
// and the database is not. The files are uploaded, the job is followed (its progress drawn on the
// terminal), and the run's reports are fetched as stored — the same bytes a local run writes.
//
// The token is an auditor's or an admin's API token, from SCHOLARSHIP_TOKEN (never an argument:
// arguments show in process lists and shell history). The run is recorded under the token's user.
import { openAsBlob } from 'node:fs';
import { basename } from 'node:path';
import { CSV_PRESET_NAMES } from '../../src/bank/statement-csv/index.ts';
import type { CheckName, Progress } from '../../src/reconcile/check-types.ts';

export const TOKEN_VARIABLE = 'SCHOLARSHIP_TOKEN';

/** Why it could not run through the service: exit code 2, this message on standard error. */
export class ServiceCouldNotRun extends Error {}

export interface ServiceRun {
  checks: CheckName[];
  statements: string[];
  /** A preset's name: a mapping file cannot be sent. */
  mapping: string | undefined;
  /** The account of a bank CSV that names none. */
  account: string | undefined;
  remittances: string | undefined;
  /** A programme's code. */
  programme: string | undefined;
  /** Which reports to fetch. */
  formats: readonly ('text' | 'json' | 'csv')[];
}

export interface ServiceOutcome {
  id: string;
  status: 'clean' | 'breaks';
  reports: Partial<Record<'text' | 'json' | 'csv', string>>;
}

const POLL_MS = 500;

interface Problem {
  code?: string;
  detail?: string;
  runningJobId?: string;
  errors?: { path: string; message: string }[];
}

interface Job {
  id: string;
  status: 'queued' | 'running' | 'finished' | 'failed' | 'interrupted';
  progress: { phase: string; done: number; total: number | null } | null;
  runId: string | null;
  result: 'clean' | 'breaks' | null;
  error: { code: string; message: string; where: { file: string | null; line: number | null } | null } | null;
}

export async function reconcileThroughService(service: string, run: ServiceRun, progress: Progress): Promise<ServiceOutcome> {
  const token = process.env[TOKEN_VARIABLE];
  if (!token) {
    throw new ServiceCouldNotRun(
      `--service needs an auditor's or admin's API token in ${TOKEN_VARIABLE} (npm run token:create; the demo's are in data/demo-tokens.json)`,
    );
  }
  if (run.mapping !== undefined && !CSV_PRESET_NAMES.includes(run.mapping)) {
    throw new ServiceCouldNotRun(
      `--mapping ${run.mapping}: through the service, name a preset (${CSV_PRESET_NAMES.join(', ')}); a mapping file is read only by a local run`,
    );
  }
  const api = new Api(service, token);

  const form = new FormData();
  for (const check of run.checks) form.append('checks', check);
  if (run.programme !== undefined) form.append('programmeId', await api.programmeId(run.programme));
  for (const file of run.statements) form.append('statements', await openAsBlob(file), basename(file));
  if (run.remittances !== undefined) form.append('remittances', await openAsBlob(run.remittances), basename(run.remittances));
  if (run.mapping !== undefined) form.append('csvPreset', run.mapping);
  if (run.account !== undefined) form.append('account', run.account);

  const started = await api.send('/reconciliation-runs', { method: 'POST', body: form });
  if (started.status !== 202) throw refusal(started.status, (await started.json()) as Problem);
  const job = await follow(api, ((await started.json()) as Job).id, progress);

  if (job.status === 'interrupted') throw new ServiceCouldNotRun('the service stopped before the run finished; nothing was recorded: run it again');
  if (job.status === 'failed' || job.runId === null || job.result === null) {
    const where = [job.error?.where?.file, job.error?.where?.line ?? undefined].filter((x) => x !== undefined && x !== null).join(':');
    const reason = job.error?.message ?? 'the run failed';
    throw new ServiceCouldNotRun(where && !reason.includes(job.error?.where?.file ?? '') ? `${where}: ${reason}` : reason);
  }
  const reports: ServiceOutcome['reports'] = {};
  for (const format of run.formats) reports[format] = await api.report(job.runId, format);
  return { id: job.runId, status: job.result, reports };
}

/** Polls the job until it ends, drawing each step's progress. */
async function follow(api: Api, id: string, progress: Progress): Promise<Job> {
  let phase: string | null = null;
  let done = 0;
  try {
    for (;;) {
      const answer = await api.send(`/reconciliation-jobs/${id}`);
      if (answer.status !== 200) throw refusal(answer.status, (await answer.json()) as Problem);
      const job = (await answer.json()) as Job;
      if (job.progress && job.progress.phase !== phase) {
        phase = job.progress.phase;
        done = 0;
        progress.start(phase, job.progress.total);
      }
      if (job.progress && job.progress.done > done) {
        progress.tick(job.progress.done - done);
        done = job.progress.done;
      }
      if (job.status !== 'queued' && job.status !== 'running') return job;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  } finally {
    progress.stop();
  }
}

function refusal(status: number, problem: Problem): ServiceCouldNotRun {
  if (problem.code === 'reconciliation_already_running') {
    return new ServiceCouldNotRun(`a reconciliation of the same programme is already running (job ${problem.runningJobId}): run again when it has ended`);
  }
  const fields = (problem.errors ?? []).map((e) => `\n  ${e.path}: ${e.message}`).join('');
  return new ServiceCouldNotRun(`the service refused the run (${status} ${problem.code ?? ''}): ${problem.detail ?? ''}${fields}`);
}

class Api {
  private readonly base: string;

  constructor(
    service: string,
    private readonly token: string,
  ) {
    let url: URL;
    try {
      url = new URL(service);
    } catch {
      throw new ServiceCouldNotRun(`--service ${service}: not a URL (e.g. http://127.0.0.1:3000)`);
    }
    this.base = `${url.origin}${url.pathname.replace(/\/+$/, '')}/api/v1`;
  }

  async send(path: string, init: RequestInit = {}): Promise<Response> {
    try {
      return await fetch(`${this.base}${path}`, { ...init, headers: { Authorization: `Bearer ${this.token}`, Accept: 'application/json' } });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new ServiceCouldNotRun(`cannot reach the service at ${this.base}: ${cause?.code ?? cause?.message ?? (error as Error).message}`);
    }
  }

  /** The id of the programme with this code, among those the token sees. */
  async programmeId(code: string): Promise<string> {
    let cursor: string | null = null;
    do {
      const answer = await this.send(`/programmes?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      if (answer.status !== 200) throw refusal(answer.status, (await answer.json()) as Problem);
      const page = (await answer.json()) as { items: { id: string; code: string }[]; nextCursor: string | null };
      const found = page.items.find((p) => p.code === code);
      if (found) return found.id;
      cursor = page.nextCursor;
    } while (cursor);
    throw new ServiceCouldNotRun(`--programme ${code}: no programme with that code`);
  }

  /** A report as stored, the CSV's byte-order mark kept. */
  async report(runId: string, format: 'text' | 'json' | 'csv'): Promise<string> {
    const answer = await this.send(`/reconciliation-runs/${runId}/report?format=${format}`);
    if (answer.status !== 200) throw refusal(answer.status, (await answer.json()) as Problem);
    return new TextDecoder('utf-8', { ignoreBOM: true }).decode(await answer.arrayBuffer());
  }
}
