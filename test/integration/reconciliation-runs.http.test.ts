// Reconciliation runs through the API: who sees which runs (auditors and admins all; a foundation
// only runs whose every programme it funds; other roles 403; out of scope 404), pagination, the
// reports byte for byte, and the table refusing any change.
import { beforeAll, describe, expect, it } from 'vitest';
import { recordReconciliationRun } from '../../src/services/reconciliation-runs.ts';
import { makeOrganisation, makeProgramme, makeUser, type TestUser } from '../support/fixtures.ts';
import { fundProgramme } from '../support/grants.ts';
import { makeReconciliationRun, runDatabaseChecks } from '../support/reconciliation.ts';
import { useTestApp } from '../support/test-app.ts';

const t = useTestApp();
let otherFoundation: TestUser;
let programmeA: string;
let programmeB: string;
/** runA: programme A · runB: programme B (another funder) · runAll: every programme · runAllOfA: an all-programme run that covered only A. */
const runs: Record<'runA' | 'runB' | 'runAll' | 'runAllOfA', { id: string; reports: Awaited<ReturnType<typeof runDatabaseChecks>> }> = {} as never;

beforeAll(async () => {
  const foundation = await makeOrganisation(t.db.prisma, 'foundation');
  otherFoundation = await makeUser(t.db.prisma, foundation, 'foundation_viewer');
  programmeA = (await makeProgramme(t.world)).id;
  programmeB = (await makeProgramme(t.world, { funderId: foundation.id })).id;
  await fundProgramme(t.world, programmeA, '1000.00');
  runs.runA = await makeReconciliationRun(t.db.prisma, { programmeId: programmeA });
  runs.runB = await makeReconciliationRun(t.db.prisma, { programmeId: programmeB });
  runs.runAll = await makeReconciliationRun(t.db.prisma);
  // As a run on a database that held programme A only would have recorded it.
  const reports = await runDatabaseChecks(t.db.prisma, programmeA);
  const allOfA = await recordReconciliationRun(t.db.prisma, {
    startedAt: new Date(),
    finishedAt: new Date(),
    operator: 'test auditor',
    programmeId: null,
    programmeIds: [programmeA],
    databaseKind: 'embedded',
    reports,
  });
  runs.runAllOfA = { id: allOfA.id, reports };
});

const ids = (json: { items: { id: string }[] }) => json.items.map((r) => r.id).sort();

describe('GET /reconciliation-runs', () => {
  it('auditors and admins see every run, newest first', async () => {
    for (const user of [t.world.users.auditor, t.world.users.admin]) {
      const res = await t.as(user).get('/api/v1/reconciliation-runs');
      expect(res.status).toBe(200);
      expect(ids(res.json)).toEqual(
        Object.values(runs)
          .map((r) => r.id)
          .sort(),
      );
      const started = res.json.items.map((r: { startedAt: string }) => r.startedAt);
      expect([...started].sort().reverse()).toEqual(started);
    }
  });

  it('a foundation sees runs of its own programmes only: never a run covering another funder’s programme', async () => {
    const mine = await t.as.foundationViewer.get('/api/v1/reconciliation-runs');
    expect(mine.status).toBe(200);
    expect(ids(mine.json)).toEqual([runs.runA.id, runs.runAllOfA.id].sort());
    const other = await t.as(otherFoundation).get('/api/v1/reconciliation-runs');
    expect(ids(other.json)).toEqual([runs.runB.id]);
  });

  it('other roles are refused (403)', async () => {
    for (const user of [t.world.users.caseworker, t.world.users.approver, t.world.users.finance]) {
      const res = await t.as(user).get('/api/v1/reconciliation-runs');
      expect(res.status).toBe(403);
    }
    expect((await t.anonymous.get('/api/v1/reconciliation-runs')).status).toBe(401);
  });

  it('pages with a cursor and filters by programme and result', async () => {
    const token = t.world.users.auditor.token;
    const first = await t.as(token).get('/api/v1/reconciliation-runs?limit=3');
    expect(first.json.items).toHaveLength(3);
    expect(first.json.nextCursor).toEqual(expect.any(String));
    const second = await t.as(token).get(`/api/v1/reconciliation-runs?limit=3&cursor=${first.json.nextCursor}`);
    expect(second.json.items).toHaveLength(1);
    expect(second.json.nextCursor).toBeNull();
    expect([...ids(first.json), ...ids(second.json)].sort()).toEqual(
      Object.values(runs)
        .map((r) => r.id)
        .sort(),
    );

    const forA = await t.as(token).get(`/api/v1/reconciliation-runs?programmeId=${programmeA}`);
    expect(ids(forA.json)).toEqual([runs.runA.id, runs.runAll.id, runs.runAllOfA.id].sort());
    const breaks = await t.as(token).get('/api/v1/reconciliation-runs?status=breaks');
    expect(breaks.json.items).toEqual([]);
    expect((await t.as(token).get('/api/v1/reconciliation-runs?cursor=nonsense')).status).toBe(400);
    expect((await t.as(token).get('/api/v1/reconciliation-runs?status=maybe')).status).toBe(400);
  });
});

