// The reconciliation run as a use case (runReconciliation), on the embedded database: statements
// uploaded as bytes give the same reports, byte for byte, as the same files read from disk (the
// command line's way); who may run over which programmes; input refused naming the field; and a
// run recorded only when it completed.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '../../src/domain/errors.ts';
import { CheckCouldNotRun } from '../../src/reconcile/check-types.ts';
import { fileSource } from '../../src/reconcile/node/file-source.ts';
import { type ByteSource, bytesSource } from '../../src/reconcile/sources.ts';
import type { ServiceContext } from '../../src/services/context.ts';
import { type RunReconciliationInput, runReconciliation } from '../../src/services/reconciliation.ts';
import { bankCsv, camt053, gbk, utf8, writeChunks, type StatementEntry } from '../support/bank-statements.ts';
import { openTestDatabase } from '../support/database.ts';
import { makeProgramme, makeWorld, type World } from '../support/fixtures.ts';
import { PROGRAMME_ACCOUNT } from '../support/payouts.ts';
import { makeSettledPayouts } from '../support/reconciliation.ts';
import { testVault } from '../support/vault.ts';

let db: Database;
let world: World;
let dir: string;
let programmeId: string;
let otherProgrammeId: string;
/** The bank's statements of November, as camt.053 (UTF-8) and as a bank CSV export (GBK). */
let camtFile: string;
let csvFile: string;

beforeAll(async () => {
  db = await openTestDatabase();
  world = await makeWorld(db.prisma);
  dir = await mkdtemp(path.join(tmpdir(), 'reconciliation-'));
  const settled = await makeSettledPayouts(db.prisma, world, await testVault());
  ({ programmeId } = settled);
  const { paid, opening, closing } = settled;
  otherProgrammeId = (await makeProgramme(world)).id;
  // The first payout without a reference: matched on amount + the payee's account (the vault) + date.
  const entries: StatementEntry[] = paid.map((p, i) => ({
    kind: 'debit',
    amount: p.amount,
    bookingDate: i === 0 ? '2026-11-26' : '2026-11-25',
    ...(i === 0 ? {} : { reference: p.reference }),
    counterpartyAccount: p.account,
    counterpartyName: '学生',
  }));
  camtFile = path.join(dir, 'statement-2026-11.camt053.xml');
  await writeChunks(
    camtFile,
    utf8(
      camt053(
        {
          messageId: 'STMT-2026-11',
          account: PROGRAMME_ACCOUNT,
          opening: { amount: opening, date: '2026-11-01' },
          closing: { amount: closing, date: '2026-11-30' },
        },
        entries,
      ),
    ),
  );
  csvFile = path.join(dir, 'statement-2026-11.ccb.csv');
  await writeChunks(csvFile, gbk(bankCsv({ account: PROGRAMME_ACCOUNT, from: '2026-11-01', to: '2026-11-30', opening, closing }, entries)));
});

