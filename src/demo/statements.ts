// The bank statements of the demo programme's account, as its bank (中国建设银行) would issue them for
// the demo's first two academic years — for the auditor's bank check (`npm run reconcile -- bank`):
//
//   qinghai-2024-2026.camt053.xml         camt.053.001.08, every booking of the period
//   qinghai-2024-2026.ccb.gbk.csv         the same bookings as a 建设银行 account-history CSV, GBK
//                                         (layout of the `ccb` preset, src/bank/statement-csv/presets.ts)
//   qinghai-2024-2026.breaks.camt053.xml  the camt.053 with deliberate breaks (see BREAKS below)
//
// What the bank booked is what the database says the bank answered: each funding receipt (credit),
// each payout a bank answer settled (debit, on its booking day, with the bank's reference), each
// payout sent back after it settled (credit). Payouts the bank refused were never booked. Opening
// balance 0.00 (the account opened for the programme); the closing balance is checked against the
// ledger's `bank` account on the period's last day, and building fails if they differ.
//
// Deterministic: nothing here reads a clock, a random number or a generated id; names and accounts
// are the payouts' snapshots. A fresh `npm start` therefore gives the same bytes, which is how the
// copies committed under demo/statements are checked (test/e2e/start.test.ts); regenerate them with
// `npx tsx src/demo/write-statements.ts` after changing the demo (see that file).
import iconv from 'iconv-lite';
import { escapeXml } from '../bank/outgoing/xml-escape.ts';
import { toIsoDate } from '../domain/dates.ts';
import { type Money, ZERO, formatMoney, money } from '../domain/money.ts';
import type { PrismaClient } from '#prisma';
import type { PiiVault } from '../privacy/pii-vault.ts';

export const STATEMENT_PERIOD = { from: '2024-09-01', to: '2026-08-31' } as const;

/** The foundation's remitting account: fictional, at a real bank's branch. */
const FOUNDATION_ACCOUNT = { name: '青山慈善基金会', accountNumber: '630104016000001234', bank: '中国工商银行西宁城西支行' };

export interface StatementFile {
  name: string;
  bytes: Uint8Array;
}

type Kind = 'receipt' | 'payout' | 'return';

interface Booking {
  kind: Kind;
  date: string;
  amount: Money;
  /** The bank's own reference (流水号 / AcctSvcrRef). */
  bankReference: string;
  /** The reference the remitter gave: the payout's EndToEndId, or the foundation's transfer reference. */
  reference: string | null;
  counterparty: { name: string; accountNumber: string; bank: string };
  remittance: string;
  /** Return reason code and the bank's words (returns only). */
  returnReason?: { code: string; text: string };
}

const KIND_ORDER: Record<Kind, number> = { receipt: 0, payout: 1, return: 2 };

