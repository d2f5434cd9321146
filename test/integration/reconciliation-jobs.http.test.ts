// Reconciliation from the API while the service runs (POST /reconciliation-runs, GET
// /reconciliation-jobs/{id}), on the embedded database: an auditor uploads a statement with breaks
// and follows the job until the run is recorded, whose report is byte for byte what
// runReconciliation gives for the same files; a file that is no statement fails the job with the
// catalogue's code in both languages; bad forms are refused naming the field, oversize files 413;
// roles without the permission 403, another organisation's programme or job 404; and one job at a
// time per programme (and one over all programmes), those an earlier process left interrupted at start.
import { beforeAll, describe, expect, it } from 'vitest';
import { bytesSource } from '../../src/reconcile/sources.ts';
import { interruptAbandonedJobs } from '../../src/services/reconciliation-jobs.ts';
import { runReconciliation } from '../../src/services/reconciliation.ts';
import { type StatementEntry, bankCsv, camt053, gbk, utf8 } from '../support/bank-statements.ts';
import { makeAuditorEngagedOn, makeOrganisation, makeProgramme, makeUser, type TestUser } from '../support/fixtures.ts';
import { PROGRAMME_ACCOUNT } from '../support/payouts.ts';
import { JOBS, type Upload, jobForm, waitForJob } from '../support/reconciliation-jobs.ts';
import { makeSettledPayouts } from '../support/reconciliation.ts';
import { useTestApp } from '../support/test-app.ts';

const t = useTestApp();
let programmeId: string;
/** November's camt.053 with two breaks: the first payout missing at the bank, a debit the ledger never made. */
let statement: Upload;
/** November's account history as a GBK CSV that names no account, every payout on it: clean once its account is known. */
let csvWithoutAccount: Upload;
let otherAuditor: TestUser;
let otherFoundation: TestUser;

const notes: Upload = { name: '会议纪要.txt', bytes: '会议纪要\n今天讨论了助学金发放的安排。\n' };

beforeAll(async () => {
  const settled = await makeSettledPayouts(t.db.prisma, t.world, t.vault);
  programmeId = settled.programmeId;
  const entries: StatementEntry[] = [
    ...settled.paid
      .slice(1)
      .map((p) => ({ kind: 'debit' as const, amount: p.amount, bookingDate: '2026-11-25', reference: p.reference, counterpartyAccount: p.account })),
    { kind: 'debit', amount: '3000.00', bookingDate: '2026-11-20', counterpartyAccount: '6222020000000000001', counterpartyName: '西宁市城中区某商贸有限公司' },
  ];
  const chunks: Uint8Array[] = [];
  const options = { messageId: 'STMT-2026-11-B', account: PROGRAMME_ACCOUNT, opening: { amount: settled.opening, date: '2026-11-01' } };
  for await (const chunk of utf8(camt053({ ...options, closing: { amount: settled.closing, date: '2026-11-30' } }, entries))) chunks.push(chunk);
  statement = { name: 'statement-2026-11.breaks.camt053.xml', bytes: Buffer.concat(chunks) };
  const csvChunks: Uint8Array[] = [];
  const csvEntries: StatementEntry[] = settled.paid.map((p) => ({ kind: 'debit', amount: p.amount, bookingDate: '2026-11-25', reference: p.reference }));
  for await (const chunk of gbk(bankCsv({ from: '2026-11-01', to: '2026-11-30', opening: settled.opening, closing: settled.closing }, csvEntries)))
    csvChunks.push(chunk);
  csvWithoutAccount = { name: 'ccb-2026-11.csv', bytes: Buffer.concat(csvChunks) };

  const otherDepartment = await makeOrganisation(t.db.prisma, 'civil_affairs');
  const foundation = await makeOrganisation(t.db.prisma, 'foundation');
  otherFoundation = await makeUser(t.db.prisma, foundation, 'foundation_viewer');
  const otherProgramme = await makeProgramme(t.world, { funderId: foundation.id, administratorId: otherDepartment.id });
  otherAuditor = await makeAuditorEngagedOn(t.db.prisma, t.world, [otherProgramme.id]);
});

