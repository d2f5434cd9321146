// Lines of the bank's answer without a payout reference, through the HTTP API: matched to the one
// sent payout that fits their amount, payee account (or, without one, name) and date; several or
// none → an exception listing the candidates (masked) for finance to pick from. And account-history
// CSVs (a bank's 账户明细 export, with its preset) as the bank's answer, with the account assumed
// or declared when the file names none.
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { formatMoney } from '../../src/domain/money.ts';
import { programmeBalances } from '../../src/ledger/balances.ts';
import { type StatementEntry, bankCsv, camt053 } from '../support/bank-statements.ts';
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
  const rows = await t.db.prisma.payout.findMany({ where: { batchId: batch.id }, orderBy: { sequence: 'asc' } });
  // The payees as the bank knows them (tests only: the service never shows them whole).
  const payouts = await Promise.all(
    rows.map(async (p) => ({
      ...p,
      account: await t.vault.open('bank_account', p.payeeAccountSealed),
      name: await t.vault.open('name', p.payeeNameSealed),
    })),
  );
  return { programme, batch, payouts };
}

async function upload(programmeId: string, body: string | Uint8Array, query = '', contentType = 'application/xml', token = t.world.users.finance.token) {
  const res = await t.app.request(`/api/v1/programmes/${programmeId}/bank-results${query}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': contentType },
    body: typeof body === 'string' ? body : (body as Uint8Array<ArrayBuffer>),
  });
  const text = await res.text();
  return { status: res.status, text, json: JSON.parse(text) };
}

async function collect(chunks: AsyncIterable<string>): Promise<string> {
  let out = '';
  for await (const c of chunks) out += c;
  return out;
}

const gbk = (text: string) => new Uint8Array(iconv.encode(text, 'gbk'));
const spaced = (account: string) => account.replace(/(\d{4})(?=\d)/g, '$1 ');
const masked = (account: string) => `${'*'.repeat(account.length - 4)}${account.slice(-4)}`;

describe('lines without a payout reference', () => {
  it('a camt.053 debit without EndToEndId naming the payee’s account: matched_without_reference, settled like any other line', async () => {
    const { programme, payouts } = await sentBatch(['3000.00', '3200.00']);
    const [a, b] = payouts;
    const before = (await programmeBalances(t.db.prisma, [programme.id])).get(programme.id)!;
    const statement = await collect(
      camt053({ messageId: 'STMT-NOREF', account: PROGRAMME_ACCOUNT }, [
        // The bank prints the account in groups of four: compared without spaces.
        { kind: 'debit', amount: a!.amount.toFixed(2), bookingDate: TODAY(), counterpartyAccount: spaced(a!.account), counterpartyName: a!.name },
        { kind: 'debit', amount: b!.amount.toFixed(2), bookingDate: TODAY(), reference: b!.reference },
      ]),
    );
    const res = await upload(programme.id, statement);
    expect(res.status, res.text).toBe(201);
    expect(res.json.import).toMatchObject({ outcomes: { matched_without_reference: 1, settled: 1 }, appliedCount: 2, exceptionCount: 0 });
    // Reported with the answer (not an exception), with the payout it was matched to, masked.
    expect(res.json.import.lines).toEqual([
      expect.objectContaining({
        outcome: 'matched_without_reference',
        reference: null,
        payoutId: a!.id,
        candidates: [expect.objectContaining({ payoutId: a!.id, reference: a!.reference, accountMasked: masked(a!.account), batchCode: expect.any(String) })],
      }),
    ]);
    expect(res.text).not.toContain(a!.account);
    expect(res.text).not.toContain(a!.name);
    const row = await t.db.prisma.payout.findUniqueOrThrow({ where: { id: a!.id } });
    expect(row).toMatchObject({ status: 'settled', resultImportId: res.json.import.id });
    const after = (await programmeBalances(t.db.prisma, [programme.id])).get(programme.id)!;
    expect(formatMoney(before.bank.minus(after.bank))).toBe(formatMoney(a!.amount.plus(b!.amount)));
    expect(formatMoney(after.inTransit)).toBe('0.00');
  });

  it('a GBK 代发 result without references: the payee’s account fits one → matched; a name alone that two payouts of the amount share → ambiguous, candidates listed', async () => {
    const { programme, payouts } = await sentBatch(['3000.00', '3000.00', '5000.00']);
    // The two payouts of the same amount (same default name), in batch order, and the third.
    const c = payouts.find((p) => payouts.filter((q) => q.amount.equals(p.amount)).length === 1);
    const [a, b] = payouts.filter((p) => p !== c);
    expect(a!.name).toBe(b!.name);
    expect(a!.amount.equals(b!.amount)).toBe(true);
    const csv = gbk(
      [
        '批量代发回单',
        `付款账号：${PROGRAMME_ACCOUNT}`,
        '序号,收款账号,收款户名,金额,附言,状态,交易日期',
        `1,${c!.account},${c!.name},${c!.amount.toFixed(2)},助学金,成功,${TODAY()}`,
        `2,,${a!.name},${a!.amount.toFixed(2)},助学金,成功,${TODAY()}`,
        '',
      ].join('\r\n'),
    );
    const refused = await upload(programme.id, csv, '?format=csv', 'text/csv');
    expect(refused.status).toBe(422);
    expect(refused.json.exceptions).toEqual([
      expect.objectContaining({
        line: 5,
        outcome: 'ambiguous_match',
        candidates: [expect.objectContaining({ payoutId: a!.id }), expect.objectContaining({ payoutId: b!.id })],
      }),
    ]);
    const res = await upload(programme.id, csv, '?format=csv&acceptExceptions=true', 'text/csv');
    expect(res.status).toBe(201);
    expect(res.json.import.outcomes).toEqual({ matched_without_reference: 1, ambiguous_match: 1 });
    const detail = await t.as.finance.get(`/api/v1/bank-results/${res.json.import.id}`);
    const ambiguous = detail.json.lines.find((l: { outcome: string }) => l.outcome === 'ambiguous_match');
    expect(ambiguous.candidates.map((x: { reference: string }) => x.reference)).toEqual([a!.reference, b!.reference]);
    expect(ambiguous.candidates[0].accountMasked).toBe(masked(a!.account));
    expect(JSON.stringify(detail.json)).not.toContain(a!.account);
    expect((await t.db.prisma.payout.findUniqueOrThrow({ where: { id: c!.id } })).status).toBe('settled');
    expect((await t.db.prisma.payout.findUniqueOrThrow({ where: { id: a!.id } })).status).toBe('sent');
  });

  it('no payout fits (another account, or a date outside the window) → unmatched, the sent payouts of that amount listed; a well-formed reference naming no payout is never matched by amount', async () => {
    const { programme, payouts } = await sentBatch(['3000.00', '3600.00']);
    const [a, b] = payouts;
    const statement = await collect(
      camt053({ messageId: 'STMT-NOFIT', account: PROGRAMME_ACCOUNT }, [
        { kind: 'debit', amount: a!.amount.toFixed(2), bookingDate: TODAY(), counterpartyAccount: '6222000000000000000' },
        // Booked a month before the batch was sent: not this payout.
        { kind: 'debit', amount: b!.amount.toFixed(2), bookingDate: '2026-10-20', counterpartyAccount: b!.account },
        { kind: 'debit', amount: b!.amount.toFixed(2), bookingDate: TODAY(), reference: 'PB20260101-00001-000001', counterpartyAccount: b!.account },
      ]),
    );
    const res = await upload(programme.id, statement, '?acceptExceptions=true');
    expect(res.status, res.text).toBe(201);
    expect(res.json.import.outcomes).toEqual({ unmatched: 3 });
    const [first, second, third] = res.json.import.lines;
    expect(first).toMatchObject({ outcome: 'unmatched', candidates: [expect.objectContaining({ payoutId: a!.id })] });
    expect(second).toMatchObject({ outcome: 'unmatched', candidates: [expect.objectContaining({ payoutId: b!.id })] });
    expect(third).toMatchObject({
      outcome: 'unmatched',
      reference: 'PB20260101-00001-000001',
      candidates: null,
      reason: null,
      explanation: 'no payout has this reference',
    });
    expect((await t.db.prisma.payout.findMany({ where: { id: { in: [a!.id, b!.id] } } })).every((p) => p.status === 'sent')).toBe(true);
  });
});

describe('account-history CSVs as the bank’s answer', () => {
  const entriesOf = (payouts: Awaited<ReturnType<typeof sentBatch>>['payouts']): StatementEntry[] => {
    const [a, b, c] = payouts;
    return [
      {
        kind: 'credit',
        amount: '50000.00',
        bookingDate: '2026-11-20',
        counterpartyAccount: '1058000011112222',
        counterpartyName: '省财政厅',
        remittance: '资助资金拨付',
      },
      { kind: 'debit', amount: a!.amount.toFixed(2), bookingDate: TODAY(), reference: a!.reference },
      { kind: 'debit', amount: b!.amount.toFixed(2), bookingDate: TODAY(), reference: b!.reference },
      { kind: 'return', amount: b!.amount.toFixed(2), bookingDate: TODAY(), reference: `${b!.reference} AC04 账户已销户` },
      // No reference: matched by the payee's account.
      { kind: 'debit', amount: c!.amount.toFixed(2), bookingDate: TODAY(), counterpartyAccount: c!.account, counterpartyName: c!.name },
    ];
  };

  it('a GBK generic-cn export without an account line: debits settle, a credit naming a payout returns it, funding is skipped; the programme’s account is assumed and said so', async () => {
    const { programme, payouts } = await sentBatch(['3000.00', '3200.00', '3400.00']);
    const [a, b, c] = payouts;
    const body = gbk(await collect(bankCsv({ from: '2026-11-01', to: TODAY() }, entriesOf(payouts))));
    const noPreset = await upload(programme.id, body, '?format=statement-csv', 'text/csv');
    expect(noPreset.status).toBe(400);
    expect(noPreset.json.errors).toEqual([expect.objectContaining({ path: 'preset' })]);

    const res = await upload(programme.id, body, '?format=statement-csv&preset=generic-cn&fileName=ccb-2026-11.csv', 'text/csv');
    expect(res.status, res.text).toBe(201);
    expect(res.json.import).toMatchObject({
      format: 'statement-csv',
      preset: 'generic-cn',
      accountStatedBy: 'assumed',
      outcomes: { settled: 2, returned: 1, matched_without_reference: 1 },
      exceptionCount: 0,
    });
    expect((await t.db.prisma.payout.findUniqueOrThrow({ where: { id: a!.id } })).status).toBe('settled');
    const returned = await t.db.prisma.payout.findUniqueOrThrow({ where: { id: b!.id } });
    expect(returned.status).toBe('returned');
    expect(returned.outcomeReason).toContain('AC04');
    expect((await t.db.prisma.payout.findUniqueOrThrow({ where: { id: c!.id } })).status).toBe('settled');

    // The return's reason, named in Chinese and English wherever it is shown.
    const detail = await t.as.finance.get(`/api/v1/bank-results/${res.json.import.id}`);
    expect(detail.json.lines.find((l: { kind: string }) => l.kind === 'return').reasonText).toContain('AC04 账户已销户 (closed account number)');
    const listed = await t.as.finance.get(`/api/v1/payouts?programmeId=${programme.id}&status=returned`);
    expect(listed.json.items[0].outcome.reasonText).toContain('AC04 账户已销户 (closed account number)');
    const ledger = await t.db.prisma.ledgerTransaction.findFirstOrThrow({ where: { sourceId: b!.id, kind: 'payout_returned' } });
    expect(ledger.description).toContain('AC04 账户已销户 (closed account number)');
  });

  it('a declared account: the file is about it; another account than the programme’s is refused; viewers cannot import', async () => {
    const { programme, payouts } = await sentBatch(['3000.00', '3200.00', '3400.00']);
    const body = gbk(await collect(bankCsv({}, entriesOf(payouts))));
    const other = await upload(programme.id, body, '?format=statement-csv&preset=generic-cn&account=6222000000000000000', 'text/csv');
    expect(other.status).toBe(422);
    expect(other.json.code).toBe('bank_file_other_account');
    const viewer = await upload(
      programme.id,
      body,
      `?format=statement-csv&preset=generic-cn&account=${PROGRAMME_ACCOUNT}`,
      'text/csv',
      t.world.users.approver.token,
    );
    expect(viewer.status).toBe(403);
    const res = await upload(programme.id, body, `?format=statement-csv&preset=generic-cn&account=${PROGRAMME_ACCOUNT}`, 'text/csv');
    expect(res.status, res.text).toBe(201);
    expect(res.json.import.accountStatedBy).toBe('declared');
    // A file naming its account: a declaration that differs is refused.
    const named = gbk(await collect(bankCsv({ account: PROGRAMME_ACCOUNT }, entriesOf(payouts))));
    const clash = await upload(programme.id, named, '?format=statement-csv&preset=generic-cn&account=6222000000000000000', 'text/csv');
    expect(clash.status).toBe(422);
    expect(clash.json.code).toBe('bank_file_other_account');
  });

  it('a camt.054 return keeps the ISO code and the bank’s text, shown named in the import view', async () => {
    const { programme, payouts } = await sentBatch(['3000.00']);
    const [a] = payouts;
    const xml = await camt054Text({ messageId: 'N-RET-TEXT', account: PROGRAMME_ACCOUNT }, [
      { reference: a!.reference, amount: a!.amount.toFixed(2), kind: 'return', reason: 'AC04', bookingDate: TODAY() },
    ]);
    const res = await upload(programme.id, xml);
    expect(res.status).toBe(201);
    const detail = await t.as.finance.get(`/api/v1/bank-results/${res.json.import.id}`);
    expect(detail.json.lines[0]).toMatchObject({ reason: 'AC04: 账户已销户', reasonText: 'AC04 账户已销户 (closed account number)' });
  });
});