describe('GET /reconciliation-runs/{id}', () => {
  it('states who, when, checks, inputs, result and hashes', async () => {
    const res = await t.as.auditor.get(`/api/v1/reconciliation-runs/${runs.runA.id}`);
    expect(res.status).toBe(200);
    const { report } = runs.runA.reports;
    expect(res.json).toMatchObject({
      id: runs.runA.id,
      operator: 'test auditor',
      actorId: null,
      programme: { id: programmeA },
      programmeIds: [programmeA],
      checks: ['ledger', 'rules', 'figures'],
      inputs: [],
      status: 'clean',
      rulesVersion: report.rulesVersion,
      chainHead: report.chainHead,
      databaseKind: 'embedded',
      reportSha256: report.reportSha256,
      summary: { ledger: { status: 'clean', exceptions: 0, byCode: {} } },
    });
  });

  it('answers 200 in scope, 404 outside it (another funder, an all-programme run covering another funder) and 403 to other roles', async () => {
    const get = (id: string, user: TestUser) => t.as(user).get(`/api/v1/reconciliation-runs/${id}`);
    const f = t.world.users.foundationViewer;
    expect((await get(runs.runA.id, f)).status).toBe(200);
    expect((await get(runs.runAllOfA.id, f)).status).toBe(200);
    expect((await get(runs.runB.id, f)).status).toBe(404);
    expect((await get(runs.runAll.id, f)).status).toBe(404);
    expect((await get(runs.runA.id, otherFoundation)).status).toBe(404);
    expect((await get(runs.runB.id, otherFoundation)).status).toBe(200);
    expect((await get(runs.runA.id, t.world.users.finance)).status).toBe(403);
    expect((await get(crypto.randomUUID(), t.world.users.auditor)).status).toBe(404);
    expect((await get('not-a-uuid', t.world.users.auditor)).status).toBe(400);
  });
});

describe('GET /reconciliation-runs/{id}/report', () => {
  it('gives each report exactly as the run wrote it, with its hash', async () => {
    const token = t.world.users.auditor.token;
    const { reports } = runs.runA;
    const base = `/api/v1/reconciliation-runs/${runs.runA.id}/report`;
    const json = await t.as(token).get(base);
    expect(json.status).toBe(200);
    expect(json.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(json.headers.get('x-report-sha256')).toBe(reports.report.reportSha256);
    expect(json.text).toBe(reports.json);
    const text = await t.as(token).get(`${base}?format=text`);
    expect(text.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(text.text).toBe(reports.text);
    const csv = await t.app.request(`${base}?format=csv`, { headers: { Authorization: `Bearer ${token}` } });
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.headers.get('content-disposition')).toBe(`attachment; filename="reconciliation-${runs.runA.id}.csv"`);
    const bytes = new Uint8Array(await csv.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes)).toBe(reports.csv);
    expect((await t.as(token).get(`${base}?format=pdf`)).status).toBe(400);
  });

  it('is scoped like the run', async () => {
    expect((await t.as.foundationViewer.get(`/api/v1/reconciliation-runs/${runs.runB.id}/report`)).status).toBe(404);
    expect((await t.as.foundationViewer.get(`/api/v1/reconciliation-runs/${runs.runA.id}/report?format=text`)).status).toBe(200);
    expect((await t.as.caseworker.get(`/api/v1/reconciliation-runs/${runs.runA.id}/report`)).status).toBe(403);
  });
});

describe('the runs table', () => {
  it('is append-only: a run is never changed or deleted', async () => {
    await expect(t.db.prisma.$executeRawUnsafe(`UPDATE reconciliation_run SET operator = 'someone else' WHERE id = '${runs.runA.id}'`)).rejects.toThrow(
      /append-only/,
    );
    await expect(t.db.prisma.$executeRawUnsafe(`DELETE FROM reconciliation_run WHERE id = '${runs.runA.id}'`)).rejects.toThrow(/append-only/);
    await expect(t.db.prisma.$executeRawUnsafe(`TRUNCATE reconciliation_run`)).rejects.toThrow(/append-only/);
  });

  it('refuses a malformed run (hash shape, unknown check, database kind)', async () => {
    const { reports } = runs.runA;
    const bad = (over: Partial<typeof reports.report>, kind: 'embedded' | 'postgres' = 'embedded') =>
      recordReconciliationRun(t.db.prisma, {
        startedAt: new Date(),
        finishedAt: new Date(),
        operator: 'x',
        programmeId: null,
        programmeIds: [],
        databaseKind: kind,
        reports: { ...reports, report: { ...reports.report, ...over } },
      });
    await expect(bad({ reportSha256: 'not-a-hash' })).rejects.toThrow();
    await expect(bad({ checks: ['ledger', 'nonsense' as never] })).rejects.toThrow();
    await expect(bad({}, 'sqlite' as never)).rejects.toThrow();
  });
});
