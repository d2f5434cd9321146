// Payout batches through the HTTP API: creation (held students, idempotency, one live payout per
// instalment), sending (the ledger, refusal when out of date), cancellation, the bank files, and
// who may do what.
import iconv from 'iconv-lite';
import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatMoney } from '../../src/domain/money.ts';
import { programmeBalances } from '../../src/ledger/balances.ts';
import { verifyLedger } from '../../src/ledger/verify.ts';
import { makeOrganisation, makeProgramme, makeUser, type TestUser } from '../support/fixtures.ts';
import { newKey } from '../support/http.ts';
import { TODAY, makeApprovedGrants, makePayoutProgramme } from '../support/payouts.ts';
import { useTestApp } from '../support/test-app.ts';
import { testVault } from '../support/vault.ts';

const t = useTestApp();
let otherFinance: TestUser;

beforeAll(async () => {
  otherFinance = await makeUser(t.db.prisma, await makeOrganisation(t.db.prisma, 'civil_affairs'), 'finance');
});

const finance = () => t.world.users.finance.token;
const createBatch = (programmeId: string, options: { token?: string; key?: string; body?: Record<string, unknown> } = {}) =>
  t
    .as(options.token ?? finance())
    .post('/api/v1/payout-batches', options.body ?? { programmeId, cutoffOn: TODAY() }, { idempotencyKey: options.key ?? newKey() });
const send = (batchId: string, options: { token?: string; key?: string; body?: Record<string, unknown> } = {}) =>
  t.as(options.token ?? finance()).post(`/api/v1/payout-batches/${batchId}/sending`, options.body, { idempotencyKey: options.key ?? newKey() });
/** Finance downloads one of the batch's bank files, as before handing it to the bank. */
const download = async (batchId: string, format = 'pain001') => {
  const res = await t.as.finance.get(`/api/v1/payout-batches/${batchId}/bank-file?format=${format}`);
  expect(res.status, res.text).toBe(200);
};
const balances = async (programmeId: string) => {
  const b = (await programmeBalances(t.db.prisma, [programmeId])).get(programmeId)!;
  return { fund: formatMoney(b.fund), payable: formatMoney(b.payable), inTransit: formatMoney(b.inTransit), bank: formatMoney(b.bank) };
};
const counts = async () => ({
  batches: await t.db.prisma.payoutBatch.count(),
  payouts: await t.db.prisma.payout.count(),
  ledger: await t.db.prisma.ledgerTransaction.count(),
  audits: await t.db.prisma.auditEvent.count(),
});

/** A programme with two approved grants (4,000 and 5,000, semesters: catch-ups of 2,000 and 2,500 due today). */
async function setUp() {
  const programme = await makePayoutProgramme(t.world);
  const grants = await makeApprovedGrants(t.db.prisma, t.world, programme.id, ['4000.00', '5000.00']);
  return { programme, grants };
}

