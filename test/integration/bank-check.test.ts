// The bank check on the embedded database: payouts made, sent and settled through the services,
// then statements (camt.053, bank CSV in GBK) checked against the ledger — clean, with breaks,
// with a file given twice, without references — and every kind of bad input refused naming the
// file and the line.
import { readFileSync } from 'node:fs';
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatMoney } from '../../src/domain/money.ts';
import { programmeBalances } from '../../src/ledger/balances.ts';
import { CheckCouldNotRun, type CheckResult } from '../../src/reconcile/check-types.ts';
import { runBankCheck } from '../../src/reconcile/bank/index.ts';
import { fileSource } from '../../src/reconcile/node/file-source.ts';
import { loadStatementMapping } from '../../src/reconcile/node/load-mapping.ts';
import { csvPreset, resolveCsvMapping } from '../../src/bank/statement-csv/index.ts';
import { createPayoutBatch } from '../../src/services/payouts/batches.ts';
import { importBankResults } from '../../src/services/payouts/bank-results.ts';
import { camt054, chunksOf } from '../support/bank-answers.ts';
import { conformanceDir } from '../support/conformance.ts';
import { addAmounts, bankCsv, camt053, gbk, utf8, writeChunks, type StatementEntry } from '../support/bank-statements.ts';
import { exportAndSendBatch, makeApprovedGrants, makePayoutProgramme, PROGRAMME_ACCOUNT, TODAY } from '../support/payouts.ts';
import { makeSettledPayouts } from '../support/reconciliation.ts';
import { testVault } from '../support/vault.ts';
import { useTestApp } from '../support/test-app.ts';

const t = useTestApp();
let dir: string;

interface Paid {
  reference: string;
  amount: string;
  account: string;
}

let programmeId: string;
let paid: Paid[];
/** The ledger's bank balance before November (the funding receipt of 2026-09-01) and now. */
let opening: string;
let closing: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'bank-check-'));
  // Four payouts, settled by the bank's answer of 2026-11-25.
  ({ programmeId, paid, opening, closing } = await makeSettledPayouts(t.db.prisma, t.world, await testVault(), ['4000.00', '5000.00', '3000.00', '4500.00']));
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

const debit = (p: Paid, more: Partial<StatementEntry> = {}): StatementEntry => ({
  kind: 'debit',
  amount: p.amount,
  bookingDate: '2026-11-25',
  reference: p.reference,
  counterpartyAccount: p.account,
  counterpartyName: '学生',
  ...more,
});

let fileNo = 0;
async function camtFile(
  entries: StatementEntry[],
  more: { messageId?: string; account?: string; currency?: string; closing?: string; openingDate?: string } = {},
): Promise<string> {
  const file = path.join(dir, `stmt-${++fileNo}.xml`);
  await writeChunks(
    file,
    utf8(
      camt053(
        {
          messageId: more.messageId ?? `STMT-${fileNo}`,
          account: more.account ?? PROGRAMME_ACCOUNT,
          ...(more.currency ? { currency: more.currency } : {}),
          opening: { amount: opening, date: more.openingDate ?? '2026-11-01' },
          closing: { amount: more.closing ?? closing, date: '2026-11-30' },
        },
        entries,
      ),
    ),
  );
  return file;
}

async function csvFile(entries: StatementEntry[], more: Parameters<typeof bankCsv>[0] = {}, encode = gbk): Promise<string> {
  const file = path.join(dir, `stmt-${++fileNo}.csv`);
  await writeChunks(file, encode(bankCsv({ account: PROGRAMME_ACCOUNT, from: '2026-11-01', to: '2026-11-30', opening, closing, ...more }, entries)));
  return file;
}

const figure = (r: CheckResult, key: string) => r.figures.find((f) => f.key === key)?.value;

async function refused(run: Promise<unknown>): Promise<CheckCouldNotRun> {
  const error = await run.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CheckCouldNotRun);
  return error as CheckCouldNotRun;
}

