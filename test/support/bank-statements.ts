// Bank statements as a bank would send them, for the bank check's tests and benchmark: a camt.053
// account statement (with opening and closing balances) and a Chinese bank's CSV account history
// (UTF-8 or GBK), both written entry by entry so that a million lines are streamed, never built
// in memory.
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import iconv from 'iconv-lite';
import { escapeXml } from '../../src/bank/outgoing/xml-escape.ts';

export interface StatementEntry {
  /** debit: a payment out (a payout); credit: money in (a funding remittance); return: a payout coming back (CRDT with RtrInf). */
  kind: 'debit' | 'credit' | 'return';
  amount: string;
  bookingDate: string;
  /** EndToEndId (camt) / the remark column (CSV). */
  reference?: string;
  /** AcctSvcrRef (camt) / 交易流水号 (CSV). */
  bankReference?: string;
  counterpartyAccount?: string;
  counterpartyName?: string;
  /** Return reason code (camt RtrInf/Rsn/Cd). */
  reason?: string;
  /** Free text: camt RmtInf/Ustrd, CSV 摘要. */
  remittance?: string;
  status?: 'BOOK' | 'PDNG';
  currency?: string;
}

export interface Balance {
  /** Signed: negative is a debit balance. */
  amount: string;
  date: string;
}

export interface Camt053Options {
  messageId: string;
  account: string;
  currency?: string;
  statementId?: string;
  createdAt?: string;
  opening?: Balance;
  closing?: Balance;
  /** The balances' types (default OPBD and CLBD; ITBD for a page that ends or starts mid-day). */
  openingType?: 'OPBD' | 'PRCD' | 'ITBD';
  closingType?: 'CLBD' | 'ITBD';
  /** Stmt/ElctrncSeqNb. */
  electronicSequence?: string;
  /** GrpHdr/MsgPgntn: this message is one page of a statement. */
  page?: { number: number; last: boolean };
}

function balanceXml(type: string, b: Balance, currency: string): string {
  const negative = b.amount.startsWith('-');
  const amount = negative ? b.amount.slice(1) : b.amount;
  return `<Bal><Tp><CdOrPrtry><Cd>${type}</Cd></CdOrPrtry></Tp><Amt Ccy="${currency}">${amount}</Amt><CdtDbtInd>${negative ? 'DBIT' : 'CRDT'}</CdtDbtInd><Dt><Dt>${b.date}</Dt></Dt></Bal>\n`;
}

/** One <Ntry>, about 0.6 kB: what a Chinese bank's camt.053 carries for a 代发 payment. */
export function camtEntryXml(e: StatementEntry, n: number, statementCurrency: string): string {
  const currency = e.currency ?? statementCurrency;
  const side = e.kind === 'debit' ? 'DBIT' : 'CRDT';
  const family = e.kind === 'debit' ? 'ICDT' : 'RCDT';
  const sub = e.kind === 'debit' ? 'DMCT' : e.kind === 'return' ? 'RRTN' : 'DMCT';
  const party =
    e.counterpartyAccount === undefined
      ? ''
      : e.kind === 'credit'
        ? `<RltdPties><Dbtr><Nm>${escapeXml(e.counterpartyName ?? '汇款人')}</Nm></Dbtr><DbtrAcct><Id><Othr><Id>${escapeXml(e.counterpartyAccount)}</Id></Othr></Id></DbtrAcct></RltdPties>`
        : `<RltdPties><Cdtr><Nm>${escapeXml(e.counterpartyName ?? '收款人')}</Nm></Cdtr><CdtrAcct><Id><Othr><Id>${escapeXml(e.counterpartyAccount)}</Id></Othr></Id></CdtrAcct></RltdPties>`;
  return (
    `<Ntry><Amt Ccy="${currency}">${e.amount}</Amt><CdtDbtInd>${side}</CdtDbtInd><Sts>${e.status ?? 'BOOK'}</Sts>` +
    `<BookgDt><Dt>${e.bookingDate}</Dt></BookgDt><ValDt><Dt>${e.bookingDate}</Dt></ValDt>` +
    `<AcctSvcrRef>${escapeXml(e.bankReference ?? `BK${String(n).padStart(12, '0')}`)}</AcctSvcrRef>` +
    `<BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>${family}</Cd><SubFmlyCd>${sub}</SubFmlyCd></Fmly></Domn></BkTxCd>` +
    `<NtryDtls><TxDtls><Refs>${e.reference !== undefined ? `<EndToEndId>${escapeXml(e.reference)}</EndToEndId>` : ''}</Refs>` +
    `<AmtDtls><TxAmt><Amt Ccy="${currency}">${e.amount}</Amt></TxAmt></AmtDtls>${party}` +
    (e.remittance !== undefined ? `<RmtInf><Ustrd>${escapeXml(e.remittance)}</Ustrd></RmtInf>` : '') +
    (e.kind === 'return' ? `<RtrInf><Rsn><Cd>${escapeXml(e.reason ?? 'AC04')}</Cd></Rsn></RtrInf>` : '') +
    `</TxDtls></NtryDtls></Ntry>\n`
  );
}