/** Every booking of the period, in the bank's order: by day, receipts, payouts, returns, then reference. */
async function bookings(db: PrismaClient, vault: PiiVault, programmeId: string): Promise<Booking[]> {
  const { from, to } = STATEMENT_PERIOD;
  const receipts = await db.$queryRaw<{ received_on: Date; amount: string; bank_reference: string; note: string | null }[]>`
    SELECT r."received_on", r."amount"::text AS amount, r."bank_reference", r."note"
    FROM "funding_receipt" r
    WHERE r."programme_id" = ${programmeId}::uuid AND r."received_on" BETWEEN ${from}::date AND ${to}::date
      AND NOT EXISTS (SELECT 1 FROM "ledger_transaction" t WHERE t."reverses_id" = r."ledger_transaction_id")`;
  const lines = await db.$queryRaw<
    {
      outcome: string;
      booking_date: Date;
      bank_reference: string;
      amount: string;
      reason: string | null;
      reference: string;
      name: string;
      account: string;
      bank: string;
    }[]
  >`
    SELECT l."outcome", l."booking_date", l."bank_reference", l."amount"::text AS amount, l."reason", p."reference",
           p."payee_name_sealed" AS name, p."payee_account_sealed" AS account, p."payee_bank_name" AS bank
    FROM "bank_result_line" l JOIN "payout" p ON p."id" = l."payout_id"
    WHERE p."programme_id" = ${programmeId}::uuid AND l."outcome" IN ('settled', 'returned')
      AND l."booking_date" BETWEEN ${from}::date AND ${to}::date`;
  const out: Booking[] = receipts.map((r) => ({
    kind: 'receipt',
    date: toIsoDate(r.received_on),
    amount: money(r.amount),
    bankReference: `CCB${toIsoDate(r.received_on).replaceAll('-', '')}C${r.bank_reference.replace(/\D/g, '').slice(-6)}`,
    reference: r.bank_reference,
    counterparty: { name: FOUNDATION_ACCOUNT.name, accountNumber: FOUNDATION_ACCOUNT.accountNumber, bank: FOUNDATION_ACCOUNT.bank },
    remittance: [r.bank_reference, r.note].filter(Boolean).join(' '),
  }));
  for (const l of lines) {
    const counterparty = { name: await vault.open('name', l.name), accountNumber: await vault.open('bank_account', l.account), bank: l.bank };
    const returned = l.outcome === 'returned';
    const [code, ...text] = (l.reason ?? '').split(': ');
    out.push({
      kind: returned ? 'return' : 'payout',
      date: toIsoDate(l.booking_date),
      amount: money(l.amount),
      bankReference: l.bank_reference,
      reference: l.reference,
      counterparty,
      remittance: returned ? `退汇 ${l.reference}` : '助学金 QH-QINGSHAN-ZXGC',
      ...(returned ? { returnReason: { code: code ?? '', text: text.join(': ') } } : {}),
    });
  }
  return out.sort((a, b) =>
    a.date < b.date ? -1 : a.date > b.date ? 1 : KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || (a.reference ?? '').localeCompare(b.reference ?? ''),
  );
}

const isCredit = (b: Booking) => b.kind !== 'payout';

function closingOf(entries: Booking[]): Money {
  return entries.reduce((s, b) => (isCredit(b) ? s.plus(b.amount) : s.minus(b.amount)), ZERO);
}

/** The ledger's `bank` balance at the end of a day, from its entries (normal side: debit). */
async function ledgerBankOn(db: PrismaClient, programmeId: string, day: string): Promise<Money> {
  const [row] = await db.$queryRaw<{ balance: string | null }[]>`
    SELECT sum(CASE WHEN e."direction"::text = 'debit' THEN e."amount" ELSE -e."amount" END)::text AS balance
    FROM "ledger_entry" e JOIN "ledger_account" a ON a."id" = e."account_id" JOIN "ledger_transaction" t ON t."id" = e."transaction_id"
    WHERE a."programme_id" = ${programmeId}::uuid AND a."kind" = 'bank' AND t."event_date" <= ${day}::date`;
  return money(row?.balance ?? '0');
}

// ─── camt.053 ───────────────────────────────────────────────────────────────────────────────

interface Camt053Options {
  messageId: string;
  account: { number: string; name: string; bank: string };
  entries: Booking[];
}