const jobCount = () => t.db.prisma.reconciliationJob.count();
const runCount = () => t.db.prisma.reconciliationRun.count();
const displayName = async (user: TestUser) =>
  (await t.db.prisma.appUser.findUniqueOrThrow({ where: { id: user.actor.userId }, select: { displayName: true } })).displayName;

/** A queued or running job held by another process, written directly; its heartbeat `secondsAgo`. */
async function heldElsewhere(scope: string | null, secondsAgo = 0) {
  const id = crypto.randomUUID();
  await t.db.prisma.reconciliationJob.create({
    data: {
      id,
      programmeId: scope,
      programmeIds: scope ? [scope] : [],
      checks: ['ledger'],
      inputs: [],
      status: 'running',
      startedAt: new Date(),
      requestedById: t.world.users.auditor.actor.userId,
      operator: 'another auditor',
      runnerId: crypto.randomUUID(),
      heartbeatAt: new Date(Date.now() - secondsAgo * 1000),
    },
  });
  return id;
}

describe('POST /reconciliation-runs — an auditor uploads a statement', () => {
  it('answers 202 with the job at its Location; the job finishes, and its run’s reports are what runReconciliation gives for the same files', async () => {
    const auditor = t.world.users.auditor;
    const res = await t.as.auditor.post(JOBS, undefined, { form: jobForm({ checks: ['bank', 'ledger'], programmeId, statements: [statement] }) });
    expect(res.status, res.text).toBe(202);
    expect(res.headers.get('Location')).toBe(`/api/v1/reconciliation-jobs/${res.json.id}`);
    expect(res.json).toMatchObject({
      status: 'queued',
      programme: { id: programmeId, code: expect.any(String) },
      programmeIds: [programmeId],
      checks: ['ledger', 'bank'],
      inputs: [{ check: 'bank', name: statement.name, bytes: statement.bytes.length }],
      operator: await displayName(auditor),
      requestedById: auditor.actor.userId,
      runId: null,
      error: null,
    });

    const job = await waitForJob(t.as.auditor, res.json.id);
    expect(job).toMatchObject({
      status: 'finished',
      result: 'breaks',
      runId: expect.any(String),
      error: null,
      startedAt: expect.any(String),
      finishedAt: expect.any(String),
    });
    expect(job.progress).toMatchObject({ phase: expect.any(String), done: expect.any(Number) });

    const direct = await runReconciliation({
      ctx: auditor.ctx,
      input: { checks: ['ledger', 'bank'], programmeId, statements: [bytesSource(statement.name, statement.bytes as Uint8Array)], operator: 'test auditor' },
      database: 'embedded',
    });
    expect(direct.status).toBe('breaks');
    for (const format of ['json', 'text', 'csv'] as const) {
      const report = await t.app.request(`/api/v1/reconciliation-runs/${job.runId}/report?format=${format}`, {
        headers: { Authorization: `Bearer ${auditor.token}` },
      });
      expect(report.status).toBe(200);
      // Byte for byte, the CSV's byte-order mark too.
      expect(Buffer.from(await report.arrayBuffer()).equals(Buffer.from(direct.reports[format])), format).toBe(true);
    }
    const codes = JSON.parse(direct.reports.json).results[1].exceptions.map((e: { code: string }) => e.code);
    expect(codes).toEqual(expect.arrayContaining(['in_ledger_not_at_bank', 'at_bank_not_in_ledger']));
    const run = await t.as.auditor.get(`/api/v1/reconciliation-runs/${job.runId}`);
    expect(run.json).toMatchObject({ operator: await displayName(auditor), actorId: auditor.actor.userId, programmeIds: [programmeId], status: 'breaks' });
    // The start is in the audit trail, with the files' names and sizes, never their bytes.
    const audit = await t.db.prisma.auditEvent.findFirstOrThrow({ where: { recordType: 'reconciliation_job', recordId: job.id } });
    expect(audit).toMatchObject({ action: 'reconciliation.start', actorId: auditor.actor.userId });
  });

  it('takes the checks as a comma-separated list too, and the default checks when none is named', async () => {
    const listed = await t.as.auditor.post(JOBS, undefined, { form: jobForm({ extra: { checks: 'figures, ledger' }, programmeId }) });
    expect(listed.status, listed.text).toBe(202);
    expect(listed.json.checks).toEqual(['ledger', 'figures']);
    expect(await waitForJob(t.as.auditor, listed.json.id)).toMatchObject({ status: 'finished', result: 'clean' });
    const none = await t.as.admin.post(JOBS, undefined, { form: jobForm({ programmeId }) });
    expect(none.status, none.text).toBe(202);
    expect(none.json.checks).toEqual(['ledger', 'rules', 'figures']);
    expect(await waitForJob(t.as.admin, none.json.id)).toMatchObject({ status: 'finished' });
  });

  it('a file that is no statement fails the job with reconciliation_could_not_run, in Chinese and English, naming the file and line; nothing is recorded', async () => {
    const runs = await runCount();
    const res = await t.as.auditor.post(JOBS, undefined, { form: jobForm({ checks: ['bank'], programmeId, statements: [notes] }) });
    expect(res.status, res.text).toBe(202);
    const job = await waitForJob(t.as.auditor, res.json.id);
    expect(job).toMatchObject({
      status: 'failed',
      runId: null,
      result: null,
      error: {
        code: 'reconciliation_could_not_run',
        message: expect.stringMatching(/^The reconciliation could not run; nothing was recorded: 会议纪要\.txt/),
        messageZh: expect.stringMatching(/^对账无法运行，未记录任何结果（文件会议纪要\.txt第1行）/),
        where: { file: '会议纪要.txt', line: 1 },
      },
    });
    expect(await runCount()).toBe(runs);
  });

  it('an account-history CSV naming no account: the account declared in the form is checked (clean, and said); another account fails the job', async () => {
    const res = await t.as.auditor.post(JOBS, undefined, {
      form: jobForm({ checks: ['bank'], programmeId, statements: [csvWithoutAccount], extra: { account: PROGRAMME_ACCOUNT } }),
    });
    expect(res.status, res.text).toBe(202);
    const job = await waitForJob(t.as.auditor, res.json.id);
    expect(job).toMatchObject({ status: 'finished', result: 'clean' });
    const report = await t.as.auditor.get(`/api/v1/reconciliation-runs/${job.runId}/report?format=json`);
    const tables = JSON.parse(report.text).results[0].tables as { columns: string[]; rows: string[][] }[];
    expect(tables.find((x) => x.columns.includes('account_from'))?.rows[0]?.[3]).toContain('declared');
    const other = await t.as.auditor.post(JOBS, undefined, {
      form: jobForm({ checks: ['bank'], programmeId, statements: [csvWithoutAccount], extra: { account: '6222600110012345678' } }),
    });
    const failed = await waitForJob(t.as.auditor, other.json.id);
    expect(failed).toMatchObject({ status: 'failed', error: { code: 'reconciliation_could_not_run' } });
    expect(JSON.stringify(failed)).not.toContain('6222600110012345678');
  });

  it('an admin runs over all programmes', async () => {
    const res = await t.as.admin.post(JOBS, undefined, { form: jobForm({ checks: ['ledger'] }) });
    expect(res.status, res.text).toBe(202);
    expect(res.json.programme).toBeNull();
    expect(res.json.programmeIds).toContain(programmeId);
    expect(await waitForJob(t.as.admin, res.json.id)).toMatchObject({ status: 'finished', result: 'clean' });
  });
});

