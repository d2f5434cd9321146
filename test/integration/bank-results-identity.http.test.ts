// The bank's answer through the HTTP API, the cases banks really produce: the same booking told by
// a 代发 result and then by the month's statement under other bank references (recorded, not a
// duplicate; only a second debit on statements is one), a camt message id reused for other content
// (409 naming both files' hashes), and a line booked after today (the file refused, never re-dated).
import { createHash } from 'node:crypto';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { type StatementEntry, camt053 } from '../support/bank-statements.ts';
import { camt054Text } from '../support/bank-answers.ts';
import { newKey } from '../support/http.ts';
import { PROGRAMME_ACCOUNT, TODAY, makeApprovedGrants, makePayoutProgramme } from '../support/payouts.ts';
import { useTestApp } from '../support/test-app.ts';

const t = useTestApp();

async function sentBatch(amounts: string[]) {
  const programme = await makePayoutProgramme(t.world, '200000.00');
  await makeApprovedGrants(t.db.prisma, t.world, programme.id, amounts);
  const batch = (await t.as.finance.post('/api/v1/payout-batches', { programmeId: programme.id, cutoffOn: TODAY() }, { idempotencyKey: newKey() })).json;
  expect((await t.as.finance.get(`/api/v1/payout-batches/${batch.id}/bank-file`)).status).toBe(200);
  expect((await t.as.finance.post(`/api/v1/payout-batches/${batch.id}/sending`, undefined, { idempotencyKey: newKey() })).status).toBe(200);
  const payouts = await t.db.prisma.payout.findMany({ where: { batchId: batch.id }, orderBy: { sequence: 'asc' } });
  return { programme, batch, payouts };
}

async function upload(programmeId: string, body: string | Uint8Array, query = '', contentType = 'application/xml') {
  const res = await t.app.request(`/api/v1/programmes/${programmeId}/bank-results${query}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${t.world.users.finance.token}`, 'Content-Type': contentType },
    body: typeof body === 'string' ? body : (body as Uint8Array<ArrayBuffer>),
  });
  return { status: res.status, text: '', json: JSON.parse(await res.text()) };
}

async function text(chunks: AsyncIterable<string>): Promise<string> {
  let out = '';
  for await (const c of chunks) out += c;
  return out;
}

const gbk = (csv: string[]) => new Uint8Array(iconv.encode(`${csv.join('\r\n')}\r\n`, 'gbk'));
const DAIFA_HEADER = '序号,收款账号,收款户名,金额,用途,备注,状态,失败原因,银行流水号,交易日期';
const sha256 = (body: string) => createHash('sha256').update(body).digest('hex');
const counts = async () => ({
  imports: await t.db.prisma.bankResultImport.count(),
  ledger: await t.db.prisma.ledgerTransaction.count(),
});

