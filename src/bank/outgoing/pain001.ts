// ISO 20022 pain.001.001.09 (CustomerCreditTransferInitiationV09) writer, streaming: a header and an
// (async) iterable of payouts in, UTF-8 chunks out, one payout at a time. A 100,000-payout batch is
// never in memory, only the chunk being filled (and, by default, the set of references seen).
//
// Layout: one group header, one payment information block (PmtInf) for the programme's account, and
// one CdtTrfTxInf per payout with EndToEndId = the payout reference. NbOfTxs and CtrlSum stand in both
// the group header and the PmtInf, before the first transaction, so they are declared by the caller and
// checked while streaming: when the payouts do not match, the writer throws before the closing tags,
// so the file is visibly incomplete and a caller writing to a temporary file throws it away.
//
// Deterministic: the same input gives the same bytes (no clock, no random ids; CreDtTm is an input).
// Two-space indentation, LF line ends, a final newline. Valid against the pain.001.001.09 schema
// (test/fixtures/xsd/, checked in test/unit/bank-pain001.test.ts).
import { type Money, CURRENCY } from '../../domain/money.ts';
import { ChunkBuffer, encodeUtf8 } from './chunks.ts';
import { BankFileError } from './errors.ts';
import { checkAccount, checkAmount, checkBank, checkDate, checkDateTime, checkDeclaredCount, checkIban, checkOptionalText, checkText } from './fields.ts';
import { isValidPayoutReference } from './payout-reference.ts';
import { DeclaredTotalsCheck } from './totals.ts';
import type { BankIdentification, BankPayout, DeclaredTotals, PayoutSource, WriterOptions } from './types.ts';
import { escapeXml } from './xml-escape.ts';

export const PAIN001_NAMESPACE = 'urn:iso:std:iso:20022:tech:xsd:pain.001.001.09';

export type ChargeBearer = 'DEBT' | 'CRED' | 'SHAR' | 'SLEV';

export interface Pain001Header {
  /** GrpHdr/MsgId: unique per file for the bank (banks refuse a repeated one), 1-35 of A-Z a-z 0-9 "-". */
  messageId: string;
  /** GrpHdr/CreDtTm, with offset, e.g. "2025-09-01T09:30:00+08:00". An input, so re-exports are identical. */
  createdAt: string;
  /** GrpHdr/InitgPty: usually the programme's organisation; `id` is the customer number the bank gave it. */
  initiatingParty: { name: string; id?: string };
  /** PmtInf/PmtInfId, same character rules as messageId. */
  paymentInfoId: string;
  /** PmtInf/ReqdExctnDt/Dt, "YYYY-MM-DD". */
  requestedExecutionDate: string;
  /** The programme's account the payouts are paid from. */
  debtor: {
    name: string;
    /** Account number: written as Othr/Id (Chinese accounts have no IBAN) unless `accountScheme` is "iban". */
    account: string;
    accountScheme?: 'othr' | 'iban';
    /** The debtor's bank: BIC, clearing member id (e.g. CNAPS code) and/or name. Required. */
    agent: BankIdentification;
  };
  /** PmtInf/BtchBookg: true asks for one debit of the whole batch on the programme's statement. Omitted when undefined. */
  batchBooking?: boolean;
  /** PmtInf/ChrgBr. Omitted when undefined. */
  chargeBearer?: ChargeBearer;
  /** Default remittance text (RmtInf/Ustrd) for payouts without their own, e.g. "助学金 2025-2026 第1期". */
  remittanceInfo?: string;
  /** NbOfTxs and CtrlSum, declared by the caller and verified while streaming. */
  totals: DeclaredTotals;
}

interface CheckedHeader {
  xml: string;
  count: number;
  sum: Money;
  remittanceInfo: string | undefined;
}

const IDENTIFIER = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,33}[A-Za-z0-9])?$/;

function checkIdentifier(value: unknown, field: string): string {
  if (typeof value !== 'string' || !IDENTIFIER.test(value)) {
    throw new BankFileError(`${JSON.stringify(value)} must be 1-35 of A-Z a-z 0-9 and inner "-"`, { field });
  }
  return value;
}

/** `<name>text</name>` with the text escaped. */
function el(name: string, text: string): string {
  return `<${name}>${escapeXml(text)}</${name}>`;
}

