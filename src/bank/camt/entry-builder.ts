// Fills an entry (Ntry) and its transaction details (NtryDtls/TxDtls) from leaf elements,
// addressed by their path relative to Ntry or TxDtls. Versions differ in small ways handled here:
// Sts is text up to v4 and Sts/Cd from v8; a related party's name is Dbtr/Nm up to v4 and
// Dbtr/Pty/Nm (or an agent's Dbtr/Agt/FinInstnId/Nm) from v8.
import { checkAmount, checkBoolean, checkCreditDebit, checkCurrency, checkDate, type Fail } from './checks.ts';
import type { CamtEntryEvent, CamtParty, CamtTransaction, CreditDebit } from './types.ts';
import { isDateTime } from './values.ts';

export interface EntryDraft {
  index: number;
  line: number;
  amount?: string;
  currency?: string;
  creditDebit?: CreditDebit;
  reversal: boolean;
  status?: string;
  bookingDate?: string;
  bookingDateTime?: string;
  valueDate?: string;
  valueDateTime?: string;
  accountServicerReference?: string;
  entryReference?: string;
  domain?: string;
  family?: string;
  subFamily?: string;
  additionalInfo?: string;
  endToEndIds: string[];
  transactions: CamtTransaction[];
}

export function newEntryDraft(index: number, line: number): EntryDraft {
  return { index, line, reversal: false, endToEndIds: [], transactions: [] };
}

export function setEntryField(d: EntryDraft, path: string, text: string, fail: Fail): void {
  switch (path) {
    case 'Amt':
      d.amount = checkAmount(text, fail);
      break;
    case 'CdtDbtInd':
      d.creditDebit = checkCreditDebit(text, fail);
      break;
    case 'RvslInd':
      d.reversal = checkBoolean(text, 'RvslInd', fail);
      break;
    case 'Sts':
    case 'Sts/Cd':
    case 'Sts/Prtry':
      if (text !== '') d.status = text;
      break;
    case 'BookgDt/Dt':
    case 'BookgDt/DtTm':
      d.bookingDate = checkDate(text, path, fail);
      if (isDateTime(text)) d.bookingDateTime = text;
      break;
    case 'ValDt/Dt':
    case 'ValDt/DtTm':
      d.valueDate = checkDate(text, path, fail);
      if (isDateTime(text)) d.valueDateTime = text;
      break;
    case 'AcctSvcrRef':
      d.accountServicerReference = text;
      break;
    case 'NtryRef':
      d.entryReference = text;
      break;
    case 'BkTxCd/Domn/Cd':
      d.domain = text;
      break;
    case 'BkTxCd/Domn/Fmly/Cd':
      d.family = text;
      break;
    case 'BkTxCd/Domn/Fmly/SubFmlyCd':
      d.subFamily = text;
      break;
    case 'AddtlNtryInf':
      d.additionalInfo = text;
      break;
  }
}

export function finishEntry(d: EntryDraft, statementId: string, fail: Fail): CamtEntryEvent {
  if (d.amount === undefined) fail('Ntry has no Amt');
  if (d.currency === undefined) fail('Ntry/Amt has no Ccy attribute');
  if (d.creditDebit === undefined) fail('Ntry has no CdtDbtInd');
  if (d.status === undefined) fail('Ntry has no Sts');
  const entry: CamtEntryEvent = {
    type: 'entry',
    statementId,
    index: d.index,
    line: d.line,
    amount: d.amount,
    currency: d.currency,
    creditDebit: d.creditDebit,
    reversal: d.reversal,
    status: d.status,
    bookingDate: d.bookingDate ?? null,
    valueDate: d.valueDate ?? null,
    accountServicerReference: d.accountServicerReference ?? null,
    endToEndIds: d.endToEndIds,
    transactions: d.transactions,
  };
  if (d.bookingDateTime !== undefined) entry.bookingDateTime = d.bookingDateTime;
  if (d.valueDateTime !== undefined) entry.valueDateTime = d.valueDateTime;
  if (d.entryReference !== undefined) entry.entryReference = d.entryReference;
  if (d.domain !== undefined) entry.bankTransactionCode = [d.domain, d.family, d.subFamily].filter(Boolean).join('/');
  if (d.additionalInfo !== undefined) entry.additionalInfo = d.additionalInfo;
  return entry;
}

export function newTransactionDraft(): CamtTransaction {
  return { remittanceLines: [], creditorReferences: [] };
}

export function setTransactionField(t: CamtTransaction, path: string, text: string, fail: Fail): void {
  switch (path) {
    case 'Refs/EndToEndId':
      t.endToEndId = text;
      break;
    case 'Refs/InstrId':
      t.instructionId = text;
      break;
    case 'Refs/TxId':
      t.transactionId = text;
      break;
    case 'Refs/UETR':
      t.uetr = text;
      break;
    case 'Refs/AcctSvcrRef':
      t.accountServicerReference = text;
      break;
    case 'Amt':
      t.amount = checkAmount(text, fail);
      break;
    // Before v3 the transaction amount only exists inside AmtDtls; TxDtls/Amt wins when both exist.
    case 'AmtDtls/TxAmt/Amt':
      t.amount ??= checkAmount(text, fail);
      break;
    case 'CdtDbtInd':
      t.creditDebit = checkCreditDebit(text, fail);
      break;
    case 'RmtInf/Ustrd':
      t.remittanceLines.push(text);
      break;
    case 'RmtInf/Strd/CdtrRefInf/Ref':
      t.creditorReferences.push(text);
      break;
    case 'RtrInf/Rsn/Cd':
    case 'RtrInf/Rsn/Prtry':
      t.returnReason = text;
      break;
    case 'RtrInf/AddtlInf':
      (t.returnInfo ??= []).push(text);
      break;
    case 'AddtlTxInf':
      t.additionalInfo = text;
      break;
    default:
      setPartyField(t, path, text);
  }
}

/** The currency of TxDtls/Amt (or AmtDtls/TxAmt/Amt), from its Ccy attribute. */
export function setTransactionCurrency(t: CamtTransaction, path: string, ccy: string | undefined, fail: Fail): void {
  if (path === 'Amt' || (path === 'AmtDtls/TxAmt/Amt' && t.currency === undefined)) {
    t.currency = checkCurrency(ccy, `TxDtls/${path}/@Ccy`, fail);
  }
}

const PARTY_NAME = /^RltdPties\/(Dbtr|Cdtr)\/(?:Nm|Pty\/Nm|Agt\/FinInstnId\/Nm)$/;
const PARTY_ACCOUNT = /^RltdPties\/(Dbtr|Cdtr)Acct\/Id\/(?:IBAN|Othr\/Id)$/;

function setPartyField(t: CamtTransaction, path: string, text: string): void {
  if (!path.startsWith('RltdPties/')) return;
  const name = PARTY_NAME.exec(path);
  if (name !== null) {
    partyOf(t, name[1] === 'Dbtr' ? 'debtor' : 'creditor').name = text;
    return;
  }
  const account = PARTY_ACCOUNT.exec(path);
  if (account !== null) partyOf(t, account[1] === 'Dbtr' ? 'debtor' : 'creditor').account = text;
}

function partyOf(t: CamtTransaction, role: 'debtor' | 'creditor'): CamtParty {
  return (t[role] ??= {});
}

/** Adds a finished TxDtls to its entry; its EndToEndId joins the entry's list in document order. */
export function addTransaction(d: EntryDraft, t: CamtTransaction): void {
  d.transactions.push(t);
  if (t.endToEndId !== undefined) d.endToEndIds.push(t.endToEndId);
}