describe('runBankCheck — statements that agree with the ledger', () => {
  it('a camt.053 with every payout and the right closing balance is clean', async () => {
    const file = await camtFile(paid.map((p) => debit(p)));
    const r = await runBankCheck(t.db.prisma, { statements: [fileSource(file)], programmeId });
    expect(r.exceptions).toEqual([]);
    expect(r.status).toBe('clean');
    expect(r.check).toBe('bank');
    expect(figure(r, 'matched')).toBe(4);
    expect(figure(r, 'matched_by_reference')).toBe(4);
    expect(figure(r, 'statement_debits_amount')).toBe(addAmounts(...paid.map((p) => p.amount)));
    expect(r.inputs).toEqual([{ path: file, sha256: expect.stringMatching(/^[0-9a-f]{64}$/), messageId: `STMT-${fileNo}`, kind: 'camt.053 (001.02)' }]);
    const statements = r.tables?.find((t) => t.columns.includes('closing_balance'));
    expect(statements?.rows).toEqual([
      [path.basename(file), `STMT-${fileNo}-1`, '**************6789', '2026-11-01', '2026-11-30', 4, opening, opening, '2026-11-30', closing, closing, '0.00'],
    ]);
  });

  it("finds the programme by the statement's account when none is named; the result is the same run after run", async () => {
    const file = await camtFile(paid.map((p) => debit(p)));
    const a = await runBankCheck(t.db.prisma, { statements: [fileSource(file)] });
    const b = await runBankCheck(t.db.prisma, { statements: [fileSource(file)] });
    expect(a.status).toBe('clean');
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  });

  it('a bank CSV in GBK (generic-cn mapping) is clean too', async () => {
    const file = await csvFile(paid.map((p) => debit(p)));
    const r = await runBankCheck(t.db.prisma, { statements: [fileSource(file)], programmeId, mapping: csvPreset('generic-cn') });
    expect(r.exceptions).toEqual([]);
    expect(figure(r, 'matched')).toBe(4);
    expect(r.inputs?.[0]?.kind).toBe('csv (mapping generic-cn, gbk)');
  });

  it('a file given twice is read once (same bytes, or the same camt message id)', async () => {
    const file = await camtFile(paid.map((p) => debit(p)));
    const copy = path.join(dir, 'copy-of-statement.xml');
    await copyFile(file, copy);
    const r = await runBankCheck(t.db.prisma, { statements: [file, copy, file].map(fileSource), programmeId });
    expect(r.status).toBe('clean');
    expect(figure(r, 'matched')).toBe(4);
    expect(figure(r, 'statement_files')).toBe(1);
    expect(figure(r, 'statement_files_repeated')).toBe(2);
    expect(r.inputs?.map((i) => i.duplicateOf ?? null)).toEqual([null, file, file]);
    expect(new Set(r.inputs?.map((i) => i.sha256)).size).toBe(1);

    // The same message id, other content (re-issued by the bank with a line more): read once, and said.
    const reissued = await camtFile([...paid.map((p) => debit(p)), { kind: 'debit', amount: '12.00', bookingDate: '2026-11-26' }], {
      messageId: r.inputs?.[0]?.messageId as string,
    });
    const again = await runBankCheck(t.db.prisma, { statements: [file, reissued].map(fileSource), programmeId });
    expect(figure(again, 'matched')).toBe(4);
    expect(again.inputs?.[1]).toMatchObject({ duplicateOf: file, messageId: r.inputs?.[0]?.messageId });
    expect(again.exceptions.map((e) => [e.code, e.subject.reason])).toEqual([['duplicate', 'same_file_differs']]);
  });

  it("lines without a reference match on amount + the payee's account (through the vault) + date within the window", async () => {
    const entries = paid.map((p, i) => (i === 0 ? debit(p, { reference: undefined, bookingDate: '2026-11-27' }) : debit(p)));
    const file = await csvFile(entries, {}, utf8);
    const withVault = await runBankCheck(t.db.prisma, { statements: [fileSource(file)], programmeId, vault: await testVault() });
    expect(withVault.exceptions).toEqual([]);
    expect(figure(withVault, 'matched_without_reference')).toBe(1);
    const narrow = await runBankCheck(t.db.prisma, { statements: [fileSource(file)], programmeId, vault: await testVault(), window: 1 });
    expect(narrow.exceptions.map((e) => e.code)).toEqual(['in_ledger_not_at_bank', 'at_bank_not_in_ledger']);
    const noVault = await runBankCheck(t.db.prisma, { statements: [fileSource(file)], programmeId });
    expect(noVault.exceptions.map((e) => e.code)).toEqual(['in_ledger_not_at_bank', 'at_bank_not_in_ledger']);
    // The unmatched line's account appears masked only.
    const text = JSON.stringify(noVault);
    expect(text).not.toContain(paid[0]!.account);
    expect(noVault.exceptions[1]?.subject.counterpartyAccount).toMatch(/^\*+\d{4}$/);
  });
});

