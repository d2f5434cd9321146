// One reconciliation at a time per programme, raced on a real PostgreSQL server (PGlite runs one
// transaction at a time and would hide a race — TOOLCHAIN.md): concurrent requests through the HTTP
// app in-process, each with its own auditor, released together. The partial unique index on
// reconciliation_job decides: exactly one is accepted, the others answer 409 naming it. The runner
// holds the accepted job until every answer is in, so that it cannot finish and free the programme
// in the middle of the race. A job whose holder stopped its heartbeat is taken as abandoned.
import { beforeAll, describe, expect, it } from 'vitest';
import { ReconciliationJobRunner } from '../../src/services/reconciliation-job-runner.ts';
import { STALE_AFTER_SECONDS } from '../../src/services/reconciliation-jobs.ts';
import { makeProgramme, makeUser, type TestUser } from '../support/fixtures.ts';
import { call, makeApp } from '../support/http.ts';
import { usePgTestDatabase } from '../support/pg-test-database.ts';
import { JOBS, jobForm, waitForJob } from '../support/reconciliation-jobs.ts';
import { testVault } from '../support/vault.ts';
import { race } from './support/concurrency.ts';

const CLIENTS = 8;

describe.skipIf(!process.env.TEST_DATABASE_URL)('one reconciliation at a time, raced (PostgreSQL)', () => {
  const t = usePgTestDatabase(20);
  let app: ReturnType<typeof makeApp>['app'];
  /** The accepted jobs' starts, held until the race is over. */
  const held: (() => void)[] = [];
  let auditors: TestUser[];
  let programmeId: string;

  beforeAll(async () => {
    const runner = new ReconciliationJobRunner({ db: t.db.prisma, database: 'postgres', schedule: (start) => held.push(start) });
    ({ app } = makeApp(t.db.prisma, await testVault(), { reconciliationJobs: runner }));
    programmeId = (await makeProgramme(t.world)).id;
    auditors = [];
    for (let i = 0; i < CLIENTS; i++) auditors.push(await makeUser(t.db.prisma, t.world.auditOffice, 'auditor'));
  });

  async function raceFor(fields: { programmeId?: string }) {
    const results = await race(CLIENTS, (i) => call(app, 'POST', JOBS, { token: auditors[i]!.token, form: jobForm({ checks: ['ledger'], ...fields }) }));
    const answers = results.map((r) => {
      if (r.status === 'rejected') throw r.reason;
      return r.value;
    });
    const accepted = answers.filter((a) => a.status === 202);
    expect(accepted, answers.map((a) => `${a.status} ${a.text.slice(0, 200)}`).join('\n')).toHaveLength(1);
    const id = accepted[0]!.json.id as string;
    for (const refused of answers.filter((a) => a.status !== 202)) {
      expect(refused.status).toBe(409);
      expect(refused.json).toMatchObject({ code: 'reconciliation_already_running', runningJobId: id });
    }
    expect(held).toHaveLength(1);
    for (const start of held.splice(0)) start();
    const job = await waitForJob({ get: (path) => call(app, 'GET', path, { token: auditors[0]!.token }) }, id);
    expect(job).toMatchObject({ status: 'finished', result: 'clean' });
    const run = await t.db.prisma.reconciliationRun.findUniqueOrThrow({ where: { id: job.runId } });
    expect(run.databaseKind).toBe('postgres');
    return id;
  }

  it(`${CLIENTS} concurrent requests for one programme: exactly one accepted, the others 409 naming it`, async () => {
    await raceFor({ programmeId });
    expect(await t.db.prisma.reconciliationJob.count({ where: { programmeId } })).toBe(1);
  });

  it('a job whose holder’s heartbeat stopped a minute ago (a crashed instance) is interrupted by the next request, which is accepted', async () => {
    const other = (await makeProgramme(t.world)).id;
    const abandoned = crypto.randomUUID();
    await t.db.prisma.reconciliationJob.create({
      data: {
        id: abandoned,
        programmeId: other,
        programmeIds: [other],
        checks: ['ledger'],
        inputs: [],
        status: 'running',
        startedAt: new Date(),
        requestedById: auditors[0]!.actor.userId,
        operator: 'an instance that crashed',
        runnerId: crypto.randomUUID(),
        heartbeatAt: new Date(Date.now() - (STALE_AFTER_SECONDS + 5) * 1000),
      },
    });
    const res = await call(app, 'POST', JOBS, { token: auditors[0]!.token, form: jobForm({ checks: ['ledger'], programmeId: other }) });
    expect(res.status, res.text).toBe(202);
    expect(await t.db.prisma.reconciliationJob.findUniqueOrThrow({ where: { id: abandoned } })).toMatchObject({ status: 'interrupted' });
    for (const start of held.splice(0)) start();
    await waitForJob({ get: (path) => call(app, 'GET', path, { token: auditors[0]!.token }) }, res.json.id);
  });

  it(`${CLIENTS} concurrent requests over all programmes: exactly one accepted`, async () => {
    await raceFor({});
    expect(await t.db.prisma.reconciliationJob.count({ where: { programmeId: null } })).toBe(1);
  });
});