function camtEntry(b: Booking): string {
  const side = isCredit(b) ? 'CRDT' : 'DBIT';
  const amount = formatMoney(b.amount);
  const [family, sub] = b.kind === 'receipt' ? ['RCDT', 'DMCT'] : b.kind === 'payout' ? ['ICDT', 'DMCT'] : ['ICDT', 'RRTN'];
  const party =
    b.kind === 'receipt'
      ? `<RltdPties><Dbtr><Pty><Nm>${escapeXml(b.counterparty.name)}</Nm></Pty></Dbtr><DbtrAcct><Id><Othr><Id>${b.counterparty.accountNumber}</Id></Othr></Id></DbtrAcct></RltdPties>` +
        `<RltdAgts><DbtrAgt><FinInstnId><Nm>${escapeXml(b.counterparty.bank)}</Nm></FinInstnId></DbtrAgt></RltdAgts>`
      : `<RltdPties><Cdtr><Pty><Nm>${escapeXml(b.counterparty.name)}</Nm></Pty></Cdtr><CdtrAcct><Id><Othr><Id>${b.counterparty.accountNumber}</Id></Othr></Id></CdtrAcct></RltdPties>` +
        `<RltdAgts><CdtrAgt><FinInstnId><Nm>${escapeXml(b.counterparty.bank)}</Nm></FinInstnId></CdtrAgt></RltdAgts>`;
  const refs =
    b.kind === 'receipt'
      ? `<Refs><AcctSvcrRef>${escapeXml(b.bankReference)}</AcctSvcrRef></Refs>`
      : `<Refs><EndToEndId>${escapeXml(b.reference ?? 'NOTPROVIDED')}</EndToEndId></Refs>`;
  const returned = b.returnReason
    ? `<RtrInf><Rsn><Cd>${escapeXml(b.returnReason.code)}</Cd></Rsn><AddtlInf>${escapeXml(b.returnReason.text)}</AddtlInf></RtrInf>`
    : '';
  return (
    `    <Ntry><Amt Ccy="CNY">${amount}</Amt><CdtDbtInd>${side}</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>` +
    `<BookgDt><Dt>${b.date}</Dt></BookgDt><ValDt><Dt>${b.date}</Dt></ValDt><AcctSvcrRef>${escapeXml(b.bankReference)}</AcctSvcrRef>` +
    `<BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>${family}</Cd><SubFmlyCd>${sub}</SubFmlyCd></Fmly></Domn></BkTxCd>` +
    `<NtryDtls><TxDtls>${refs}<Amt Ccy="CNY">${amount}</Amt><CdtDbtInd>${side}</CdtDbtInd>${party}` +
    `<RmtInf><Ustrd>${escapeXml(b.remittance)}</Ustrd></RmtInf>${returned}</TxDtls></NtryDtls></Ntry>\n`
  );
}

function camt053(o: Camt053Options): string {
  const { from, to } = STATEMENT_PERIOD;
  const created = `${to.slice(0, 4)}-09-01T09:00:00+08:00`;
  const credits = o.entries.filter(isCredit);
  const debits = o.entries.filter((b) => !isCredit(b));
  const sum = (bs: Booking[]) => bs.reduce((s, b) => s.plus(b.amount), ZERO);
  const closing = closingOf(o.entries);
  const balance = (code: string, amount: Money, date: string) =>
    `    <Bal><Tp><CdOrPrtry><Cd>${code}</Cd></CdOrPrtry></Tp><Amt Ccy="CNY">${formatMoney(amount.abs())}</Amt><CdtDbtInd>${amount.isNegative() ? 'DBIT' : 'CRDT'}</CdtDbtInd><Dt><Dt>${date}</Dt></Dt></Bal>\n`;
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08">\n<BkToCstmrStmt>\n' +
    `  <GrpHdr><MsgId>${escapeXml(o.messageId)}</MsgId><CreDtTm>${created}</CreDtTm></GrpHdr>\n` +
    `  <Stmt>\n    <Id>${escapeXml(o.messageId)}-1</Id><ElctrncSeqNb>1</ElctrncSeqNb><CreDtTm>${created}</CreDtTm>\n` +
    `    <FrToDt><FrDtTm>${from}T00:00:00+08:00</FrDtTm><ToDtTm>${to}T23:59:59+08:00</ToDtTm></FrToDt>\n` +
    `    <Acct><Id><Othr><Id>${o.account.number}</Id></Othr></Id><Ccy>CNY</Ccy><Nm>${escapeXml(o.account.name)}</Nm>` +
    `<Svcr><FinInstnId><Nm>${escapeXml(o.account.bank)}</Nm></FinInstnId></Svcr></Acct>\n` +
    balance('OPBD', ZERO, from) +
    balance('CLBD', closing, to) +
    `    <TxsSummry><TtlNtries><NbOfNtries>${o.entries.length}</NbOfNtries><Sum>${formatMoney(sum(o.entries))}</Sum>` +
    `<TtlNetNtry><Amt>${formatMoney(closing.abs())}</Amt><CdtDbtInd>${closing.isNegative() ? 'DBIT' : 'CRDT'}</CdtDbtInd></TtlNetNtry></TtlNtries>` +
    `<TtlCdtNtries><NbOfNtries>${credits.length}</NbOfNtries><Sum>${formatMoney(sum(credits))}</Sum></TtlCdtNtries>` +
    `<TtlDbtNtries><NbOfNtries>${debits.length}</NbOfNtries><Sum>${formatMoney(sum(debits))}</Sum></TtlDbtNtries></TxsSummry>\n` +
    o.entries.map(camtEntry).join('') +
    '  </Stmt>\n</BkToCstmrStmt>\n</Document>\n'
  );
}