describe('runBankCheck — breaks', () => {
  it('reports a missing line, an extra line, an amount difference, a duplicate and the closing balance', async () => {
    const [a, b, c, d] = paid as [Paid, Paid, Paid, Paid];
    const extra: StatementEntry = {
      kind: 'debit',
      amount: '1200.00',
      bookingDate: '2026-11-26',
      reference: 'PB20990101-00001-000001',
      bankReference: 'BK-EXTRA',
    };
    const entries = [
      debit(a, { bankReference: 'BK-A' }),
      debit(a, { bankReference: 'BK-A' }),
      debit(b, { amount: addAmounts(b.amount, '-0.01') }),
      extra,
      debit(c),
    ];
    // What the bank's balance really is after these lines.
    const bankClosing = addAmounts(opening, ...entries.map((e) => `-${e.amount}`));
    const file = await camtFile(entries, { closing: bankClosing });
    const r = await runBankCheck(t.db.prisma, { statements: [fileSource(file)], programmeId });
    expect(r.status).toBe('breaks');
    expect(r.exceptions.map((e) => [e.code, e.subject.reference ?? null, e.subject.line ?? null])).toEqual([
      ['in_ledger_not_at_bank', d.reference, null],
      ['at_bank_not_in_ledger', null, 12],
      ['amount_differs', b.reference, 11],
      ['duplicate', a.reference, 10],
      ['closing_balance_differs', null, null],
    ]);
    expect(r.exceptions[0]).toMatchObject({ amount: d.amount, subject: { movement: 'payout', date: '2026-11-25', status: 'settled' } });
    expect(r.exceptions[2]).toMatchObject({ amount: addAmounts(b.amount, '-0.01'), subject: { ledgerAmount: b.amount } });
    expect(r.exceptions[4]?.subject).toMatchObject({ bank: bankClosing, ledger: closing, difference: addAmounts(bankClosing, `-${closing}`) });
    expect(r.exceptions[1]?.message).toContain('对账单有此笔，账本没有 (at the bank, not in the ledger)');
    expect(figure(r, 'in_ledger_not_at_bank')).toBe(1);
    expect(figure(r, 'in_ledger_not_at_bank_amount')).toBe(d.amount);
  });

  it('a payout returned after it settled: its debit matched, its return line listed as a return to act on, not a break', async () => {
    const [a] = paid as [Paid];
    await importBankResults({
      ctx: t.world.users.finance.ctx,
      input: {
        programmeId,
        format: 'camt.054',
        content: camt054({ messageId: 'N-RET', account: PROGRAMME_ACCOUNT }, [
          { reference: a.reference, amount: a.amount, kind: 'return', bookingDate: '2026-11-26', reason: 'AC04' },
        ]),
      },
    });
    const after = formatMoney((await programmeBalances(t.db.prisma, [programmeId])).get(programmeId)!.bank);
    const entries: StatementEntry[] = [
      ...paid.map((p) => debit(p)),
      { kind: 'return', amount: a.amount, bookingDate: '2026-11-26', reference: a.reference, reason: 'AC04' },
    ];
    const file = await camtFile(entries, { closing: after });
    const r = await runBankCheck(t.db.prisma, { statements: [fileSource(file)], programmeId });
    // Bank and ledger agree about the return: no break, but finance must retry or cancel the instalment.
    expect(r.exceptions).toEqual([]);
    expect(r.status).toBe('clean');
    expect(figure(r, 'return')).toBe(1);
    expect(figure(r, 'return_amount')).toBe(a.amount);
    const returns = r.tables?.find((t) => t.title.includes('(returns recorded in the ledger'));
    expect(returns?.rows.map((row) => [row[3], row[4], row[5], row[6]])).toEqual([
      [a.reference, 'returned', 'AC04 账户已销户 (closed account number)', a.amount],
    ]);
    expect(figure(r, 'matched_payouts')).toBe(4);
    // Without the return line, the ledger's return is missing at the bank and the balance differs.
    const without = await runBankCheck(t.db.prisma, {
      statements: [
        fileSource(
          await camtFile(
            paid.map((p) => debit(p)),
            { closing: after },
          ),
        ),
      ],
      programmeId,
    });
    expect(without.exceptions.map((e) => [e.code, e.subject.movement ?? null])).toEqual([['in_ledger_not_at_bank', 'return']]);
    closing = after;
  });
});