describe('POST /payout-batches', () => {
  it('takes every instalment due, snapshots the account masked, and references each payout', async () => {
    const { programme, grants } = await setUp();
    const res = await createBatch(programme.id);
    expect(res.status, res.text).toBe(201);
    expect(res.json).toMatchObject({ status: 'open', payoutCount: 2, total: '4500.00', heldCount: 0, cutoffOn: TODAY(), requestedExecutionOn: TODAY() });
    expect(res.json.code).toMatch(/^PB20261126-\d{5,}$/);
    expect(res.json.byStatus.pending).toEqual({ count: 2, amount: '4500.00' });

    const payouts = (await t.as.finance.get(`/api/v1/payouts?batchId=${res.json.id}`)).json.items;
    expect(payouts.map((p: any) => p.reference)).toEqual([`${res.json.code}-000001`, `${res.json.code}-000002`]);
    expect(payouts.map((p: any) => p.amount).sort()).toEqual(['2000.00', '2500.00']);
    for (const p of payouts) {
      expect(p.status).toBe('pending');
      expect(p.payee.accountMasked).toMatch(/\*/);
      expect(p.payee.nameMasked).toMatch(/\*/);
    }
    // The snapshot is the student's account as stored.
    const row = await t.db.prisma.payout.findFirstOrThrow({ where: { batchId: res.json.id, grantId: grants[0]!.grant.id } });
    const student = await t.db.prisma.student.findUniqueOrThrow({ where: { id: grants[0]!.student.id } });
    expect(row.payeeAccountSealed).toBe(student.bankAccountSealed);
    expect(row.payeeAccountHash).toBe(student.bankAccountHash);
    const audit = await t.db.prisma.auditEvent.findFirstOrThrow({ where: { action: 'payout_batch.create', recordId: res.json.id } });
    expect(audit.after).toMatchObject({ payoutCount: 2, total: '4500.00', held: 0 });
  });

  it('holds a suspended student’s instalment and says why; an instalment is never in two open batches', async () => {
    const { programme, grants } = await setUp();
    const s = grants[1]!;
    const suspended = await t.as.caseworker.post(`/api/v1/students/${s.student.id}/enrolments/${s.enrolment.id}/status`, {
      status: 'suspended',
      effectiveOn: TODAY(),
      reason: '因病休学',
    });
    expect(suspended.status, suspended.text).toBe(200);
    const res = await createBatch(programme.id);
    expect(res.status, res.text).toBe(201);
    expect(res.json).toMatchObject({ payoutCount: 1, total: '2000.00', heldCount: 1 });
    const detail = await t.as.finance.get(`/api/v1/payout-batches/${res.json.id}`);
    expect(detail.json.held).toHaveLength(1);
    expect(detail.json.held[0]).toMatchObject({ amount: '2500.00', student: { id: s.student.id } });
    expect(detail.json.held[0].reason).toContain('因病休学');

    const again = await createBatch(programme.id);
    expect(again.status).toBe(422);
    expect(again.json.code).toBe('nothing_due');
  });

  it('holds a payee no bank file can carry (a name recorded before names were checked) with the reason; the rest of the batch exports in every format', async () => {
    const { programme, grants } = await setUp();
    const s = grants[1]!;
    // Such a name cannot be registered today; records from before the check may still hold one.
    const vault = await testVault();
    await t.db.prisma.student.update({ where: { id: s.student.id }, data: { nameSealed: await vault.seal('name', '=HYPERLINK("x")') } });
    const res = await createBatch(programme.id);
    expect(res.status, res.text).toBe(201);
    expect(res.json).toMatchObject({ payoutCount: 1, total: '2000.00', heldCount: 1 });
    const detail = await t.as.finance.get(`/api/v1/payout-batches/${res.json.id}`);
    expect(detail.json.held).toEqual([expect.objectContaining({ amount: '2500.00', student: expect.objectContaining({ id: s.student.id }) })]);
    expect(detail.json.held[0].reason).toContain("the payee's name starts with =, +, - or @");
    expect(detail.json.held[0].reason).not.toContain('HYPERLINK');
    for (const format of ['pain001', 'daifa_csv_utf8', 'daifa_csv_gbk']) await download(res.json.id, format);

    // Corrected, the student is paid by the next batch.
    const corrected = await t.as.caseworker.post(`/api/v1/students/${s.student.id}/name-correction`, { name: '李明', reason: '按身份证更正姓名' });
    expect(corrected.status, corrected.text).toBe(200);
    const next = await createBatch(programme.id);
    expect(next.status, next.text).toBe(201);
    expect(next.json).toMatchObject({ payoutCount: 1, total: '2500.00', heldCount: 0 });
  });

  it('takes only the instalments named; an unknown, sent or already batched one refuses the request, naming each', async () => {
    const { programme, grants } = await setUp();
    const instalments = await t.db.prisma.instalment.findMany({
      where: { grantId: { in: grants.map((g) => g.grant.id) } },
      orderBy: [{ grantId: 'asc' }, { sequence: 'asc' }],
    });
    const dueNow = instalments.filter((i) => i.dueOn.toISOString().slice(0, 10) <= TODAY());
    const later = instalments.find((i) => i.dueOn.toISOString().slice(0, 10) > TODAY())!;
    const first = await createBatch(programme.id, { body: { programmeId: programme.id, cutoffOn: TODAY(), instalmentIds: [dueNow[0]!.id] } });
    expect(first.status, first.text).toBe(201);
    expect(first.json.payoutCount).toBe(1);
    await download(first.json.id);
    expect((await send(first.json.id)).status).toBe(200);
    const unknown = '00000000-0000-4000-8000-000000000001';
    const before = await counts();
    const refused = await createBatch(programme.id, {
      body: { programmeId: programme.id, cutoffOn: TODAY(), instalmentIds: [dueNow[0]!.id, dueNow[1]!.id, unknown, later.id] },
    });
    expect(refused.status).toBe(422);
    expect(refused.json.code).toBe('instalments_not_payable');
    expect(refused.json.instalments).toEqual([
      { instalmentId: dueNow[0]!.id, problem: expect.stringMatching(/^already in payout PB/) },
      { instalmentId: unknown, problem: 'no such instalment in this programme' },
      { instalmentId: later.id, problem: expect.stringMatching(/^not due by the cut-off/) },
    ]);
    expect(await counts()).toEqual(before);
    const dup = await createBatch(programme.id, { body: { programmeId: programme.id, cutoffOn: TODAY(), instalmentIds: [dueNow[1]!.id, dueNow[1]!.id] } });
    expect(dup.status).toBe(400);
    expect(dup.json.errors[0].path).toBe('instalmentIds');
  });

  it('the same Idempotency-Key and body give the same batch', async () => {
    const { programme } = await setUp();
    const key = newKey();
    const first = await createBatch(programme.id, { key });
    const second = await createBatch(programme.id, { key });
    expect(second.status).toBe(201);
    expect(second.headers.get('Idempotency-Replayed')).toBe('true');
    expect(second.json.id).toBe(first.json.id);
    expect(await t.db.prisma.payoutBatch.count({ where: { programmeId: programme.id } })).toBe(1);
  });

  it('bad input names the field and writes nothing', async () => {
    const { programme } = await setUp();
    const before = await counts();
    const cases: [Record<string, unknown>, string][] = [
      [{ programmeId: programme.id }, 'cutoffOn'],
      [{ programmeId: programme.id, cutoffOn: '2026-02-30' }, 'cutoffOn'],
      [{ programmeId: 'nope', cutoffOn: TODAY() }, 'programmeId'],
      [{ programmeId: programme.id, cutoffOn: TODAY(), requestedExecutionOn: '2020-01-01' }, 'requestedExecutionOn'],
      [{ programmeId: programme.id, cutoffOn: TODAY(), extra: 1 }, ''],
    ];
    for (const [body, field] of cases) {
      const res = await createBatch(programme.id, { body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.headers.get('Content-Type')).toContain('application/problem+json');
      if (field) expect(res.json.errors.map((e: any) => e.path)).toContain(field);
    }
    const noKey = await t.as.finance.post('/api/v1/payout-batches', { programmeId: programme.id, cutoffOn: TODAY() });
    expect(noKey.status).toBe(400);
    expect(await counts()).toEqual(before);
  });

  it('only finance creates batches; another department’s finance gets 404', async () => {
    const { programme } = await setUp();
    for (const role of ['caseworker', 'approver', 'foundationViewer', 'auditor', 'admin'] as const) {
      const res = await createBatch(programme.id, { token: t.world.users[role].token });
      expect(res.status, role).toBe(403);
    }
    const other = await createBatch(programme.id, { token: otherFinance.token });
    expect(other.status).toBe(404);
    expect(await t.db.prisma.payoutBatch.count({ where: { programmeId: programme.id } })).toBe(0);
  });
});

describe('POST /payout-batches/{id}/sending', () => {
  it('posts Dr payable / Cr in_transit per payout in one go, and never sends twice', async () => {
    const { programme } = await setUp();
    const batch = (await createBatch(programme.id)).json;
    await download(batch.id);
    const before = await balances(programme.id);
    const ledgerBefore = await t.db.prisma.ledgerTransaction.count();
    const key = newKey();
    const res = await send(batch.id, { key });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ status: 'sent', sent: { sentOn: TODAY() } });
    expect(res.json.byStatus.sent).toEqual({ count: 2, amount: '4500.00' });
    expect(await balances(programme.id)).toEqual({ ...before, payable: '4500.00', inTransit: '4500.00' });
    expect(await t.db.prisma.ledgerTransaction.count()).toBe(ledgerBefore + 2);
    const posted = await t.db.prisma.ledgerTransaction.findMany({ where: { kind: 'payout_sent', programmeId: programme.id } });
    const payouts = await t.db.prisma.payout.findMany({ where: { batchId: batch.id } });
    expect(posted.map((t) => t.sourceId).sort()).toEqual(payouts.map((p) => p.id).sort());
    expect(payouts.every((p) => p.status === 'sent' && p.sentTransactionId)).toBe(true);
    const instalments = await t.db.prisma.instalment.findMany({ where: { id: { in: payouts.map((p) => p.instalmentId) } } });
    expect(instalments.every((i) => i.status === 'sent')).toBe(true);

    const replay = await send(batch.id, { key });
    expect(replay.status).toBe(200);
    expect(replay.headers.get('Idempotency-Replayed')).toBe('true');
    const twice = await send(batch.id);
    expect(twice.status).toBe(409);
    expect(twice.json.code).toBe('batch_already_sent');
    expect(await t.db.prisma.ledgerTransaction.count()).toBe(ledgerBefore + 2);
    expect((await verifyLedger(t.db.prisma)).ok).toBe(true);
  });

  it('refuses a batch whose instalment was held since it was made, writing nothing', async () => {
    const { programme, grants } = await setUp();
    const batch = (await createBatch(programme.id)).json;
    const s = grants[0]!;
    await t.as.caseworker.post(`/api/v1/students/${s.student.id}/enrolments/${s.enrolment.id}/status`, {
      status: 'suspended',
      effectiveOn: TODAY(),
      reason: '休学',
    });
    await download(batch.id);
    const before = await counts();
    const res = await send(batch.id);
    expect(res.status).toBe(422);
    expect(res.json.code).toBe('batch_out_of_date');
    expect(res.json.payouts).toHaveLength(1);
    expect(res.json.payouts[0]).toMatchObject({ instalmentStatus: 'held', grantStatus: 'approved' });
    expect(res.json.payouts[0].reference).toMatch(new RegExp(`^${batch.code}-00000[12]$`));
    expect(await counts()).toEqual({ ...before, audits: before.audits });
    expect((await t.db.prisma.payoutBatch.findUniqueOrThrow({ where: { id: batch.id } })).status).toBe('open');
  });

  it('refuses a batch none of whose bank files was downloaded, writing nothing; the 代发 CSV counts as a download', async () => {
    const { programme } = await setUp();
    const batch = (await createBatch(programme.id)).json;
    const before = await counts();
    const res = await send(batch.id);
    expect(res.status).toBe(422);
    expect(res.json.code).toBe('bank_file_not_exported');
    expect(res.json.detail).toContain(batch.code);
    expect(await counts()).toEqual(before);
    const stored = await t.db.prisma.payoutBatch.findUniqueOrThrow({ where: { id: batch.id } });
    expect(stored).toMatchObject({ status: 'open', firstExportedAt: null });
    expect(await balances(programme.id)).toMatchObject({ payable: '9000.00', inTransit: '0.00' });

    await download(batch.id, 'daifa_csv_gbk');
    const exported = await t.db.prisma.payoutBatch.findUniqueOrThrow({ where: { id: batch.id } });
    expect(exported.firstExportedAt).toBeInstanceOf(Date);
    await download(batch.id, 'pain001');
    // The first export's time stays: a later download does not move it.
    expect((await t.db.prisma.payoutBatch.findUniqueOrThrow({ where: { id: batch.id } })).firstExportedAt).toEqual(exported.firstExportedAt);
    const sent = await send(batch.id);
    expect(sent.status, sent.text).toBe(200);
    expect(sent.json.status).toBe('sent');
    const audit = await t.db.prisma.auditEvent.findFirstOrThrow({ where: { action: 'payout_batch.send', recordId: batch.id } });
    expect(audit.after).toMatchObject({ firstExportedAt: exported.firstExportedAt!.toISOString() });
    expect(audit.after).not.toHaveProperty('exportOverride');
  });

  it('sends a batch handed to the bank by other means only with an override stating why, kept in the audit trail', async () => {
    const { programme } = await setUp();
    const batch = (await createBatch(programme.id)).json;
    const before = await counts();
    for (const exportOverride of [{}, { reason: '纸质清单' }, { reason: '     ' }]) {
      const refused = await send(batch.id, { body: { exportOverride } });
      expect(refused.status, JSON.stringify(exportOverride)).toBe(400);
      expect(refused.json.errors[0].path).toBe('exportOverride.reason');
    }
    expect(await counts()).toEqual(before);
    const reason = '银行柜台以纸质清单办理本批次';
    const res = await send(batch.id, { body: { exportOverride: { reason } } });
    expect(res.status, res.text).toBe(200);
    expect(res.json.status).toBe('sent');
    const audit = await t.db.prisma.auditEvent.findFirstOrThrow({ where: { action: 'payout_batch.send', recordId: batch.id } });
    expect(audit.after).toMatchObject({ status: 'sent', firstExportedAt: null, exportOverride: { reason } });
    expect(await balances(programme.id)).toMatchObject({ payable: '4500.00', inTransit: '4500.00' });
  });

  it('is documented: the optional override body and the refusal before any export', async () => {
    const doc = (await t.anonymous.get('/openapi.json')).json;
    const op = doc.paths['/api/v1/payout-batches/{id}/sending'].post;
    expect(op.description).toContain('bank_file_not_exported');
    expect(op.requestBody.required).toBe(false);
    const schema = op.requestBody.content['application/json'].schema;
    const body = schema.$ref ? doc.components.schemas[schema.$ref.split('/').pop()] : schema;
    expect(Object.keys(body.properties)).toEqual(['exportOverride']);
  });

  it('only finance of the programme’s department sends', async () => {
    const { programme } = await setUp();
    const batch = (await createBatch(programme.id)).json;
    for (const role of ['caseworker', 'approver', 'foundationViewer', 'auditor', 'admin'] as const) {
      expect((await send(batch.id, { token: t.world.users[role].token })).status, role).toBe(403);
    }
    expect((await send(batch.id, { token: otherFinance.token })).status).toBe(404);
    expect((await send('00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await t.db.prisma.payoutBatch.findUniqueOrThrow({ where: { id: batch.id } })).status).toBe('open');
  });
});

describe('POST /payout-batches/{id}/cancellation', () => {
  it('frees the instalments for a new batch; a sent batch cannot be cancelled', async () => {
    const { programme } = await setUp();
    const batch = (await createBatch(programme.id)).json;
    const noReason = await t.as.finance.post(`/api/v1/payout-batches/${batch.id}/cancellation`, {});
    expect(noReason.status).toBe(400);
    expect(noReason.json.errors[0].path).toBe('reason');
    const res = await t.as.finance.post(`/api/v1/payout-batches/${batch.id}/cancellation`, { reason: '账户信息需更正' });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ status: 'cancelled', cancelled: { reason: '账户信息需更正' } });
    expect(res.json.byStatus.cancelled.count).toBe(2);
    expect((await send(batch.id)).json.code).toBe('batch_cancelled');

    const next = await createBatch(programme.id);
    expect(next.status).toBe(201);
    expect(next.json.payoutCount).toBe(2);
    expect(next.json.code).not.toBe(batch.code);
    await download(next.json.id);
    expect((await send(next.json.id)).status).toBe(200);
    const late = await t.as.finance.post(`/api/v1/payout-batches/${next.json.id}/cancellation`, { reason: '太晚了' });
    expect(late.status).toBe(409);
    expect(late.json.code).toBe('batch_already_sent');
    const wrongRole = await t.as.approver.post(`/api/v1/payout-batches/${next.json.id}/cancellation`, { reason: '测试权限' });
    expect(wrongRole.status).toBe(403);
  });
});