describe('POST /reconciliation-runs — input refused before anything is claimed', () => {
  const refused = async (form: FormData, status = 400) => {
    const before = await jobCount();
    const res = await t.as.auditor.post(JOBS, undefined, { form });
    expect(res.status, res.text).toBe(status);
    expect(res.headers.get('Content-Type')).toContain('application/problem+json');
    expect(await jobCount()).toBe(before);
    return res.json;
  };

  it('names the field: an unknown check, the bank check without statements, a statement sent as text or empty, a bad programme or preset, an unknown field', async () => {
    expect((await refused(jobForm({ checks: ['ledger', 'nonsense'], programmeId }))).errors).toEqual([
      { path: 'checks.1', message: 'must be one of ledger, rules, bank, funding, figures' },
    ]);
    expect((await refused(jobForm({ checks: ['bank'], programmeId }))).errors).toEqual([
      { path: 'statements', message: 'the bank check needs at least one statement (camt.053 or a bank CSV export)' },
    ]);
    const paths = async (form: FormData) => ((await refused(form)).errors as { path: string }[]).map((e) => e.path);
    expect(await paths(jobForm({ checks: ['bank'], programmeId, extra: { statements: 'statement.xml' } }))).toEqual(['statements.0']);
    expect(await paths(jobForm({ checks: ['bank'], programmeId, statements: [statement, { name: 'empty.xml', bytes: '' }] }))).toEqual(['statements.1']);
    expect(await paths(jobForm({ checks: ['ledger'], programmeId: 'QH-2026' }))).toEqual(['programmeId']);
    expect(await paths(jobForm({ checks: ['bank'], programmeId, statements: [statement], csvPreset: 'nonsense' }))).toEqual(['csvPreset']);
    expect(await paths(jobForm({ checks: ['ledger'], programmeId, csvPreset: 'ccb' }))).toEqual(['csvPreset']);
    expect(await paths(jobForm({ checks: ['bank'], programmeId, statements: [statement], extra: { account: 'not an account' } }))).toEqual(['account']);
    expect(await paths(jobForm({ checks: ['ledger'], programmeId, extra: { account: PROGRAMME_ACCOUNT } }))).toEqual(['account']);
    expect(await paths(jobForm({ checks: ['funding'], programmeId }))).toEqual(['remittances']);
    // The operator is the signed-in user: it cannot be sent.
    expect(await paths(jobForm({ checks: ['ledger'], programmeId, extra: { operator: 'someone else' } }))).toEqual(['operator']);
  });

  it('a body that is not a form answers 415, a broken form 400', async () => {
    const json = await t.as.auditor.post(JOBS, { checks: ['ledger'], programmeId });
    expect(json.status).toBe(415);
    expect(json.json.code).toBe('unsupported_media_type');
    const broken = await t.as.auditor.post(JOBS, undefined, { rawBody: '--x\r\nnot a form', headers: { 'Content-Type': 'multipart/form-data; boundary=y' } });
    expect(broken.status).toBe(400);
    expect(broken.json.errors).toEqual([{ path: '(body)', message: 'must be a multipart/form-data form with the fields of this route' }]);
  });

  it('a file over 64 MiB answers 413 naming it', async () => {
    const big: Upload = { name: 'big.camt053.xml', bytes: new Uint8Array(64 * 1024 * 1024 + 1) };
    const problem = await refused(jobForm({ checks: ['bank'], programmeId, statements: [statement, big] }), 413);
    expect(problem).toMatchObject({ code: 'payload_too_large', errors: [{ path: 'statements.1', message: 'must be at most 64 MiB' }] });
  });
});