describe('runBankCheck — bad input: CheckCouldNotRun naming the file and the line', () => {
  it('a file that is not a statement', async () => {
    const file = path.join(dir, 'notes.txt');
    await writeFile(file, '会议纪要\n今天讨论了助学金发放的安排。\n');
    const e = await refused(runBankCheck(t.db.prisma, { statements: [fileSource(file)], programmeId }));
    expect(e.where).toEqual({ file, line: 1 });
    expect(e.message).toContain(file);
    expect(e.message).toContain('line 1');
  });

  it('a camt.053 without statements (the conformance file)', async () => {
    const file = path.join(conformanceDir('camt'), 'camt053.v2.wrong.xml');
    const e = await refused(runBankCheck(t.db.prisma, { statements: [fileSource(file)], programmeId }));
    expect(e.where.file).toBe(file);
    expect(e.where.line).toBe(9);
    expect(e.message).toMatch(/no statement/);
  });

  it('a camt.054 is a notification, not a statement', async () => {
    const file = path.join(dir, 'notification.xml');
    let text = '';
    for await (const t of camt054({ messageId: 'N-X', account: PROGRAMME_ACCOUNT }, [])) text += t;
    await writeFile(file, text);
    const e = await refused(runBankCheck(t.db.prisma, { statements: [fileSource(file)], programmeId }));
    expect(e.where).toEqual({ file, line: 3 });
    expect(e.message).toContain('camt.054');
  });

  it('a CSV with missing columns', async () => {
    const file = await csvFile(
      paid.map((p) => debit(p)),
      { omitColumn: '借方发生额' },
    );
    const e = await refused(runBankCheck(t.db.prisma, { statements: [fileSource(file)], programmeId }));
    expect(e.where).toEqual({ file, line: 4 });
    expect(e.message).toMatch(/lacks required columns: debit/);
  });

  it('a CSV with undecodable bytes', async () => {
    const good = iconv.encode(
      `中国建设银行 账户明细\r\n账号：${PROGRAMME_ACCOUNT}\r\n交易日期,摘要,借方发生额,贷方发生额,附言\r\n2026-11-25,代发,100.00,,${paid[0]!.reference}\r\n`,
      'gbk',
    );
    const bad = Buffer.concat([good, Buffer.from('2026-11-25,'), Buffer.from([0xff, 0xff]), Buffer.from(',200.00,,X\r\n')]);
    const file = path.join(dir, 'undecodable.csv');
    await writeFile(file, bad);
    const e = await refused(runBankCheck(t.db.prisma, { statements: [fileSource(file)], programmeId }));
    expect(e.where).toEqual({ file, line: 5 });
    expect(e.message).toMatch(/GBK/);
  });

  it('a statement for another account (camt and CSV), shown masked', async () => {
    const other = '6222600110012345678';
    const camt = await camtFile(
      paid.map((p) => debit(p)),
      { account: other },
    );
    const e = await refused(runBankCheck(t.db.prisma, { statements: [fileSource(camt)], programmeId }));
    expect(e.where).toEqual({ file: camt, line: 6 });
    expect(e.message).toContain('***************5678');
    expect(e.message).not.toContain(other);
    const csv = await csvFile(
      paid.map((p) => debit(p)),
      { account: other },
    );
    const e2 = await refused(runBankCheck(t.db.prisma, { statements: [fileSource(csv)], programmeId }));
    expect(e2.where).toEqual({ file: csv, line: 2 });
    expect(e2.message).not.toContain(other);
  });

  it('a statement in another currency (camt and CSV)', async () => {
    const camt = await camtFile(
      paid.map((p) => debit(p, { currency: 'CNY' })),
      { currency: 'USD' },
    );
    const e = await refused(runBankCheck(t.db.prisma, { statements: [fileSource(camt)], programmeId }));
    expect(e.where).toEqual({ file: camt, line: 6 });
    expect(e.message).toContain('USD');
    const csv = await csvFile(
      paid.map((p) => debit(p)),
      { currencyLabel: '美元' },
    );
    const e2 = await refused(runBankCheck(t.db.prisma, { statements: [fileSource(csv)], programmeId }));
    expect(e2.where).toEqual({ file: csv, line: 3 });
    expect(e2.message).toContain('USD');
  });

  it("dates out of range: outside the statement's balances, or a year no statement has", async () => {
    const camt = await camtFile([debit(paid[0]!), debit(paid[1]!, { bookingDate: '2026-12-02' })]);
    const e = await refused(runBankCheck(t.db.prisma, { statements: [fileSource(camt)], programmeId }));
    expect(e.where).toEqual({ file: camt, line: 10 });
    expect(e.message).toMatch(/outside the statement's period/);
    const csv = await csvFile([debit(paid[0]!, { bookingDate: '1980-01-02' })], { from: undefined, to: undefined });
    const e2 = await refused(runBankCheck(t.db.prisma, { statements: [fileSource(csv)], programmeId }));
    expect(e2.where).toEqual({ file: csv, line: 5 });
    expect(e2.message).toMatch(/out of range/);
  });

  it('a file that does not exist, and a mapping that does not', async () => {
    const missing = path.join(dir, 'missing.xml');
    expect((await refused(runBankCheck(t.db.prisma, { statements: [fileSource(missing)], programmeId }))).where).toEqual({ file: missing, line: null });
    const csv = await csvFile(paid.map((p) => debit(p)));
    expect(
      (
        await refused(
          loadStatementMapping('no-such-bank').then((mapping) => runBankCheck(t.db.prisma, { statements: [fileSource(csv)], programmeId, mapping })),
        )
      ).message,
    ).toMatch(/no-such-bank/);
  });
});

/** A camt.053 with every option the sequence tests need. */
async function camtWith(options: Parameters<typeof camt053>[0], entries: StatementEntry[]): Promise<string> {
  const file = path.join(dir, `stmt-${++fileNo}.xml`);
  await writeChunks(file, utf8(camt053(options, entries)));
  return file;
}

describe('runBankCheck — payouts in transit past their business days: not_booked_by_bank', () => {
  let programme: string;
  let sent: Paid[];
  let before: string;

  beforeAll(async () => {
    // Two payouts sent today (2026-11-26, a Thursday, the requested execution date): due by Tuesday 2026-12-01 (3 business days).
    programme = (await makePayoutProgramme(t.world)).id;
    await makeApprovedGrants(t.db.prisma, t.world, programme, ['3000.00', '4000.00']);
    const batch = await createPayoutBatch({ ctx: t.world.users.finance.ctx, input: { programmeId: programme, cutoffOn: TODAY() } });
    await exportAndSendBatch(t.world.users.finance.ctx, batch.id);
    const vault = await testVault();
    const payouts = await t.db.prisma.payout.findMany({ where: { batchId: batch.id }, orderBy: { sequence: 'asc' } });
    sent = await Promise.all(
      payouts.map(async (p) => ({ reference: p.reference, amount: p.amount.toFixed(2), account: await vault.open('bank_account', p.payeeAccountSealed) })),
    );
    before = formatMoney((await programmeBalances(t.db.prisma, [programme])).get(programme)!.bank);
  });

  /** The bank booked the first payout the day it was sent (today, 2026-11-26: a bank books nothing in the future) and never the second; the statement runs to `to`. */
  const statement = (to: string) =>
    camtWith(
      {
        messageId: `AGE-${++fileNo}`,
        account: PROGRAMME_ACCOUNT,
        opening: { amount: before, date: '2026-11-26' },
        closing: { amount: addAmounts(before, `-${sent[0]!.amount}`), date: to },
      },
      [debit(sent[0]!, { bookingDate: '2026-11-26' })],
    );
  const csvStatement = (to: string) =>
    (async () => {
      const file = path.join(dir, `stmt-${++fileNo}.csv`);
      await writeChunks(
        file,
        gbk(
          bankCsv({ account: PROGRAMME_ACCOUNT, from: '2026-11-26', to, opening: before, closing: addAmounts(before, `-${sent[0]!.amount}`) }, [
            debit(sent[0]!, { bookingDate: '2026-11-26' }),
          ]),
        ),
      );
      return file;
    })();

  it('without the bank answer imported: the booked one is at the bank in transit, the other not booked by the bank once the statement covers its due day', async () => {
    const r = await runBankCheck(t.db.prisma, { statements: [fileSource(await statement('2026-12-04'))], programmeId: programme });
    expect(r.status).toBe('breaks');
    expect(r.exceptions.map((e) => [e.code, e.subject.reference, e.subject.reason ?? null])).toEqual([
      ['not_booked_by_bank', sent[1]!.reference, null],
      ['at_bank_not_in_ledger', sent[0]!.reference, 'payout_in_transit'],
      ['closing_balance_differs', undefined, null],
    ]);
    expect(figure(r, 'in_transit')).toBe(0);
  });

  it('with the statement imported as the bank answer: within the business days the other stays in transit, and the run is clean', async () => {
    const file = await statement('2026-11-27');
    await importBankResults({
      ctx: t.world.users.finance.ctx,
      input: { programmeId: programme, format: 'auto', content: chunksOf(readFileSync(file, 'utf8')) },
    });
    const r = await runBankCheck(t.db.prisma, { statements: [fileSource(file)], programmeId: programme });
    expect(r.exceptions).toEqual([]);
    expect(r.status).toBe('clean');
    expect(figure(r, 'in_transit')).toBe(1);
    expect(figure(r, 'in_transit_amount')).toBe(sent[1]!.amount);
  });

  it('past its due day as of today: a break naming the payout, its amount, the requested execution date, the due day and how late', async () => {
    const file = await statement('2026-11-27');
    const r = await runBankCheck(t.db.prisma, { statements: [fileSource(file)], programmeId: programme, today: '2026-12-03' });
    expect(r.status).toBe('breaks');
    expect(r.exceptions).toEqual([
      {
        code: 'not_booked_by_bank',
        message: expect.stringContaining('已逾期2个银行工作日 (2 bank business days overdue)'),
        subject: { reference: sent[1]!.reference, status: 'sent', requestedExecutionOn: '2026-11-26', dueOn: '2026-12-01', businessDaysOverdue: 2 },
        amount: sent[1]!.amount,
      },
    ]);
    expect(figure(r, 'in_transit')).toBe(0);
    expect(figure(r, 'not_booked_by_bank_amount')).toBe(sent[1]!.amount);
  });

  it('absent from a GBK account-history CSV that covers days after its due day', async () => {
    const r = await runBankCheck(t.db.prisma, { statements: [fileSource(await csvStatement('2026-12-04'))], programmeId: programme });
    expect(r.exceptions.map((e) => [e.code, e.subject.reference, e.subject.businessDaysOverdue])).toEqual([['not_booked_by_bank', sent[1]!.reference, 3]]);
    const within = await runBankCheck(t.db.prisma, { statements: [fileSource(await csvStatement('2026-11-30'))], programmeId: programme });
    expect(within.status).toBe('clean');
  });

  it('says when the holiday calendar does not cover a year the ageing went through', async () => {
    const r = await runBankCheck(t.db.prisma, { statements: [fileSource(await statement('2026-11-27'))], programmeId: programme, today: '2027-01-11' });
    const note = r.tables?.find((x) => x.columns.length === 1 && x.columns[0] === 'year');
    expect(note?.rows).toEqual([[2027]]);
    expect(note?.title).toContain('no bank holiday calendar');
    // The day judged is stated in the scope: the one date that does not come from the files or the ledger.
    expect(r.tables?.[0]?.columns.slice(-2)).toEqual(['transit_business_days', 'as_of']);
    expect(r.tables?.[0]?.rows[0]?.slice(-2)).toEqual([3, '2027-01-11']);
  });

  it('a programme with more business days in transit waits longer', async () => {
    await t.db.prisma.programme.update({ where: { id: programme }, data: { transitBusinessDays: 10 } });
    try {
      const r = await runBankCheck(t.db.prisma, { statements: [fileSource(await statement('2026-11-27'))], programmeId: programme, today: '2026-12-03' });
      expect(r.status).toBe('clean');
    } finally {
      await t.db.prisma.programme.update({ where: { id: programme }, data: { transitBusinessDays: 3 } });
    }
  });
});

describe('runBankCheck — statements in sequence', () => {
  /** The ledger's bank balance at the end of 2026-11-25: all four payouts settled that day. */
  const dayClose = () => addAmounts(opening, ...paid.map((p) => `-${p.amount}`));
  const midDay = () => addAmounts(opening, `-${paid[0]!.amount}`, `-${paid[1]!.amount}`);
  const morning = (more: Partial<Parameters<typeof camt053>[0]> = {}) =>
    camtWith(
      {
        messageId: `SEQ-${++fileNo}`,
        statementId: 'D1125-1',
        account: PROGRAMME_ACCOUNT,
        electronicSequence: '41',
        opening: { amount: opening, date: '2026-11-25' },
        closing: { amount: midDay(), date: '2026-11-25' },
        ...more,
      },
      [debit(paid[0]!), debit(paid[1]!)],
    );
  const afternoon = (more: Partial<Parameters<typeof camt053>[0]> = {}) =>
    camtWith(
      {
        messageId: `SEQ-${++fileNo}`,
        statementId: 'D1125-2',
        account: PROGRAMME_ACCOUNT,
        electronicSequence: '42',
        opening: { amount: midDay(), date: '2026-11-25' },
        closing: { amount: dayClose(), date: '2026-11-25' },
        ...more,
      },
      [debit(paid[2]!), debit(paid[3]!)],
    );

  it("a day split into two statements is clean: only the day's last closing is compared with the ledger, whatever order the files come in", async () => {
    const [a, b] = [await morning(), await afternoon()];
    const r = await runBankCheck(t.db.prisma, { statements: [fileSource(b), fileSource(a)], programmeId });
    expect(r.exceptions).toEqual([]);
    expect(figure(r, 'matched_payouts')).toBe(4);
    // In sequence: the morning's statement first; its closing is a balance in the middle of the day, not compared.
    const rows = r.tables?.find((x) => x.columns.includes('closing_balance'))?.rows;
    expect(rows?.map((row) => [row[1], row[9], row[10], row[11]])).toEqual([
      ['D1125-1', midDay(), '', ''],
      ['D1125-2', dayClose(), dayClose(), '0.00'],
    ]);
  });

  it('a day split over two pages of one statement (MsgPgntn, interim balances) is clean', async () => {
    const one = await morning({ page: { number: 1, last: false }, statementId: 'D1125', electronicSequence: '43', closingType: 'ITBD' });
    const two = await afternoon({ page: { number: 2, last: true }, statementId: 'D1125', electronicSequence: '43', openingType: 'ITBD' });
    const r = await runBankCheck(t.db.prisma, { statements: [fileSource(two), fileSource(one)], programmeId });
    expect(r.exceptions).toEqual([]);
  });

  it('an opening that is not the previous closing is a break naming both statements (a statement missing between them)', async () => {
    const a = await morning();
    const b = await afternoon({ opening: { amount: addAmounts(midDay(), '-100.00'), date: '2026-11-25' } });
    const r = await runBankCheck(t.db.prisma, { statements: [fileSource(a), fileSource(b)], programmeId });
    expect(r.exceptions.map((e) => e.code)).toEqual(['statement_sequence_broken']);
    expect(r.exceptions[0]).toMatchObject({
      amount: '-100.00',
      subject: {
        file: path.basename(b),
        statement: 'D1125-2',
        previousFile: path.basename(a),
        previousStatement: 'D1125-1',
        reason: 'opening_not_previous_closing',
      },
    });
    expect(r.exceptions[0]?.message).toContain('对账单不连续 (statements out of sequence)');
  });
});

describe('runBankCheck — a bank CSV that names no account', () => {
  it("is checked as the programme's payout account by default, and the report says so", async () => {
    const file = await csvFile(
      paid.map((p) => debit(p)),
      { account: undefined, from: '2026-11-01', to: '2026-11-25', closing: addAmounts(opening, ...paid.map((p) => `-${p.amount}`)) },
    );
    const r = await runBankCheck(t.db.prisma, { statements: [fileSource(file)], programmeId });
    expect(r.exceptions).toEqual([]);
    const assumed = r.tables?.find((x) => x.columns.includes('account_from'));
    expect(assumed?.rows).toEqual([[path.basename(file), 'csv', '**************6789', "项目付款账户 (the programme's payout account)"]]);
  });

  it('or as the account declared (--account, or the mapping), which must be the programme’s', async () => {
    const file = await csvFile(
      paid.map((p) => debit(p)),
      { account: undefined, from: '2026-11-01', to: '2026-11-25', closing: addAmounts(opening, ...paid.map((p) => `-${p.amount}`)) },
    );
    const declared = await runBankCheck(t.db.prisma, { statements: [fileSource(file)], programmeId, account: PROGRAMME_ACCOUNT });
    expect(declared.tables?.find((x) => x.columns.includes('account_from'))?.rows[0]?.[3]).toContain('declared');
    const mapping = resolveCsvMapping({ extends: 'generic-cn', account: PROGRAMME_ACCOUNT }, 'test');
    const byMapping = await runBankCheck(t.db.prisma, { statements: [fileSource(file)], programmeId, mapping });
    expect(byMapping.status).toBe('clean');
    const e = await refused(runBankCheck(t.db.prisma, { statements: [fileSource(file)], programmeId, account: '6222600110012345678' }));
    expect(e.message).toContain('***************5678');
    expect(e.message).not.toContain('6222600110012345678');
  });
});

describe('runBankCheck — return reasons', () => {
  it('a return the ledger has not recorded names its reason in Chinese and English', async () => {
    const [, b] = paid as [Paid, Paid];
    const file = await camtFile(
      [...paid.map((p) => debit(p)), { kind: 'return', amount: b.amount, bookingDate: '2026-11-27', reference: b.reference, reason: 'AC04' }],
      {
        closing: addAmounts(closing, b.amount),
      },
    );
    const r = await runBankCheck(t.db.prisma, { statements: [fileSource(file)], programmeId });
    const e = r.exceptions.find((x) => x.code === 'at_bank_not_in_ledger');
    expect(e?.subject).toMatchObject({ reason: 'return_not_recorded', reference: b.reference, returnReason: 'AC04 账户已销户 (closed account number)' });
    expect(e?.message).toContain('退汇原因 (return reason): AC04 账户已销户 (closed account number)');
  });
});