// ─── 建设银行 account-history CSV (GBK) ─────────────────────────────────────────────────────────

const CSV_HEADER = '交易时间,借方发生额（支取）,贷方发生额（收入）,余额,币种,对方户名,对方账号,对方开户机构,记账日期,摘要,备注,账户明细编号-交易流水号';

function ccbCsv(account: { number: string; name: string; bank: string }, entries: Booking[]): Uint8Array {
  const { from, to } = STATEMENT_PERIOD;
  const compact = (d: string) => d.replaceAll('-', '');
  let balance = ZERO;
  let previousDate = '';
  let nth = 0;
  const rows = entries.map((b) => {
    balance = isCredit(b) ? balance.plus(b.amount) : balance.minus(b.amount);
    nth = b.date === previousDate ? nth + 1 : 0;
    previousDate = b.date;
    // Receipts in the morning, the 代发 run from 10:00 one a second, returns in the afternoon.
    const seconds = b.kind === 'receipt' ? 9 * 3600 + 30 * 60 + nth : b.kind === 'payout' ? 10 * 3600 + nth : 15 * 3600 + nth;
    const time = [Math.floor(seconds / 3600), Math.floor(seconds / 60) % 60, seconds % 60].map((x) => String(x).padStart(2, '0')).join('');
    const amount = formatMoney(b.amount);
    return [
      `${compact(b.date)} ${time}`,
      isCredit(b) ? '0.00' : amount,
      isCredit(b) ? amount : '0.00',
      formatMoney(balance),
      '人民币',
      b.counterparty.name,
      b.counterparty.accountNumber,
      b.counterparty.bank,
      compact(b.date),
      b.kind === 'receipt' ? '来账' : b.kind === 'payout' ? '代发' : '退汇',
      b.kind === 'receipt' ? b.remittance : b.kind === 'payout' ? (b.reference ?? '') : `${b.reference} ${b.returnReason?.text ?? ''}`.trim(),
      b.bankReference,
    ].join(',');
  });
  const debits = entries.filter((b) => !isCredit(b));
  const credits = entries.filter(isCredit);
  const sum = (bs: Booking[]) => formatMoney(bs.reduce((s, b) => s.plus(b.amount), ZERO));
  const text = [
    '中国建设银行单位客户账户明细',
    `账号,${account.number},账户名称,${account.name}`,
    `开户机构：${account.bank},币种：人民币`,
    `起始日期：${compact(from)},终止日期：${compact(to)}`,
    `期初余额：0.00,期末余额：${formatMoney(balance)}`,
    CSV_HEADER,
    ...rows,
    `合计：${entries.length}笔,${sum(debits)},${sum(credits)},,,,,,,,,`,
  ].join('\r\n');
  return iconv.encode(`${text}\r\n`, 'gbk');
}

// ─── the statement with breaks ──────────────────────────────────────────────────────────────