describe('a booking is identified by what it is, not by the file that told of it', () => {
  it('10 payouts settled by a GBK 代发 result, then the month’s camt.053 with other bank references and one true double debit: exactly 1 duplicate', async () => {
    const amounts = ['3000.00', '3100.00', '3200.00', '3300.00', '3400.00', '3500.00', '3600.00', '3700.00', '3800.00', '3900.00'];
    const { programme, payouts } = await sentBatch(amounts);
    expect(payouts).toHaveLength(10);
    const daifa = gbk([
      '代发结果查询',
      `付款账号：${PROGRAMME_ACCOUNT},户名：青海省民政厅`,
      DAIFA_HEADER,
      ...payouts.map((p, i) => `${i + 1},,某某,${p.amount.toFixed(2)},助学金,${p.reference},成功,,DF${i + 1},${TODAY()}`),
    ]);
    const settled = await upload(programme.id, daifa, '?format=csv', 'text/csv');
    expect(settled.status, JSON.stringify(settled.json)).toBe(201);
    expect(settled.json.import.outcomes).toEqual({ settled: 10 });

    // The statement books them a day earlier (the 代发 result is dated when it was processed), under
    // the account servicer's own references; payout 3 is debited twice.
    const entries: StatementEntry[] = payouts.map((p, i) => ({
      kind: 'debit',
      amount: p.amount.toFixed(2),
      bookingDate: '2026-11-25',
      reference: p.reference,
      bankReference: `ST${String(i + 1).padStart(6, '0')}`,
    }));
    entries.push({ ...(entries[2] as StatementEntry), bankReference: 'ST999999' });
    const statement = await text(camt053({ messageId: 'STMT-2026-11', account: PROGRAMME_ACCOUNT }, entries));
    const before = await counts();
    const refused = await upload(programme.id, statement);
    expect(refused.status).toBe(422);
    expect(refused.json.code).toBe('bank_file_exceptions');
    expect(refused.json.exceptions).toEqual([expect.objectContaining({ reference: payouts[2]!.reference, outcome: 'duplicate' })]);
    expect(await counts()).toEqual(before);

    const accepted = await upload(programme.id, statement, '?acceptExceptions=true');
    expect(accepted.status).toBe(201);
    expect(accepted.json.import.outcomes).toEqual({ already_recorded: 10, duplicate: 1 });
    expect(accepted.json.import.lines).toEqual([expect.objectContaining({ position: 11, outcome: 'duplicate', bankReference: 'ST999999' })]);
    expect((await counts()).ledger).toBe(before.ledger);

    // The next statement overlapping the month repeats the same booking (same reference): recorded.
    // A debit for the same payout on it with yet another reference is a second booking on statements.
    const overlap = await text(
      camt053({ messageId: 'STMT-2026-11-B', account: PROGRAMME_ACCOUNT }, [
        entries[0] as StatementEntry,
        { ...(entries[1] as StatementEntry), bankReference: 'ST888888' },
      ]),
    );
    const again = await upload(programme.id, overlap, '?acceptExceptions=true');
    expect(again.status).toBe(201);
    expect(again.json.import.outcomes).toEqual({ already_recorded: 1, duplicate: 1 });
  });

  it('a camt.053 without EndToEndIds after the 代发 result: each debit naming the payee’s account is the settlement recorded, not an exception', async () => {
    const { programme, payouts } = await sentBatch(['3000.00', '3300.00', '3600.00']);
    const daifa = gbk([
      '代发结果查询',
      DAIFA_HEADER,
      ...payouts.map((p, i) => `${i + 1},,某某,${p.amount.toFixed(2)},助学金,${p.reference},成功,,DF${i + 1},${TODAY()}`),
    ]);
    expect((await upload(programme.id, daifa, '?format=csv', 'text/csv')).json.import.outcomes).toEqual({ settled: 3 });
    const accounts = await Promise.all(payouts.map((p) => t.vault.open('bank_account', p.payeeAccountSealed)));
    const entries: StatementEntry[] = payouts.map((p, i) => ({
      kind: 'debit',
      amount: p.amount.toFixed(2),
      bookingDate: '2026-11-25',
      counterpartyAccount: accounts[i] as string,
      bankReference: `ST${i + 1}`,
    }));
    const res = await upload(programme.id, await text(camt053({ messageId: 'STMT-NO-E2E', account: PROGRAMME_ACCOUNT }, entries)));
    expect(res.status, JSON.stringify(res.json)).toBe(201);
    expect(res.json.import.outcomes).toEqual({ already_recorded: 3 });
    const detail = await t.as.finance.get(`/api/v1/bank-results/${res.json.import.id}`);
    expect(detail.json.lines.map((l: { payoutId: string }) => l.payoutId)).toEqual(payouts.map((p) => p.id));
    // A second statement debit without a reference for it is not taken for the recorded booking: it stays an exception.
    const again = await upload(
      programme.id,
      await text(camt053({ messageId: 'STMT-NO-E2E-2', account: PROGRAMME_ACCOUNT }, [{ ...(entries[0] as StatementEntry), bankReference: 'ST9' }])),
      '?acceptExceptions=true',
    );
    expect(again.json.import.outcomes).toEqual({ unmatched: 1 });
  });

  it('a statement line far from the date the 代发 result recorded is not the same booking: duplicate', async () => {
    const { programme, payouts } = await sentBatch(['3050.00']);
    const [p] = payouts;
    const settled = await upload(
      programme.id,
      gbk(['代发结果查询', DAIFA_HEADER, `1,,某某,${p!.amount.toFixed(2)},助学金,${p!.reference},成功,,DF1,${TODAY()}`]),
      '?format=csv',
      'text/csv',
    );
    expect(settled.status).toBe(201);
    const far = await text(
      camt053({ messageId: 'STMT-FAR', account: PROGRAMME_ACCOUNT }, [
        { kind: 'debit', amount: p!.amount.toFixed(2), bookingDate: '2026-11-10', reference: p!.reference, bankReference: 'ST1' },
      ]),
    );
    const res = await upload(programme.id, far);
    expect(res.status).toBe(422);
    expect(res.json.exceptions).toEqual([expect.objectContaining({ outcome: 'duplicate' })]);
  });

  it('a camt.054 notice after the statement settled the payout tells of the same booking: recorded', async () => {
    const { programme, payouts } = await sentBatch(['3060.00']);
    const [p] = payouts;
    const statement = await text(
      camt053({ messageId: 'STMT-FIRST', account: PROGRAMME_ACCOUNT }, [
        { kind: 'debit', amount: p!.amount.toFixed(2), bookingDate: TODAY(), reference: p!.reference, bankReference: 'ST1' },
      ]),
    );
    expect((await upload(programme.id, statement)).json.import.outcomes).toEqual({ settled: 1 });
    const notice = await camt054Text({ messageId: 'N-AFTER', account: PROGRAMME_ACCOUNT }, [
      { reference: p!.reference, amount: p!.amount.toFixed(2), kind: 'debit', bookingDate: TODAY(), bankReference: 'NT1' },
    ]);
    const res = await upload(programme.id, notice);
    expect(res.status).toBe(201);
    expect(res.json.import.outcomes).toEqual({ already_recorded: 1 });
  });
});