/** A camt.053.001.02 statement (version 2: TxDtls amounts in AmtDtls, Sts as text), entry by entry. */
export async function* camt053(options: Camt053Options, entries: Iterable<StatementEntry> | AsyncIterable<StatementEntry>): AsyncGenerator<string> {
  const currency = options.currency ?? 'CNY';
  const created = options.createdAt ?? '2026-11-30T18:00:00+08:00';
  yield `<?xml version="1.0" encoding="UTF-8"?>\n<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">\n<BkToCstmrStmt>\n`;
  const page = options.page ? `<MsgPgntn><PgNb>${options.page.number}</PgNb><LastPgInd>${options.page.last}</LastPgInd></MsgPgntn>` : '';
  yield `<GrpHdr><MsgId>${escapeXml(options.messageId)}</MsgId><CreDtTm>${created}</CreDtTm>${page}</GrpHdr>\n`;
  const sequence = options.electronicSequence ? `<ElctrncSeqNb>${options.electronicSequence}</ElctrncSeqNb>` : '';
  yield `<Stmt><Id>${escapeXml(options.statementId ?? `${options.messageId}-1`)}</Id>${sequence}<CreDtTm>${created}</CreDtTm>\n`;
  yield `<Acct><Id><Othr><Id>${escapeXml(options.account)}</Id></Othr></Id><Ccy>${currency}</Ccy></Acct>\n`;
  if (options.opening !== undefined) yield balanceXml(options.openingType ?? 'OPBD', options.opening, currency);
  if (options.closing !== undefined) yield balanceXml(options.closingType ?? 'CLBD', options.closing, currency);
  let n = 0;
  let chunk = '';
  for await (const e of entries) {
    chunk += camtEntryXml(e, ++n, currency);
    if (chunk.length > 64 * 1024) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk.length > 0) yield chunk;
  yield `</Stmt>\n</BkToCstmrStmt>\n</Document>\n`;
}

export interface CsvStatementOptions {
  account?: string;
  accountName?: string;
  /** 币种 in the title (default 人民币). */
  currencyLabel?: string;
  from?: string;
  to?: string;
  /** Signed; a running 余额 column is written when given. */
  opening?: string;
  /** Signed; written as 期末余额 after the lines when given. */
  closing?: string;
  /** Leave out a column (to test a file with missing columns). */
  omitColumn?: '借方发生额' | '交易日期';
}

const CSV_HEADER = ['交易日期', '摘要', '借方发生额', '贷方发生额', '余额', '对方账号', '对方户名', '交易流水号', '附言'];

/** A bank account history CSV (建设银行-like, read by the generic-cn preset), line by line. */
export async function* bankCsv(options: CsvStatementOptions, entries: Iterable<StatementEntry> | AsyncIterable<StatementEntry>): AsyncGenerator<string> {
  yield '中国建设银行 账户明细\r\n';
  const title: string[] = [];
  if (options.account !== undefined) title.push(`账号：${options.account}`);
  title.push(`户名：${options.accountName ?? '青海省民政厅'}`);
  yield `${title.join(',')}\r\n`;
  const period = [`币种：${options.currencyLabel ?? '人民币'}`];
  if (options.from !== undefined) period.push(`起始日期：${options.from}`);
  if (options.to !== undefined) period.push(`终止日期：${options.to}`);
  if (options.opening !== undefined) period.push(`期初余额：${options.opening}`);
  yield `${period.join(',')}\r\n`;
  const keep = CSV_HEADER.map((h) => h !== options.omitColumn);
  const row = (cells: string[]): string => `${cells.filter((_, i) => keep[i]).join(',')}\r\n`;
  yield row(CSV_HEADER);
  let balance = options.opening === undefined ? undefined : fen(options.opening);
  let n = 0;
  let chunk = '';
  for await (const e of entries) {
    n++;
    const debit = e.kind === 'debit';
    if (balance !== undefined && (e.status ?? 'BOOK') === 'BOOK') balance += debit ? -fen(e.amount) : fen(e.amount);
    chunk += row([
      e.bookingDate,
      e.kind === 'return' ? '退汇' : (e.remittance ?? (debit ? '代发' : '汇入')),
      debit ? e.amount : '',
      debit ? '' : e.amount,
      balance === undefined ? '' : fenText(balance),
      e.counterpartyAccount ?? '',
      e.counterpartyName ?? '',
      e.bankReference ?? `BK${String(n).padStart(12, '0')}`,
      e.reference ?? '',
    ]);
    if (chunk.length > 32 * 1024) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk.length > 0) yield chunk;
  if (options.closing !== undefined) yield `期末余额：${options.closing}\r\n`;
}

function fen(amount: string): bigint {
  const negative = amount.startsWith('-');
  const [whole, fraction = ''] = (negative ? amount.slice(1) : amount).split('.');
  const value = BigInt(`${whole}${(`${fraction}00`).slice(0, 2)}`);
  return negative ? -value : value;
}

function fenText(value: bigint): string {
  const negative = value < 0n;
  const abs = negative ? -value : value;
  return `${negative ? '-' : ''}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`;
}

/** Text chunks → GBK bytes. */
export async function* gbk(text: AsyncIterable<string>): AsyncGenerator<Uint8Array> {
  for await (const t of text) yield iconv.encode(t, 'gbk');
}

/** Text chunks → UTF-8 bytes. */
export async function* utf8(text: AsyncIterable<string>): AsyncGenerator<Uint8Array> {
  const encoder = new TextEncoder();
  for await (const t of text) yield encoder.encode(t);
}

/** Streams chunks to a file (respecting back-pressure); resolves to the bytes written. */
export async function writeChunks(file: string, chunks: AsyncIterable<Uint8Array | string>): Promise<number> {
  const out = createWriteStream(file);
  let bytes = 0;
  for await (const c of chunks) {
    bytes += typeof c === 'string' ? Buffer.byteLength(c) : c.length;
    if (!out.write(c)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return bytes;
}

/** Signed fen arithmetic on amount strings, for balances in tests. */
export function addAmounts(...amounts: string[]): string {
  return fenText(amounts.reduce((sum, a) => sum + fen(a), 0n));
}