/**
 * What the auditor's bank check must find in the statement with breaks, each on a payout or
 * booking chosen by position so that it is the same on every fresh start:
 * - missing: the 3rd payout debit of 2025-10-17 is not on the statement;
 * - unknown: an extra debit of 3,000.00 on 2025-11-20 to an account the ledger never paid, without
 *   a payout reference;
 * - amount: the 5th payout debit of 2026-03-02 is booked 180.00 less than the payout;
 * - duplicate: the 2nd payout debit of 2024-10-18 is booked twice (a second bank reference).
 * The statement adds up (its closing balance follows from its own lines), so the difference with
 * the ledger's bank balance is exactly the sum of the breaks.
 */
export const BREAKS = {
  missing: { date: '2025-10-17', nth: 3 },
  unknown: { date: '2025-11-20', amount: '3000.00', name: '西宁市城中区某商贸有限公司', accountNumber: '630101000012345678', bank: '青海银行西宁城中支行' },
  amount: { date: '2026-03-02', nth: 5, less: '180.00' },
  duplicate: { date: '2024-10-18', nth: 2 },
} as const;

function withBreaks(entries: Booking[]): Booking[] {
  const nthPayout = (date: string, nth: number) => entries.filter((b) => b.kind === 'payout' && b.date === date)[nth - 1] as Booking;
  const missing = nthPayout(BREAKS.missing.date, BREAKS.missing.nth);
  const short = nthPayout(BREAKS.amount.date, BREAKS.amount.nth);
  const doubled = nthPayout(BREAKS.duplicate.date, BREAKS.duplicate.nth);
  if (!missing || !short || !doubled) throw new Error('demo statements: a break names a payout the demo does not have');
  const out: Booking[] = [];
  for (const b of entries) {
    if (b === missing) continue;
    if (b === short) {
      out.push({ ...b, amount: b.amount.minus(BREAKS.amount.less) });
      continue;
    }
    out.push(b);
    if (b === doubled) out.push({ ...b, bankReference: `${b.bankReference}D` });
  }
  const u = BREAKS.unknown;
  const at = out.findIndex((b) => b.date > u.date);
  out.splice(at < 0 ? out.length : at, 0, {
    kind: 'payout',
    date: u.date,
    amount: money(u.amount),
    bankReference: `CCB${u.date.replaceAll('-', '')}X0001`,
    reference: null,
    counterparty: { name: u.name, accountNumber: u.accountNumber, bank: u.bank },
    remittance: '转账支出',
  });
  return out;
}

// ─── all three ──────────────────────────────────────────────────────────────────────────────

/** The demo programme's statements, built from the database (see the file comment). */
export async function buildDemoStatements(db: PrismaClient, vault: PiiVault): Promise<StatementFile[]> {
  const programme = await db.programme.findUniqueOrThrow({ where: { code: 'QH-QINGSHAN-ZXGC' } });
  if (!programme.payoutAccountNumber || !programme.payoutAccountName) throw new Error('the demo programme has no payout account');
  const account = { number: programme.payoutAccountNumber, name: programme.payoutAccountName, bank: programme.payoutBankName ?? '' };
  const entries = await bookings(db, vault, programme.id);
  const closing = closingOf(entries);
  const ledger = await ledgerBankOn(db, programme.id, STATEMENT_PERIOD.to);
  if (!closing.equals(ledger)) {
    throw new Error(
      `demo statements: the bookings close at ${formatMoney(closing)}, the ledger's bank account at ${formatMoney(ledger)} on ${STATEMENT_PERIOD.to}`,
    );
  }
  const stem = 'qinghai-2024-2026';
  const period = `${STATEMENT_PERIOD.from.replaceAll('-', '')}-${STATEMENT_PERIOD.to.replaceAll('-', '')}`;
  const encoder = new TextEncoder();
  return [
    { name: `${stem}.camt053.xml`, bytes: encoder.encode(camt053({ messageId: `CCBQH053-${period}`, account, entries })) },
    { name: `${stem}.ccb.gbk.csv`, bytes: ccbCsv(account, entries) },
    { name: `${stem}.breaks.camt053.xml`, bytes: encoder.encode(camt053({ messageId: `CCBQH053-${period}-B`, account, entries: withBreaks(entries) })) },
  ];
}
