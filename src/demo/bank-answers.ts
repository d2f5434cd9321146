// What the bank answers to the demo's payout batches, written the way a bank writes them, so that
// the demo imports them through the same use case finance uses (importBankResults):
// - a 代发 result file (代发结果查询, GBK CSV) per batch: 成功 or 失败 per payout;
// - a camt.054 credit notification for a payout the student's bank sent back after it settled.
// Deterministic: every value comes from the caller (no clock, no random), so a fresh start writes
// the same files and the ledger gets the same bank references every time.
import iconv from 'iconv-lite';
import Papa from 'papaparse';
import { escapeXml } from '../bank/outgoing/xml-escape.ts';
import { formatMoney, sumMoney } from '../domain/money.ts';

export interface ResultLine {
  reference: string;
  accountNumber: string;
  name: string;
  amount: string;
  status: '成功' | '失败';
  /** Why it failed (失败 only). */
  reason?: string;
  bankReference: string;
  /** 交易日期: the day the bank executed (or refused) the payment. */
  date: string;
}

/**
 * 代发结果查询 as a bank exports it: title lines, one line per payout, a 合计 line; GBK. Without a
 * paying account (`null`) the 付款账号 line is left out, as some banks' exports do.
 */
export function daifaResultCsv(input: { account: string | null; accountName: string; batchCode: string; lines: ResultLine[] }): Uint8Array {
  const total = sumMoney(input.lines.map((l) => l.amount));
  const rows = [
    '代发结果查询',
    ...(input.account === null ? [] : [`付款账号：${input.account},户名：${input.accountName}`]),
    `币种：人民币,批次号：${input.batchCode}`,
    '序号,收款账号,收款户名,金额,用途,备注,状态,失败原因,银行流水号,交易日期',
    // Quoted where a name holds a comma or a quote, as the banks' exports do.
    ...input.lines.map((l, i) =>
      Papa.unparse([[String(i + 1), l.accountNumber, l.name, l.amount, '助学金', l.reference, l.status, l.reason ?? '', l.bankReference, l.date]], {
        newline: '\r\n',
      }),
    ),
    `合计,${input.lines.length},${formatMoney(total)}`,
  ];
  return iconv.encode(`${rows.join('\r\n')}\r\n`, 'gbk');
}

export interface ReturnLine {
  reference: string;
  amount: string;
  bookingDate: string;
  bankReference: string;
  /** ISO 20022 return reason (AC04 closed account, AC06 blocked account, …) and the bank's words. */
  reasonCode: string;
  reasonText: string;
}

/** A camt.054.001.08 credit notification carrying returned payouts (RtrInf), one entry each. */
export function camt054Returns(input: { messageId: string; account: string; createdAt: string; lines: ReturnLine[] }): string {
  const entries = input.lines.map(
    (l) =>
      `<Ntry><Amt Ccy="CNY">${l.amount}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>` +
      `<BookgDt><Dt>${l.bookingDate}</Dt></BookgDt><ValDt><Dt>${l.bookingDate}</Dt></ValDt><AcctSvcrRef>${escapeXml(l.bankReference)}</AcctSvcrRef>` +
      '<BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>ICDT</Cd><SubFmlyCd>RRTN</SubFmlyCd></Fmly></Domn></BkTxCd>' +
      `<NtryDtls><TxDtls><Refs><EndToEndId>${escapeXml(l.reference)}</EndToEndId></Refs><Amt Ccy="CNY">${l.amount}</Amt><CdtDbtInd>CRDT</CdtDbtInd>` +
      `<RtrInf><Rsn><Cd>${escapeXml(l.reasonCode)}</Cd></Rsn><AddtlInf>${escapeXml(l.reasonText)}</AddtlInf></RtrInf></TxDtls></NtryDtls></Ntry>`,
  );
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.08"><BkToCstmrDbtCdtNtfctn>',
    `<GrpHdr><MsgId>${escapeXml(input.messageId)}</MsgId><CreDtTm>${input.createdAt}</CreDtTm></GrpHdr>`,
    `<Ntfctn><Id>${escapeXml(input.messageId)}-1</Id><CreDtTm>${input.createdAt}</CreDtTm><Acct><Id><Othr><Id>${escapeXml(input.account)}</Id></Othr></Id><Ccy>CNY</Ccy></Acct>`,
    ...entries,
    '</Ntfctn></BkToCstmrDbtCdtNtfctn></Document>',
    '',
  ].join('\n');
}

/** A file's bytes as the upload stream importBankResults reads. */
export async function* asUpload(bytes: Uint8Array | string): AsyncGenerator<Uint8Array | string> {
  yield bytes;
}