describe('GET /payout-batches/{id}/bank-file', () => {
  it('gives identical bytes on every export, with the stored SHA-256, and audits each download', async () => {
    const { programme } = await setUp();
    const batch = (await createBatch(programme.id)).json;
    const first = await t.app.request(`/api/v1/payout-batches/${batch.id}/bank-file?format=pain001`, { headers: { Authorization: `Bearer ${finance()}` } });
    expect(first.status).toBe(200);
    const bytes = Buffer.from(await first.arrayBuffer());
    const sha = createHash('sha256').update(bytes).digest('hex');
    expect(first.headers.get('Repr-Digest')).toBe(`sha-256=:${Buffer.from(sha, 'hex').toString('base64')}:`);
    expect(first.headers.get('Content-Disposition')).toContain(`${batch.code}.pain001.xml`);
    const text = bytes.toString('utf8');
    expect(text).toContain(`<MsgId>${batch.code}</MsgId>`);
    expect(text).toContain('<NbOfTxs>2</NbOfTxs>');
    expect(text).toContain('<CtrlSum>4500.00</CtrlSum>');
    expect(text).toContain(`<EndToEndId>${batch.code}-000001</EndToEndId>`);

    await send(batch.id);
    const again = await t.app.request(`/api/v1/payout-batches/${batch.id}/bank-file`, { headers: { Authorization: `Bearer ${finance()}` } });
    expect(Buffer.from(await again.arrayBuffer()).equals(bytes)).toBe(true);
    const view = await t.as.finance.get(`/api/v1/payout-batches/${batch.id}`);
    expect(view.json.exports).toEqual([expect.objectContaining({ format: 'pain001', sha256: sha, bytes: bytes.length })]);
    expect(await t.db.prisma.auditEvent.count({ where: { action: 'payout_batch.export_file', recordId: batch.id } })).toBe(2);
  });

  it('writes the 代发 CSV in GBK with the whole account and name, for finance only', async () => {
    const { programme, grants } = await setUp();
    const batch = (await createBatch(programme.id)).json;
    const res = await t.app.request(`/api/v1/payout-batches/${batch.id}/bank-file?format=daifa_csv_gbk`, { headers: { Authorization: `Bearer ${finance()}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toContain('gbk');
    const text = iconv.decode(Buffer.from(await res.arrayBuffer()), 'gbk');
    expect(text).toContain(grants[0]!.student.plain.account);
    expect(text).toContain(`${batch.code}-000002`);
    for (const role of ['caseworker', 'approver', 'foundationViewer', 'auditor', 'admin'] as const) {
      const denied = await t.as[role].get(`/api/v1/payout-batches/${batch.id}/bank-file?format=daifa_csv_gbk`);
      expect(denied.status, role).toBe(403);
    }
    expect((await t.as(otherFinance).get(`/api/v1/payout-batches/${batch.id}/bank-file`)).status).toBe(404);
    expect((await t.as.finance.get(`/api/v1/payout-batches/${batch.id}/bank-file?format=swift`)).status).toBe(400);
    // Whole accounts go to the bank file only: never to a log line.
    expect(t.logs.lines.join('\n')).not.toContain(grants[0]!.student.plain.account);
  });

  it('needs the programme’s payout account', async () => {
    const programme = await makeProgramme(t.world);
    const { fundProgramme } = await import('../support/grants.ts');
    await fundProgramme(t.world, programme.id, '10000.00');
    await makeApprovedGrants(t.db.prisma, t.world, programme.id, ['3000.00']);
    const batch = (await createBatch(programme.id)).json;
    const res = await t.as.finance.get(`/api/v1/payout-batches/${batch.id}/bank-file`);
    expect(res.status).toBe(422);
    expect(res.json.code).toBe('programme_payout_account_missing');
  });
});

describe('GET /payout-batches', () => {
  it('lists the caller’s batches newest first; other departments and foundations see none', async () => {
    const { programme } = await setUp();
    const batch = (await createBatch(programme.id)).json;
    const mine = await t.as.foundationViewer.get(`/api/v1/payout-batches?programmeId=${programme.id}`);
    expect(mine.status).toBe(200);
    expect(mine.json.items.map((b: any) => b.id)).toEqual([batch.id]);
    const other = await t.as(otherFinance).get(`/api/v1/payout-batches?programmeId=${programme.id}`);
    expect(other.json.items).toEqual([]);
    expect((await t.as(otherFinance).get(`/api/v1/payout-batches/${batch.id}`)).status).toBe(404);
    expect((await t.as.finance.get('/api/v1/payout-batches?status=closed')).status).toBe(400);
    expect((await t.as.finance.get('/api/v1/payout-batches?cursor=zzz')).status).toBe(400);
  });
});
