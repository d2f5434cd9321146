// The bank's answer through the HTTP API: settlement, failure before settling, return after
// settling, the same file twice, exceptions, bad files, retries and cancellation of a failed
// instalment, and the views of what is in transit or to act on.
import iconv from 'iconv-lite';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatMoney } from '../../src/domain/money.ts';
import { programmeBalances } from '../../src/ledger/balances.ts';
import { verifyLedger } from '../../src/ledger/verify.ts';
import { makeOrganisation, makeUser, type TestUser } from '../support/fixtures.ts';
import { newKey } from '../support/http.ts';
import { type AnsweredPayout, camt054Text, daifaAnswerCsv } from '../support/bank-answers.ts';
import { PROGRAMME_ACCOUNT, TODAY, makeApprovedGrants, makePayoutProgramme } from '../support/payouts.ts';
import { useTestApp } from '../support/test-app.ts';

const t = useTestApp();
let otherFinance: TestUser;
let otherViewer: TestUser;

beforeAll(async () => {
  otherFinance = await makeUser(t.db.prisma, await makeOrganisation(t.db.prisma, 'civil_affairs'), 'finance');
  otherViewer = await makeUser(t.db.prisma, await makeOrganisation(t.db.prisma, 'foundation'), 'foundation_viewer');
});

const finance = () => t.world.users.finance.token;
const balances = async (programmeId: string) => {
  const b = (await programmeBalances(t.db.prisma, [programmeId])).get(programmeId)!;
  return { fund: formatMoney(b.fund), payable: formatMoney(b.payable), inTransit: formatMoney(b.inTransit), bank: formatMoney(b.bank) };
};
const counts = async () => ({
  imports: await t.db.prisma.bankResultImport.count(),
  lines: await t.db.prisma.bankResultLine.count(),
  ledger: await t.db.prisma.ledgerTransaction.count(),
  audits: await t.db.prisma.auditEvent.count(),
});

/** A programme with two approved grants, their first instalments in a sent batch. */
async function sentBatch() {
  const programme = await makePayoutProgramme(t.world);
  const grants = await makeApprovedGrants(t.db.prisma, t.world, programme.id, ['4000.00', '5000.00']);
  const batch = (await t.as.finance.post('/api/v1/payout-batches', { programmeId: programme.id, cutoffOn: TODAY() }, { idempotencyKey: newKey() })).json;
  expect((await t.as.finance.get(`/api/v1/payout-batches/${batch.id}/bank-file`)).status).toBe(200);
  const sent = await t.as.finance.post(`/api/v1/payout-batches/${batch.id}/sending`, undefined, { idempotencyKey: newKey() });
  expect(sent.status, sent.text).toBe(200);
  const payouts = await t.db.prisma.payout.findMany({ where: { batchId: batch.id }, orderBy: { sequence: 'asc' } });
  return { programme, grants, batch, payouts };
}

const answered = (
  p: { reference: string; amount: { toFixed(n: number): string } },
  kind: AnsweredPayout['kind'] = 'debit',
  more: Partial<AnsweredPayout> = {},
): AnsweredPayout => ({
  reference: p.reference,
  amount: p.amount.toFixed(2),
  kind,
  ...more,
});