describe('who may start and follow a reconciliation', () => {
  let jobId: string;
  beforeAll(async () => {
    jobId = (await t.as.auditor.post(JOBS, undefined, { form: jobForm({ checks: ['ledger'], programmeId }) })).json.id;
    await waitForJob(t.as.auditor, jobId);
  });

  it('roles without reconciliation.run are refused (403), before the form is read', async () => {
    const before = await jobCount();
    for (const role of ['caseworker', 'approver', 'finance', 'foundationViewer'] as const) {
      const res = await t.as[role].post(JOBS, undefined, { form: jobForm({ checks: ['ledger'], programmeId }) });
      expect(res.status, role).toBe(403);
      expect((await t.as[role].post(JOBS, { not: 'a form' })).status, role).toBe(403);
    }
    expect(await jobCount()).toBe(before);
  });

  it('an auditor engaged on another programme: this programme answers 404, all programmes 403, this programme’s job 404', async () => {
    const mine = await t.as(otherAuditor).post(JOBS, undefined, { form: jobForm({ checks: ['ledger'], programmeId }) });
    expect(mine.status).toBe(404);
    expect((await t.as(otherAuditor).post(JOBS, undefined, { form: jobForm({ checks: ['ledger'] }) })).status).toBe(403);
    expect((await t.as(otherAuditor).get(`/api/v1/reconciliation-jobs/${jobId}`)).status).toBe(404);
  });

  it('the job is read by whoever may read the programme’s runs: its foundation yes, another foundation 404, other roles 403', async () => {
    expect((await t.as.foundationViewer.get(`/api/v1/reconciliation-jobs/${jobId}`)).json).toMatchObject({ id: jobId, status: 'finished' });
    expect((await t.as(otherFoundation).get(`/api/v1/reconciliation-jobs/${jobId}`)).status).toBe(404);
    expect((await t.as.caseworker.get(`/api/v1/reconciliation-jobs/${jobId}`)).status).toBe(403);
    expect((await t.as.auditor.get(`/api/v1/reconciliation-jobs/${crypto.randomUUID()}`)).status).toBe(404);
  });
});

