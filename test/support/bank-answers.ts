// What a bank would answer to a payout batch: camt.054 debit notifications (settled payouts) and
// credits with return information (payouts that came back), written line by line so that a
// 10,000-payout answer is streamed, never built in memory. For tests and benchmarks.
import { escapeXml } from '../../src/bank/outgoing/xml-escape.ts';

export interface AnsweredPayout {
  reference: string;
  amount: string;
  /** debit: booked out of the programme's account; return: credited back with a reason code. */
  kind: 'debit' | 'return';
  bookingDate?: string;
  reason?: string;
  bankReference?: string;
}

export interface Camt054Options {
  messageId: string;
  account: string;
  currency?: string;
  createdAt?: string;
  /** camt.053 writes an account statement (Stmt) instead of a notification (Ntfctn). */
  messageType?: 'camt.054' | 'camt.053';
}

function* entryXml(p: AnsweredPayout, n: number, currency: string): Generator<string> {
  const side = p.kind === 'debit' ? 'DBIT' : 'CRDT';
  const date = p.bookingDate ?? '2026-11-26';
  yield `<Ntry><Amt Ccy="${currency}">${p.amount}</Amt><CdtDbtInd>${side}</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>`;
  yield `<BookgDt><Dt>${date}</Dt></BookgDt><ValDt><Dt>${date}</Dt></ValDt><AcctSvcrRef>${escapeXml(p.bankReference ?? `BK${String(n).padStart(10, '0')}`)}</AcctSvcrRef>`;
  yield `<BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>${p.kind === 'debit' ? 'ICDT' : 'RCDT'}</Cd><SubFmlyCd>${p.kind === 'debit' ? 'DMCT' : 'RRTN'}</SubFmlyCd></Fmly></Domn></BkTxCd>`;
  yield `<NtryDtls><TxDtls><Refs><EndToEndId>${escapeXml(p.reference)}</EndToEndId></Refs><Amt Ccy="${currency}">${p.amount}</Amt><CdtDbtInd>${side}</CdtDbtInd>`;
  if (p.kind === 'return') yield `<RtrInf><Rsn><Cd>${escapeXml(p.reason ?? 'AC04')}</Cd></Rsn><AddtlInf>账户已销户</AddtlInf></RtrInf>`;
  yield `</TxDtls></NtryDtls></Ntry>\n`;
}

/** A camt.054.001.08 notification for the programme's account, one entry per answered payout. */
export async function* camt054(options: Camt054Options, payouts: Iterable<AnsweredPayout> | AsyncIterable<AnsweredPayout>): AsyncGenerator<string> {
  const currency = options.currency ?? 'CNY';
  const created = options.createdAt ?? '2026-11-26T18:00:00+08:00';
  const statement = options.messageType === 'camt.053';
  const [doc, root, block] = statement ? ['camt.053.001.08', 'BkToCstmrStmt', 'Stmt'] : ['camt.054.001.08', 'BkToCstmrDbtCdtNtfctn', 'Ntfctn'];
  yield `<?xml version="1.0" encoding="UTF-8"?>\n<Document xmlns="urn:iso:std:iso:20022:tech:xsd:${doc}">\n<${root}>\n`;
  yield `<GrpHdr><MsgId>${escapeXml(options.messageId)}</MsgId><CreDtTm>${created}</CreDtTm></GrpHdr>\n`;
  yield `<${block}><Id>${escapeXml(options.messageId)}-1</Id><CreDtTm>${created}</CreDtTm><Acct><Id><Othr><Id>${escapeXml(options.account)}</Id></Othr></Id><Ccy>${currency}</Ccy></Acct>\n`;
  let n = 0;
  for await (const p of payouts) yield* entryXml(p, ++n, currency);
  yield `</${block}>\n</${root}>\n</Document>\n`;
}

/** The whole answer as one string, for small tests. */
export async function camt054Text(options: Camt054Options, payouts: AnsweredPayout[]): Promise<string> {
  let text = '';
  for await (const part of camt054(options, payouts)) text += part;
  return text;
}

/** A string as the byte chunks an upload would arrive in. */
export async function* chunksOf(text: string, size = 64 * 1024): AsyncGenerator<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

/** One line of a 代发 result: the payout it answers, and the bank's verdict (失败 with its reason). */
export interface DaifaAnswer {
  reference: string;
  amount: string;
  failedBecause?: string | undefined;
}

/**
 * A bank's 代发 result file as its export reads (title, payer line, header, one line per payout),
 * CRLF; the caller encodes it (GBK as the banks send it). Payee accounts and names are stand-ins:
 * the import matches by reference and amount.
 */
export function daifaAnswerCsv(payerAccount: string, answers: DaifaAnswer[], date: string): string {
  return [
    '代发结果查询',
    `付款账号：${payerAccount},户名：青海省民政厅`,
    '序号,收款账号,收款户名,金额,用途,备注,状态,失败原因,银行流水号,交易日期',
    ...answers.map(
      (a, i) =>
        `${i + 1},${6222020200112233445 + i},某某,${a.amount},助学金,${a.reference},${a.failedBecause ? '失败' : '成功'},${a.failedBecause ?? ''},B${i + 1},${date}`,
    ),
    '',
  ].join('\r\n');
}