/** FinInstnId content, in schema order: BICFI, ClrSysMmbId, Nm. */
function agentXml(bank: BankIdentification, pad: string): string {
  let xml = `${pad}<FinInstnId>\n`;
  if (bank.bic !== undefined) xml += `${pad}  ${el('BICFI', bank.bic)}\n`;
  if (bank.clearingMemberId !== undefined) {
    xml += `${pad}  <ClrSysMmbId>\n`;
    if (bank.clearingSystem !== undefined) xml += `${pad}    <ClrSysId>\n${pad}      ${el('Cd', bank.clearingSystem)}\n${pad}    </ClrSysId>\n`;
    xml += `${pad}    ${el('MmbId', bank.clearingMemberId)}\n${pad}  </ClrSysMmbId>\n`;
  }
  if (bank.name !== undefined) xml += `${pad}  ${el('Nm', bank.name)}\n`;
  return `${xml}${pad}</FinInstnId>\n`;
}

function checkHeader(header: Pain001Header): CheckedHeader {
  if (header === null || typeof header !== 'object') throw new BankFileError('the header is missing');
  const messageId = checkIdentifier(header.messageId, 'header.messageId');
  const createdAt = checkDateTime(header.createdAt, { field: 'header.createdAt' });
  const initiatorName = checkText(header.initiatingParty?.name, 140, { field: 'header.initiatingParty.name' });
  const initiatorId = checkOptionalText(header.initiatingParty?.id, 35, { field: 'header.initiatingParty.id' });
  const paymentInfoId = checkIdentifier(header.paymentInfoId, 'header.paymentInfoId');
  const executionDate = checkDate(header.requestedExecutionDate, { field: 'header.requestedExecutionDate' });
  const debtor = header.debtor;
  if (debtor === null || typeof debtor !== 'object') throw new BankFileError('the debtor is missing', { field: 'header.debtor' });
  const debtorName = checkText(debtor.name, 140, { field: 'header.debtor.name' });
  const scheme = debtor.accountScheme ?? 'othr';
  if (scheme !== 'othr' && scheme !== 'iban')
    throw new BankFileError(`unknown account scheme ${JSON.stringify(scheme)}`, { field: 'header.debtor.accountScheme' });
  const debtorAccount =
    scheme === 'iban' ? checkIban(debtor.account, { field: 'header.debtor.account' }) : checkAccount(debtor.account, { field: 'header.debtor.account' });
  if (debtor.agent === undefined) throw new BankFileError("the debtor agent (the programme account's bank) is required", { field: 'header.debtor.agent' });
  const agent = checkBank(debtor.agent, { field: 'header.debtor.agent' }) as BankIdentification;
  if (header.batchBooking !== undefined && typeof header.batchBooking !== 'boolean') {
    throw new BankFileError('batchBooking must be true, false or left out', { field: 'header.batchBooking' });
  }
  if (header.chargeBearer !== undefined && !['DEBT', 'CRED', 'SHAR', 'SLEV'].includes(header.chargeBearer)) {
    throw new BankFileError(`charge bearer ${JSON.stringify(header.chargeBearer)} is not DEBT, CRED, SHAR or SLEV`, { field: 'header.chargeBearer' });
  }
  const remittanceInfo = checkOptionalText(header.remittanceInfo, 140, { field: 'header.remittanceInfo' });
  const count = checkDeclaredCount(header.totals?.count, { field: 'header.totals.count' });
  const sum = checkAmount(header.totals?.controlSum, { field: 'header.totals.controlSum' });

  const nbOfTxs = String(count);
  const ctrlSum = sum.text;
  const debtorAccountXml =
    scheme === 'iban' ? `          ${el('IBAN', debtorAccount)}\n` : `          <Othr>\n            ${el('Id', debtorAccount)}\n          </Othr>\n`;
  const xml =
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<Document xmlns="${PAIN001_NAMESPACE}">\n` +
    '  <CstmrCdtTrfInitn>\n' +
    '    <GrpHdr>\n' +
    `      ${el('MsgId', messageId)}\n` +
    `      ${el('CreDtTm', createdAt)}\n` +
    `      ${el('NbOfTxs', nbOfTxs)}\n` +
    `      ${el('CtrlSum', ctrlSum)}\n` +
    '      <InitgPty>\n' +
    `        ${el('Nm', initiatorName)}\n` +
    (initiatorId === undefined
      ? ''
      : `        <Id>\n          <OrgId>\n            <Othr>\n              ${el('Id', initiatorId)}\n            </Othr>\n          </OrgId>\n        </Id>\n`) +
    '      </InitgPty>\n' +
    '    </GrpHdr>\n' +
    '    <PmtInf>\n' +
    `      ${el('PmtInfId', paymentInfoId)}\n` +
    '      <PmtMtd>TRF</PmtMtd>\n' +
    (header.batchBooking === undefined ? '' : `      <BtchBookg>${header.batchBooking ? 'true' : 'false'}</BtchBookg>\n`) +
    `      ${el('NbOfTxs', nbOfTxs)}\n` +
    `      ${el('CtrlSum', ctrlSum)}\n` +
    '      <ReqdExctnDt>\n' +
    `        ${el('Dt', executionDate)}\n` +
    '      </ReqdExctnDt>\n' +
    '      <Dbtr>\n' +
    `        ${el('Nm', debtorName)}\n` +
    '      </Dbtr>\n' +
    '      <DbtrAcct>\n' +
    '        <Id>\n' +
    debtorAccountXml +
    '        </Id>\n' +
    `        ${el('Ccy', CURRENCY)}\n` +
    '      </DbtrAcct>\n' +
    '      <DbtrAgt>\n' +
    agentXml(agent, '        ') +
    '      </DbtrAgt>\n' +
    (header.chargeBearer === undefined ? '' : `      ${el('ChrgBr', header.chargeBearer)}\n`);
  return { xml, count, sum: sum.value, remittanceInfo };
}

const CLOSING = '    </PmtInf>\n  </CstmrCdtTrfInitn>\n</Document>\n';

/** One CdtTrfTxInf, after checking every field of the payout and counting it. */
function transactionXml(payout: BankPayout, totals: DeclaredTotalsCheck, defaultRemittance: string | undefined): string {
  const index = totals.nextIndex;
  if (payout === null || typeof payout !== 'object') throw new BankFileError('the payout is not an object', { index });
  const reference = payout.reference;
  if (!isValidPayoutReference(reference)) {
    throw new BankFileError(`reference ${JSON.stringify(reference)} must be 1-35 of A-Z a-z 0-9 and inner "-"`, { index, field: 'reference' });
  }
  const where = (field: string) => ({ index, reference, field });
  const amount = checkAmount(payout.amount, where('amount'));
  const name = checkText(payout.payeeName, 140, where('payeeName'), 'name');
  const account = checkAccount(payout.payeeAccount, where('payeeAccount'));
  const bank = checkBank(payout.payeeBank, where('payeeBank'));
  const remittance = checkOptionalText(payout.remittanceInfo, 140, where('remittanceInfo')) ?? defaultRemittance;
  totals.add(reference, amount.value);

  return (
    '      <CdtTrfTxInf>\n' +
    '        <PmtId>\n' +
    `          ${el('EndToEndId', reference)}\n` +
    '        </PmtId>\n' +
    '        <Amt>\n' +
    `          <InstdAmt Ccy="${CURRENCY}">${amount.text}</InstdAmt>\n` +
    '        </Amt>\n' +
    (bank === undefined ? '' : `        <CdtrAgt>\n${agentXml(bank, '          ')}        </CdtrAgt>\n`) +
    '        <Cdtr>\n' +
    `          ${el('Nm', name)}\n` +
    '        </Cdtr>\n' +
    '        <CdtrAcct>\n' +
    '          <Id>\n' +
    '            <Othr>\n' +
    `              ${el('Id', account)}\n` +
    '            </Othr>\n' +
    '          </Id>\n' +
    '        </CdtrAcct>\n' +
    (remittance === undefined ? '' : `        <RmtInf>\n          ${el('Ustrd', remittance)}\n        </RmtInf>\n`) +
    '      </CdtTrfTxInf>\n'
  );
}

/**
 * Writes the pain.001.001.09 message for `payouts`, as UTF-8 chunks. Lazy: nothing is checked or
 * read until the first chunk is asked for. Throws BankFileError for a bad header, a bad payout, a
 * repeated reference (unless `checkUniqueReferences` is false), or payouts that do not match
 * `header.totals`; in every case before the closing tags were handed out.
 */
export async function* writePain001(header: Pain001Header, payouts: PayoutSource, options: WriterOptions = {}): AsyncGenerator<Uint8Array, void, undefined> {
  const checked = checkHeader(header);
  const totals = new DeclaredTotalsCheck(checked.count, checked.sum, options.checkUniqueReferences ?? true);
  const out = new ChunkBuffer(encodeUtf8, options.chunkChars);
  out.push(checked.xml);
  for await (const payout of payouts) {
    out.push(transactionXml(payout, totals, checked.remittanceInfo));
    if (out.full) yield out.take() as Uint8Array;
  }
  totals.finish();
  out.push(CLOSING);
  yield out.take() as Uint8Array;
}