describe('one reconciliation at a time per programme', () => {
  it('a second request while one is queued or running answers 409 naming the running job; another scope is free', async () => {
    const holder = await heldElsewhere(programmeId);
    const res = await t.as.auditor.post(JOBS, undefined, { form: jobForm({ checks: ['ledger'], programmeId }) });
    expect(res.status).toBe(409);
    expect(res.json).toMatchObject({ code: 'reconciliation_already_running', runningJobId: holder });
    // A run over all programmes is another scope.
    const all = await t.as.auditor.post(JOBS, undefined, { form: jobForm({ checks: ['ledger'] }) });
    expect(all.status, all.text).toBe(202);
    await waitForJob(t.as.auditor, all.json.id);
    await t.db.prisma.reconciliationJob.update({ where: { id: holder }, data: { status: 'interrupted', finishedAt: new Date() } });
  });

  it('one over all programmes at a time too', async () => {
    const holder = await heldElsewhere(null);
    const res = await t.as.admin.post(JOBS, undefined, { form: jobForm({ checks: ['ledger'] }) });
    expect(res.status).toBe(409);
    expect(res.json.runningJobId).toBe(holder);
    await t.db.prisma.reconciliationJob.update({ where: { id: holder }, data: { status: 'interrupted', finishedAt: new Date() } });
  });

  it('at service start every job left queued or running is marked interrupted (on the embedded database no other process can hold one), and the programme is free again', async () => {
    const left = [await heldElsewhere(programmeId, 120), await heldElsewhere(null)];
    // While the service runs, an old heartbeat frees nothing here: this process's own heartbeat waits while a snapshot is open.
    expect((await t.as.auditor.post(JOBS, undefined, { form: jobForm({ checks: ['ledger'], programmeId }) })).status).toBe(409);
    expect(await interruptAbandonedJobs(t.db.prisma, { all: true })).toBe(2);
    const rows = await t.db.prisma.reconciliationJob.findMany({ where: { id: { in: left } } });
    expect(rows.map((r) => r.status)).toEqual(['interrupted', 'interrupted']);
    expect((await t.as.auditor.get(`/api/v1/reconciliation-jobs/${left[0]}`)).json).toMatchObject({ status: 'interrupted', finishedAt: expect.any(String) });
    const res = await t.as.auditor.post(JOBS, undefined, { form: jobForm({ checks: ['ledger'], programmeId }) });
    expect(res.status, res.text).toBe(202);
    await waitForJob(t.as.auditor, res.json.id);
  });
});
