// The funding check on the embedded database: receipts recorded (and one reversed) through the
// services, then the foundation's remittance list (GBK or UTF-8) checked against them.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CheckCouldNotRun } from '../../src/reconcile/check-types.ts';
import { runFundingCheck } from '../../src/reconcile/funding/index.ts';
import { fileSource } from '../../src/reconcile/node/file-source.ts';
import { recordFundingReceipt, reverseFundingReceipt } from '../../src/services/funding-receipts.ts';
import { makeProgramme } from '../support/fixtures.ts';
import { PROGRAMME_ACCOUNT } from '../support/payouts.ts';
import { useTestApp } from '../support/test-app.ts';

const t = useTestApp();
let dir: string;
let programmeId: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'funding-check-'));
  const programme = await makeProgramme(t.world, {
    payoutAccount: { accountNumber: PROGRAMME_ACCOUNT, accountName: '青海省民政厅', bankName: '中国建设银行西宁城西支行', bankCode: '105851000123' },
  });
  programmeId = programme.id;
  const ctx = t.world.users.finance.ctx;
  const record = (bankReference: string, amount: string, receivedOn: string) =>
    recordFundingReceipt({ ctx, input: { programmeId, remitterId: t.world.foundation.id, amount, receivedOn, bankReference } });
  await record('QS-2026-0001', '50000.00', '2026-03-02');
  await record('QS-2026-0002', '30000.00', '2026-09-01');
  const wrong = await record('QS-2026-0003', '20000.00', '2026-10-08');
  await reverseFundingReceipt({ ctx, input: { programmeId, receiptId: wrong.id, reason: '重复录入 (recorded twice)', eventDate: '2026-10-09' } });
  await record('QS-2026-0004', '5000.00', '2026-11-02');
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

let n = 0;
async function listFile(lines: string[], encoding: 'gbk' | 'utf-8' = 'gbk'): Promise<string> {
  const file = path.join(dir, `remittances-${++n}.csv`);
  const text = `${lines.join('\r\n')}\r\n`;
  await writeFile(file, encoding === 'gbk' ? iconv.encode(text, 'gbk') : text);
  return file;
}

const TITLE = ['青山慈善基金会 汇款清单', `收款账号：${PROGRAMME_ACCOUNT},收款单位：青海省民政厅`];
const HEADER = '汇款日期,金额,银行流水号/参考号,汇款人,备注';

const figure = (r: Awaited<ReturnType<typeof runFundingCheck>>, key: string) => r.figures.find((f) => f.key === key)?.value;

describe('runFundingCheck', () => {
  it('matches the list to the receipts; a reversed receipt counts as not received', async () => {
    const file = await listFile([
      ...TITLE,
      HEADER,
      '2026-03-02,"50,000.00",QS-2026-0001,青山慈善基金会,2026年第一批',
      '2026/9/2,30000.00,QS2026-0002,青山慈善基金会,参考号写错了',
      '2026-10-08,20000.00,QS-2026-0003,青山慈善基金会,',
      '2026年11月20日,8000.00,QS-2026-0009,青山慈善基金会,',
      '总笔数：4',
    ]);
    const r = await runFundingCheck(t.db.prisma, { remittances: fileSource(file) });
    expect(r.check).toBe('funding');
    expect(r.status).toBe('breaks');
    expect(r.exceptions.map((e) => [e.code, e.subject.line ?? e.subject.receipt, e.subject.reason ?? null])).toEqual([
      ['remitted_not_received', 6, 'receipt_reversed'],
      ['remitted_not_received', 7, 'no_receipt'],
      ['received_not_remitted', 'QS-2026-0004', null],
    ]);
    expect(r.exceptions[1]).toMatchObject({ amount: '8000.00' });
    expect(figure(r, 'matched')).toBe(2);
    expect(figure(r, 'matched_by_reference')).toBe(1);
    expect(figure(r, 'matched_by_amount_date')).toBe(1);
    expect(figure(r, 'receipts_reversed_in_period')).toBe(1);
    expect(figure(r, 'remittances_amount')).toBe('108000.00');
    expect(r.inputs).toEqual([{ path: file, sha256: expect.stringMatching(/^[0-9a-f]{64}$/), messageId: null, kind: 'remittance list (csv, gbk)' }]);
  });

  it('a list that agrees is clean (UTF-8, its own period stated)', async () => {
    const file = await listFile(
      [
        '起始日期：2026-03-01,终止日期：2026-09-30',
        HEADER,
        '2026-03-02,50000.00,QS-2026-0001,青山慈善基金会,',
        '2026-09-01,30000.00,QS-2026-0002,青山慈善基金会,',
      ],
      'utf-8',
    );
    const r = await runFundingCheck(t.db.prisma, { remittances: fileSource(file), programmeId });
    expect(r.exceptions).toEqual([]);
    expect(r.status).toBe('clean');
  });

  it('refuses a list with a missing column, a negative amount, undecodable bytes or another account, naming the file and line', async () => {
    const refused = async (file: string) => {
      const e = await runFundingCheck(t.db.prisma, { remittances: fileSource(file), programmeId }).then(
        () => undefined,
        (x: unknown) => x,
      );
      expect(e).toBeInstanceOf(CheckCouldNotRun);
      return e as CheckCouldNotRun;
    };
    const missing = await listFile(['汇款日期,金额,汇款人,备注', '2026-03-02,50000.00,青山慈善基金会,']);
    expect((await refused(missing)).where).toEqual({ file: missing, line: 1 });
    const negative = await listFile([HEADER, '2026-03-02,-50000.00,QS-2026-0001,青山慈善基金会,']);
    expect((await refused(negative)).where).toEqual({ file: negative, line: 2 });
    const bad = path.join(dir, 'bad.csv');
    await writeFile(
      bad,
      Buffer.concat([
        iconv.encode(`${HEADER}\r\n2026-03-02,50000.00,QS-2026-0001,青山慈善基金会,\r\n`, 'gbk'),
        Buffer.from([0x32, 0x30, 0xff, 0xff, 0x0d, 0x0a]),
      ]),
    );
    expect((await refused(bad)).where).toEqual({ file: bad, line: 3 });
    const other = await listFile(['收款账号：6222600110012345678', HEADER, '2026-03-02,50000.00,QS-2026-0001,青山慈善基金会,']);
    const e = await refused(other);
    expect(e.where).toEqual({ file: other, line: 1 });
    expect(e.message).not.toContain('6222600110012345678');
  });
});