async function upload(programmeId: string, body: string | Uint8Array, query = '', token = finance(), contentType = 'application/xml') {
  const res = await t.app.request(`/api/v1/programmes/${programmeId}/bank-results${query}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': contentType },
    body: typeof body === 'string' ? body : (body as Uint8Array<ArrayBuffer>),
  });
  return { status: res.status, headers: res.headers, json: JSON.parse(await res.text()) };
}

describe('POST /programmes/{id}/bank-results', () => {
  it('settles each payout its camt.054 debit names: Dr in_transit / Cr bank; the same file again changes nothing', async () => {
    const { programme, batch, payouts } = await sentBatch();
    const before = await balances(programme.id);
    const xml = await camt054Text(
      { messageId: 'N-SETTLE-1', account: PROGRAMME_ACCOUNT },
      payouts.map((p) => answered(p)),
    );
    const res = await upload(programme.id, xml, '?fileName=camt054-1126.xml');
    expect(res.status).toBe(201);
    expect(res.json.import).toMatchObject({
      format: 'camt.054',
      messageId: 'N-SETTLE-1',
      lineCount: 2,
      appliedCount: 2,
      exceptionCount: 0,
      outcomes: { settled: 2 },
      fileName: 'camt054-1126.xml',
    });
    expect(await balances(programme.id)).toEqual({ ...before, inTransit: '0.00', bank: formatMoney(Number(before.bank) - 4500) });
    const rows = await t.db.prisma.payout.findMany({ where: { batchId: batch.id } });
    expect(rows.every((p) => p.status === 'settled' && p.settledOn && p.resultImportId === res.json.import.id)).toBe(true);
    const instalments = await t.db.prisma.instalment.findMany({ where: { id: { in: rows.map((p) => p.instalmentId) } } });
    expect(instalments.every((i) => i.status === 'paid')).toBe(true);

    const ledgerBefore = await t.db.prisma.ledgerTransaction.count();
    const again = await upload(programme.id, xml);
    expect(again.status).toBe(200);
    expect(again.json.replayed).toBe(true);
    expect(again.headers.get('Idempotency-Replayed')).toBe('true');
    expect(again.json.import.id).toBe(res.json.import.id);
    // Another file (a camt.053 later, or the same notification re-issued) saying the same: recorded, not applied.
    const reissued = await camt054Text(
      { messageId: 'N-SETTLE-1-BIS', account: PROGRAMME_ACCOUNT },
      payouts.map((p, i) => answered(p, 'debit', { bankReference: `BK${String(i + 1).padStart(10, '0')}` })),
    );
    const third = await upload(programme.id, reissued);
    expect(third.status).toBe(201);
    expect(third.json.import.outcomes).toEqual({ already_recorded: 2 });
    expect(await t.db.prisma.ledgerTransaction.count()).toBe(ledgerBefore);
    expect((await verifyLedger(t.db.prisma)).ok).toBe(true);
  });

  it('a return after settling: Dr bank / Cr payable, the instalment is payable again and a later batch retries it', async () => {
    const { programme, grants, payouts } = await sentBatch();
    await upload(
      programme.id,
      await camt054Text(
        { messageId: 'N-RET-1', account: PROGRAMME_ACCOUNT },
        payouts.map((p) => answered(p)),
      ),
    );
    const settled = await balances(programme.id);
    const [first] = payouts;
    const ret = await upload(
      programme.id,
      await camt054Text({ messageId: 'N-RET-2', account: PROGRAMME_ACCOUNT }, [answered(first!, 'return', { reason: 'AC04', bankReference: 'RT0001' })]),
    );
    expect(ret.status).toBe(201);
    expect(ret.json.import.outcomes).toEqual({ returned: 1 });
    expect(ret.json.import.lines).toEqual([]);
    const detail = await t.as.finance.get(`/api/v1/bank-results/${ret.json.import.id}`);
    expect(detail.json.lines).toEqual([expect.objectContaining({ kind: 'return', outcome: 'returned', reference: first!.reference })]);
    const amount = Number(first!.amount);
    expect(await balances(programme.id)).toEqual({
      ...settled,
      bank: formatMoney(Number(settled.bank) + amount),
      payable: formatMoney(Number(settled.payable) + amount),
    });
    const row = await t.db.prisma.payout.findUniqueOrThrow({ where: { id: first!.id } });
    expect(row).toMatchObject({ status: 'returned', resolvedAt: null });
    expect(row.outcomeReason).toContain('AC04');
    expect((await t.db.prisma.instalment.findUniqueOrThrow({ where: { id: first!.instalmentId } })).status).toBe('scheduled');

    const toAct = await t.as.finance.get(`/api/v1/payouts?programmeId=${programme.id}&toActOn=true`);
    expect(toAct.json.items.map((p: any) => p.id)).toEqual([first!.id]);
    expect(toAct.json.items[0].outcome.reason).toContain('AC04');

    const retry = await t.as.finance.post('/api/v1/payout-batches', { programmeId: programme.id, cutoffOn: TODAY() }, { idempotencyKey: newKey() });
    expect(retry.status, JSON.stringify(retry.json)).toBe(201);
    expect(retry.json.payoutCount).toBe(1);
    const again = (await t.as.finance.get(`/api/v1/payouts?batchId=${retry.json.id}`)).json.items[0];
    expect(again).toMatchObject({ retryOfId: first!.id, instalmentId: first!.instalmentId, amount: first!.amount.toFixed(2) });
    expect((await t.as.finance.get(`/api/v1/payouts?programmeId=${programme.id}&toActOn=true`)).json.items).toEqual([]);
    const history = await t.as.foundationViewer.get(`/api/v1/payouts?studentId=${grants.find((g) => g.grant.id === first!.grantId)!.student.id}`);
    expect(history.json.items.map((p: any) => p.status)).toEqual(['returned', 'pending']);

    // The retry's batch is cancelled: the return is open again, and the next batch retries it anew.
    const cancelled = await t.as.finance.post(`/api/v1/payout-batches/${retry.json.id}/cancellation`, { reason: '账号待核实' });
    expect(cancelled.status, JSON.stringify(cancelled.json)).toBe(200);
    expect((await t.as.finance.get(`/api/v1/payouts?programmeId=${programme.id}&toActOn=true`)).json.items.map((p: any) => p.id)).toEqual([first!.id]);
    const retriedAgain = await t.as.finance.post('/api/v1/payout-batches', { programmeId: programme.id, cutoffOn: TODAY() }, { idempotencyKey: newKey() });
    expect(retriedAgain.status, JSON.stringify(retriedAgain.json)).toBe(201);
    const secondRetry = (await t.as.finance.get(`/api/v1/payouts?batchId=${retriedAgain.json.id}`)).json.items;
    expect(secondRetry).toEqual([expect.objectContaining({ retryOfId: first!.id, instalmentId: first!.instalmentId, status: 'pending' })]);
    expect((await verifyLedger(t.db.prisma)).ok).toBe(true);
  });

  it('a camt.053 statement carrying a debit and, days later, its return: settled, then returned, in one import', async () => {
    const { programme, payouts } = await sentBatch();
    const before = await balances(programme.id);
    const [p] = payouts;
    const xml = await camt054Text({ messageId: 'S-053-1', account: PROGRAMME_ACCOUNT, messageType: 'camt.053' }, [
      answered(p!, 'debit', { bookingDate: '2026-11-20', bankReference: 'D1' }),
      answered(p!, 'return', { bookingDate: '2026-11-24', bankReference: 'R1', reason: 'AC01' }),
    ]);
    const res = await upload(programme.id, xml, '?format=camt.053');
    expect(res.status, JSON.stringify(res.json)).toBe(201);
    expect(res.json.import).toMatchObject({ format: 'camt.053', outcomes: { settled: 1, returned: 1 } });
    const amount = Number(p!.amount);
    // In transit → bank → back: the bank is where it was, the money is payable to the student again.
    expect(await balances(programme.id)).toEqual({
      ...before,
      inTransit: formatMoney(Number(before.inTransit) - amount),
      payable: formatMoney(Number(before.payable) + amount),
    });
    const row = await t.db.prisma.payout.findUniqueOrThrow({ where: { id: p!.id } });
    expect(row).toMatchObject({ status: 'returned', bankReference: 'D1', outcomeBankReference: 'R1' });
    expect(row.settledOn?.toISOString().slice(0, 10)).toBe('2026-11-20');
    const posted = await t.db.prisma.ledgerTransaction.findMany({ where: { sourceId: p!.id }, orderBy: { seq: 'asc' } });
    expect(posted.map((t) => [t.kind, t.eventDate.toISOString().slice(0, 10)])).toEqual([
      ['payout_sent', TODAY()],
      ['payout_settled', '2026-11-20'],
      ['payout_returned', '2026-11-24'],
    ]);
    expect((await upload(programme.id, xml, '?format=camt.054')).json.code).toBe('bank_file_invalid');
  });

  it('a month-end camt.053 repeating a settlement and its later return, both already applied from notifications: recorded, not applied again', async () => {
    const { programme, payouts } = await sentBatch();
    const [p] = payouts;
    const settle = answered(p!, 'debit', { bookingDate: '2026-11-20', bankReference: 'D9' });
    const giveBack = answered(p!, 'return', { bookingDate: '2026-11-24', bankReference: 'R9', reason: 'AC04' });
    expect((await upload(programme.id, await camt054Text({ messageId: 'N-053-A', account: PROGRAMME_ACCOUNT }, [settle]))).json.import.outcomes).toEqual({
      settled: 1,
    });
    expect((await upload(programme.id, await camt054Text({ messageId: 'N-053-B', account: PROGRAMME_ACCOUNT }, [giveBack]))).json.import.outcomes).toEqual({
      returned: 1,
    });
    const ledgerBefore = await t.db.prisma.ledgerTransaction.count();
    const month = await upload(
      programme.id,
      await camt054Text({ messageId: 'S-053-M', account: PROGRAMME_ACCOUNT, messageType: 'camt.053' }, [settle, giveBack]),
    );
    expect(month.status, JSON.stringify(month.json)).toBe(201);
    expect(month.json.import.outcomes).toEqual({ already_recorded: 2 });
    expect(await t.db.prisma.ledgerTransaction.count()).toBe(ledgerBefore);
  });

  it('a 代发 result CSV in GBK: 成功 settles, 失败 fails before settling (Dr in_transit / Cr payable)', async () => {
    const { programme, payouts } = await sentBatch();
    const before = await balances(programme.id);
    const [ok, bad] = payouts;
    const csv = daifaAnswerCsv(
      PROGRAMME_ACCOUNT,
      [
        { reference: ok!.reference, amount: ok!.amount.toFixed(2) },
        { reference: bad!.reference, amount: bad!.amount.toFixed(2), failedBecause: '户名与账号不符' },
      ],
      TODAY(),
    );
    const res = await upload(programme.id, new Uint8Array(iconv.encode(csv, 'gbk')), '?format=csv&encoding=gbk', finance(), 'text/csv');
    expect(res.status, JSON.stringify(res.json)).toBe(201);
    expect(res.json.import.outcomes).toEqual({ settled: 1, failed: 1 });
    expect(await balances(programme.id)).toEqual({
      ...before,
      inTransit: '0.00',
      bank: formatMoney(Number(before.bank) - Number(ok!.amount)),
      payable: formatMoney(Number(before.payable) + Number(bad!.amount)),
    });
    const failed = await t.db.prisma.payout.findUniqueOrThrow({ where: { id: bad!.id } });
    expect(failed).toMatchObject({ status: 'failed', outcomeReason: '户名与账号不符' });
    expect((await t.db.prisma.instalment.findUniqueOrThrow({ where: { id: bad!.instalmentId } })).status).toBe('scheduled');
  });

  it('refuses lines it cannot match exactly, naming each; acceptExceptions applies the rest and keeps them on record', async () => {
    const { programme, payouts } = await sentBatch();
    const [a, b] = payouts;
    const xml = await camt054Text({ messageId: 'N-EXC-1', account: PROGRAMME_ACCOUNT }, [
      answered(a!),
      { reference: b!.reference, amount: '1.00', kind: 'debit' },
      { reference: 'PB20990101-00001-000001', amount: '100.00', kind: 'debit' },
    ]);
    const before = await counts();
    const refused = await upload(programme.id, xml);
    expect(refused.status).toBe(422);
    expect(refused.json.code).toBe('bank_file_exceptions');
    expect(refused.json.exceptionCount).toBe(2);
    expect(refused.json.exceptions.map((e: any) => [e.reference, e.outcome])).toEqual([
      [b!.reference, 'amount_mismatch'],
      ['PB20990101-00001-000001', 'unmatched'],
    ]);
    expect(refused.json.exceptions[0].line).toBeGreaterThan(1);
    expect(await counts()).toEqual(before);

    const dry = await upload(programme.id, xml, '?acceptExceptions=true&dryRun=true');
    expect(dry.status).toBe(200);
    expect(dry.json).toMatchObject({ dryRun: true, import: { appliedCount: 1, exceptionCount: 2 } });
    expect(dry.json.import.lines.map((l: any) => l.outcome)).toEqual(['amount_mismatch', 'unmatched']);
    expect(await counts()).toEqual(before);

    const accepted = await upload(programme.id, xml, '?acceptExceptions=true');
    expect(accepted.status).toBe(201);
    expect(accepted.json.import.outcomes).toEqual({ settled: 1, amount_mismatch: 1, unmatched: 1 });
    expect((await t.db.prisma.payout.findUniqueOrThrow({ where: { id: b!.id } })).status).toBe('sent');
    const detail = await t.as.auditor.get(`/api/v1/bank-results/${accepted.json.import.id}`);
    expect(detail.json.lines.map((l: any) => l.outcome)).toEqual(['settled', 'amount_mismatch', 'unmatched']);
    expect(detail.json.lines[1]).toMatchObject({ reason: null, explanation: `the bank says 1.00, the payout is ${b!.amount.toFixed(2)}` });
  });

  it('refuses a truncated or malformed file, another account and another currency, with nothing written', async () => {
    const { programme, payouts } = await sentBatch();
    const good = await camt054Text(
      { messageId: 'N-BAD-1', account: PROGRAMME_ACCOUNT },
      payouts.map((p) => answered(p)),
    );
    const before = await counts();
    const truncated = await upload(programme.id, good.slice(0, Math.floor(good.length * 0.7)));
    expect(truncated.status).toBe(422);
    expect(truncated.json.code).toBe('bank_file_invalid');
    expect(typeof truncated.json.line === 'number' || truncated.json.line === null).toBe(true);
    const notXml = await upload(programme.id, '<Document><Nope/></Document>');
    expect(notXml.json.code).toBe('bank_file_invalid');
    const other = await upload(
      programme.id,
      await camt054Text(
        { messageId: 'N-BAD-2', account: '999999999999' },
        payouts.map((p) => answered(p)),
      ),
    );
    expect(other.status).toBe(422);
    expect(other.json.code).toBe('bank_file_other_account');
    const usd = await upload(
      programme.id,
      await camt054Text(
        { messageId: 'N-BAD-3', account: PROGRAMME_ACCOUNT, currency: 'USD' },
        payouts.map((p) => answered(p)),
      ),
    );
    expect(usd.status).toBe(422);
    expect(usd.json.code).toBe('bank_file_currency');
    const empty = await t.app.request(`/api/v1/programmes/${programme.id}/bank-results`, { method: 'POST', headers: { Authorization: `Bearer ${finance()}` } });
    expect(empty.status).toBe(400);
    expect((await upload(programme.id, good, '?format=pdf')).status).toBe(400);
    expect(await counts()).toEqual(before);
  });

  it('only finance of the department imports; others are refused, other organisations see nothing', async () => {
    const { programme, payouts } = await sentBatch();
    const xml = await camt054Text(
      { messageId: 'N-ROLE-1', account: PROGRAMME_ACCOUNT },
      payouts.map((p) => answered(p)),
    );
    for (const role of ['caseworker', 'approver', 'foundationViewer', 'auditor', 'admin'] as const) {
      expect((await upload(programme.id, xml, '', t.world.users[role].token)).status, role).toBe(403);
    }
    expect((await upload(programme.id, xml, '', otherFinance.token)).status).toBe(404);
    const imported = await upload(programme.id, xml);
    expect(imported.status).toBe(201);
    expect((await t.as(otherViewer).get(`/api/v1/bank-results/${imported.json.import.id}`)).status).toBe(404);
    expect((await t.as(otherViewer).get(`/api/v1/bank-results?programmeId=${programme.id}`)).json.items).toEqual([]);
    const mine = await t.as.foundationViewer.get(`/api/v1/bank-results?programmeId=${programme.id}`);
    expect(mine.json.items.map((i: any) => i.id)).toEqual([imported.json.import.id]);
    expect(mine.json.items[0].outcomes).toEqual({ settled: 2 });
  });
});

describe('failures and ended grants', () => {
  it('cancelling a failed instalment returns its money to the fund; other instalments cannot be cancelled this way', async () => {
    const { programme, payouts } = await sentBatch();
    const [failed, fine] = payouts;
    await upload(programme.id, await camt054Text({ messageId: 'N-FAIL-1', account: PROGRAMME_ACCOUNT }, [answered(failed!, 'return'), answered(fine!)]));
    const before = await balances(programme.id);
    const notFailed = await t.as.finance.post(`/api/v1/instalments/${fine!.instalmentId}/cancellation`, { reason: '不应可以取消' });
    expect(notFailed.status).toBe(422);
    expect(notFailed.json.code).toBe('instalment_not_cancellable');
    expect((await t.as.finance.post(`/api/v1/instalments/${failed!.instalmentId}/cancellation`, {})).status).toBe(400);
    expect((await t.as.approver.post(`/api/v1/instalments/${failed!.instalmentId}/cancellation`, { reason: '无权限' })).status).toBe(403);
    expect((await t.as(otherFinance).post(`/api/v1/instalments/${failed!.instalmentId}/cancellation`, { reason: '他人' })).status).toBe(404);
    const res = await t.as.finance.post(`/api/v1/instalments/${failed!.instalmentId}/cancellation`, { reason: '学生已放弃该笔资助' });
    expect(res.status, res.text).toBe(200);
    const amount = Number(failed!.amount);
    expect(await balances(programme.id)).toEqual({
      ...before,
      payable: formatMoney(Number(before.payable) - amount),
      fund: formatMoney(Number(before.fund) + amount),
    });
    expect((await t.db.prisma.payout.findUniqueOrThrow({ where: { id: failed!.id } })).resolvedAt).not.toBeNull();
    const batch = await t.as.finance.post('/api/v1/payout-batches', { programmeId: programme.id, cutoffOn: TODAY() }, { idempotencyKey: newKey() });
    expect(batch.json.code).toBe('nothing_due');
    expect((await verifyLedger(t.db.prisma)).ok).toBe(true);
  });

  it('a payout that fails after its grant ended: the instalment is cancelled and the money goes back to the fund', async () => {
    const { programme, grants, payouts } = await sentBatch();
    const p = payouts[0]!;
    const owner = grants.find((g) => g.grant.id === p.grantId)!;
    const ended = await t.as.caseworker.post(`/api/v1/students/${owner.student.id}/enrolments/${owner.enrolment.id}/status`, {
      status: 'withdrawn',
      effectiveOn: TODAY(),
      reason: '退学',
    });
    expect(ended.status, ended.text).toBe(200);
    const before = await balances(programme.id);
    const res = await upload(programme.id, await camt054Text({ messageId: 'N-END-1', account: PROGRAMME_ACCOUNT }, [answered(p, 'return')]));
    expect(res.status).toBe(201);
    expect(res.json.import.outcomes).toEqual({ failed: 1 });
    const amount = Number(p.amount);
    expect(await balances(programme.id)).toEqual({
      ...before,
      inTransit: formatMoney(Number(before.inTransit) - amount),
      fund: formatMoney(Number(before.fund) + amount),
    });
    expect((await t.db.prisma.instalment.findUniqueOrThrow({ where: { id: p.instalmentId } })).status).toBe('cancelled');
    expect((await verifyLedger(t.db.prisma)).ok).toBe(true);
  });
});

describe('GET /payouts', () => {
  it('lists what is in transit for N days; CSV masked for foundations; never a whole account or name', async () => {
    const { programme, grants, batch } = await sentBatch();
    const inTransit = await t.as.finance.get(`/api/v1/payouts?programmeId=${programme.id}&inTransitForDays=0`);
    expect(inTransit.json.items).toHaveLength(2);
    const notYet = await t.as.finance.get(`/api/v1/payouts?programmeId=${programme.id}&inTransitForDays=3`);
    expect(notYet.json.items).toEqual([]);
    const csv = await t.app.request(`/api/v1/payouts.csv?batchId=${batch.id}`, {
      headers: { Authorization: `Bearer ${t.world.users.foundationViewer.token}` },
    });
    expect(csv.status).toBe(200);
    const text = await csv.text();
    expect(text.split('\r\n')[0]).toContain('付款编号');
    expect(text).toContain(`${batch.code}-000001`);
    for (const g of grants) {
      expect(text).not.toContain(g.student.plain.account);
      expect(text).not.toContain(g.student.plain.identityNumber);
      expect(inTransit.text).not.toContain(g.student.plain.account);
    }
    expect((await t.as(otherViewer).get(`/api/v1/payouts?batchId=${batch.id}`)).json.items).toEqual([]);
    expect((await t.as.finance.get('/api/v1/payouts?inTransitForDays=-1')).status).toBe(400);
    expect(t.logs.lines.join('\n')).not.toContain(grants[0]!.student.plain.account);
  });
});