describe('a camt message id reused for other content', () => {
  it('409 naming both files’ SHA-256, nothing written; the same bytes again stay a replay', async () => {
    const { programme, payouts } = await sentBatch(['3070.00', '3080.00']);
    const [a, b] = payouts;
    const first = await camt054Text({ messageId: 'N-REUSED', account: PROGRAMME_ACCOUNT }, [
      { reference: a!.reference, amount: a!.amount.toFixed(2), kind: 'debit', bookingDate: TODAY() },
    ]);
    const imported = await upload(programme.id, first);
    expect(imported.status).toBe(201);
    const other = await camt054Text({ messageId: 'N-REUSED', account: PROGRAMME_ACCOUNT }, [
      { reference: b!.reference, amount: b!.amount.toFixed(2), kind: 'debit', bookingDate: TODAY() },
    ]);
    const before = await counts();
    const res = await upload(programme.id, other);
    expect(res.status).toBe(409);
    expect(res.json).toMatchObject({ code: 'bank_file_message_id_reused', messageId: 'N-REUSED', earlierSha256: sha256(first), sha256: sha256(other) });
    expect(res.json.detail).toContain(sha256(first));
    expect(res.json.detail).toContain(sha256(other));
    expect(await counts()).toEqual(before);
    expect((await t.db.prisma.payout.findUniqueOrThrow({ where: { id: b!.id } })).status).toBe('sent');

    const replay = await upload(programme.id, first);
    expect(replay.status).toBe(200);
    expect(replay.json).toMatchObject({ replayed: true, import: { id: imported.json.import.id } });
  });
});

describe('a line booked after today (Beijing)', () => {
  it('refuses a camt.054 and a GBK 代发 result naming the line and date; nothing written, never re-dated', async () => {
    const { programme, payouts } = await sentBatch(['3090.00', '3095.00']);
    const [a, b] = payouts;
    const before = await counts();
    const xml = await camt054Text({ messageId: 'N-FUTURE', account: PROGRAMME_ACCOUNT }, [
      { reference: a!.reference, amount: a!.amount.toFixed(2), kind: 'debit', bookingDate: TODAY() },
      { reference: b!.reference, amount: b!.amount.toFixed(2), kind: 'debit', bookingDate: '2026-11-27' },
    ]);
    const res = await upload(programme.id, xml);
    expect(res.status).toBe(422);
    expect(res.json).toMatchObject({ code: 'bank_file_future_booking', bookingDate: '2026-11-27', today: TODAY() });
    expect(res.json.line).toBeGreaterThan(1);
    expect(res.json.detail).toContain('2026-11-27');

    const csv = gbk(['代发结果查询', DAIFA_HEADER, `1,,某某,${a!.amount.toFixed(2)},助学金,${a!.reference},成功,,DF1,2026-12-01`]);
    const refused = await upload(programme.id, csv, '?format=csv', 'text/csv');
    expect(refused.status).toBe(422);
    expect(refused.json).toMatchObject({ code: 'bank_file_future_booking', line: 3, bookingDate: '2026-12-01' });
    expect(await counts()).toEqual(before);

    // A line without a booking date is dated the day it is recorded.
    const undated = gbk(['代发结果查询', '序号,金额,备注,状态', `1,${a!.amount.toFixed(2)},${a!.reference},成功`]);
    expect((await upload(programme.id, undated, '?format=csv', 'text/csv')).status).toBe(201);
    const row = await t.db.prisma.payout.findUniqueOrThrow({ where: { id: a!.id } });
    expect(row.settledOn?.toISOString().slice(0, 10)).toBe(TODAY());
  });
});