afterAll(async () => {
  await db?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const upload = async (file: string): Promise<ByteSource> => bytesSource(path.basename(file), new Uint8Array(await readFile(file)));
const bank = (statements: ByteSource[]): RunReconciliationInput => ({ checks: ['bank'], programmeId, statements, operator: 'test auditor' });
const run = (ctx: ServiceContext, input: RunReconciliationInput) => runReconciliation({ ctx, input, database: 'embedded' });
const runCount = () => db.prisma.reconciliationRun.count();

/** The auditor, engaged on the listed programmes only. */
function auditorOn(programmeIds: string[]): ServiceContext {
  const { ctx, actor } = world.users.auditor;
  return { ...ctx, actor: { ...actor, coverage: { kind: 'programmes', programmeIds } } };
}

describe('runReconciliation — statements uploaded as bytes', () => {
  it('an uploaded camt.053, and a bank CSV in GBK, give the reports the same files give from disk', async () => {
    const auditor = world.users.auditor.ctx;
    for (const file of [camtFile, csvFile]) {
      const fromDisk = await run(auditor, bank([fileSource(file)]));
      const uploaded = await run(auditor, bank([await upload(file)]));
      expect(fromDisk.status, file).toBe('clean');
      expect(fromDisk.reports.report.results[0]?.figures.find((f) => f.key === 'matched_without_reference')?.value).toBe(1);
      expect(uploaded.status).toBe('clean');
      expect(uploaded.reports.text).toBe(fromDisk.reports.text);
      expect(uploaded.reports.json).toBe(fromDisk.reports.json);
      expect(uploaded.reports.csv).toBe(fromDisk.reports.csv);
      expect(uploaded.reports.report.inputs).toEqual([
        expect.objectContaining({ check: 'bank', name: path.basename(file), sha256: await fileSource(file).sha256(), duplicateOf: null }),
      ]);
      expect(uploaded.id).not.toBe(fromDisk.id);
    }
    expect(JSON.parse((await run(auditor, bank([await upload(csvFile)]))).reports.json).inputs[0].kind).toBe('csv (mapping generic-cn, gbk)');
  });

  it('records the run with its reports, the operator and the application user who ran it', async () => {
    const { id, reports } = await run(world.users.auditor.ctx, bank([await upload(camtFile)]));
    const row = await db.prisma.reconciliationRun.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({
      operator: 'test auditor',
      actorId: world.users.auditor.actor.userId,
      programmeId,
      programmeIds: [programmeId],
      checks: ['bank'],
      status: 'clean',
      databaseKind: 'embedded',
      reportSha256: reports.report.reportSha256,
      reportText: reports.text,
      reportJson: reports.json,
    });
  });

  it('runs the database checks in the snapshot and the bank check after, each once, in report order', async () => {
    const result = await run(world.users.admin.ctx, {
      checks: ['bank', 'ledger', 'bank'],
      programmeId,
      statements: [await upload(camtFile)],
      operator: 'admin',
    });
    expect(result.reports.report.checks).toEqual(['ledger', 'bank']);
    expect(result.reports.report.results.map((r) => r.check)).toEqual(['ledger', 'bank']);
    expect(result.reports.report.chainHead).toEqual(expect.objectContaining({ seq: expect.any(String) }));
  });

  it('a statement that cannot be read is a check that could not run, named by its upload name; nothing is recorded', async () => {
    const before = await runCount();
    const notes = bytesSource('会议纪要.txt', new TextEncoder().encode('会议纪要\n今天讨论了助学金发放的安排。\n'));
    const error = await run(world.users.auditor.ctx, bank([notes])).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(CheckCouldNotRun);
    expect((error as CheckCouldNotRun).where).toEqual({ file: '会议纪要.txt', line: 1 });
    expect(await runCount()).toBe(before);
  });
});

describe('runReconciliation — who may run it, over what', () => {
  it('roles without reconciliation.run are refused (403), a foundation too', async () => {
    const before = await runCount();
    for (const user of [world.users.caseworker, world.users.approver, world.users.finance, world.users.foundationViewer]) {
      await expect(run(user.ctx, { checks: ['ledger'], operator: 'x' }), user.actor.role).rejects.toBeInstanceOf(ForbiddenError);
    }
    expect(await runCount()).toBe(before);
  });

  it('an auditor engaged on listed programmes: its programme runs; another answers 404; all programmes 403, as the list of runs scopes them', async () => {
    const before = await runCount();
    const auditor = auditorOn([programmeId]);
    await expect(run(auditor, { checks: ['ledger'], programmeId: otherProgrammeId, operator: 'x' })).rejects.toBeInstanceOf(NotFoundError);
    await expect(run(auditor, { checks: ['ledger'], operator: 'x' })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(run(auditorOn([]), { checks: ['ledger'], programmeId, operator: 'x' })).rejects.toBeInstanceOf(NotFoundError);
    expect(await runCount()).toBe(before);
    const own = await run(auditor, bank([await upload(camtFile)]));
    expect(own.status).toBe('clean');
    // Everything this auditor started, it can read.
    const all = auditorOn([programmeId, otherProgrammeId, ...(await db.prisma.programme.findMany({ select: { id: true } })).map((p) => p.id)]);
    expect((await run(all, { checks: ['ledger'], operator: 'x' })).status).toBe('clean');
  });
});

describe('runReconciliation — input refused naming the field', () => {
  const fields = async (input: unknown) => {
    const error = await run(world.users.auditor.ctx, input as RunReconciliationInput).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).fields;
  };

  it('an unknown check, a bank check without statements, inputs for checks not named, no operator', async () => {
    expect(await fields({ checks: ['ledger', 'nonsense'], operator: 'x' })).toEqual([
      { path: 'checks.1', message: 'must be one of ledger, rules, bank, funding, figures' },
    ]);
    expect(await fields({ checks: ['bank'], operator: 'x' })).toEqual([
      { path: 'statements', message: 'the bank check needs at least one statement (camt.053 or a bank CSV export)' },
    ]);
    expect(await fields({ checks: ['funding'], operator: 'x' })).toEqual([
      { path: 'remittances', message: "the funding check needs the foundation's remittance list" },
    ]);
    expect((await fields({ checks: ['ledger'], statements: [await upload(camtFile)], operator: 'x' })).map((f) => f.path)).toEqual(['statements']);
    expect((await fields({ checks: [], operator: ' ' })).map((f) => f.path)).toEqual(['checks', 'operator']);
    expect((await fields({ checks: ['bank'], statements: ['statement.xml'], operator: 'x' })).map((f) => f.path)).toEqual(['statements.0']);
    expect((await fields({ checks: ['ledger'], programmeId: 'QH-2026', operator: 'x' })).map((f) => f.path)).toEqual(['programmeId']);
  });
});
