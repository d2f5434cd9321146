// The records a camt.053 / camt.054 file yields. Shapes only; no behaviour.
// Money is always the string the bank wrote ("8.850" stays "8.850"): the reader must not round,
// and a later Decimal can be made from it exactly. Dates are calendar dates "YYYY-MM-DD"; when the
// bank wrote a date-time the original text is kept beside it.

export type CamtMessageType = 'camt.053' | 'camt.054';
export type CreditDebit = 'CRDT' | 'DBIT';

/** GrpHdr: one per message. */
export interface CamtHeaderEvent {
  type: 'header';
  messageType: CamtMessageType;
  /** "001.02", "001.08", ... taken from the namespace. */
  version: string;
  messageId: string;
  /** GrpHdr/CreDtTm as written. */
  createdAt: string;
  /** GrpHdr/MsgPgntn: a statement split over several messages (pages), when the bank paginates. */
  page?: CamtPage;
}

/** Pagination (MsgPgntn, StmtPgntn): the page's number and whether it is the last one. */
export interface CamtPage {
  number: number;
  last: boolean;
}

export interface CamtBalance {
  /** Tp/CdOrPrtry/Cd (OPBD, CLBD, ...) or, failing that, Tp/CdOrPrtry/Prtry. */
  type: string;
  amount: string;
  currency: string;
  creditDebit: CreditDebit;
  date: string;
  /** Dt/DtTm as written, when the bank gave a time. */
  dateTime?: string;
}

/**
 * Stmt (camt.053) or Ntfctn (camt.054) without its entries. Emitted once its leading part
 * (identification, account, balances) is complete, i.e. before its first entry.
 */
export interface CamtStatementEvent {
  type: 'statement';
  /** 1-based position in the message. */
  index: number;
  id: string;
  /** Acct/Id/IBAN, or Acct/Id/Othr/Id. */
  account: string;
  accountScheme: 'IBAN' | 'Othr';
  /** Acct/Ccy, null when the bank left it out. */
  currency: string | null;
  accountName?: string;
  createdAt?: string;
  /** ElctrncSeqNb: the bank's running number of the account's electronic statements. */
  electronicSequence?: string;
  /** LglSeqNb: the running number of the legal (paper) statement. */
  legalSequence?: string;
  /** StmtPgntn (camt.053.001.03 and later): a statement split over pages. */
  page?: CamtPage;
  balances: CamtBalance[];
}

/** A party as the reconciliation needs it: who and which account. */
export interface CamtParty {
  name?: string;
  /** IBAN or Othr/Id of the party's account. */
  account?: string;
}

/** One NtryDtls/TxDtls: a batch entry carries several, each with its own references. */
export interface CamtTransaction {
  endToEndId?: string;
  instructionId?: string;
  transactionId?: string;
  uetr?: string;
  accountServicerReference?: string;
  amount?: string;
  currency?: string;
  creditDebit?: CreditDebit;
  debtor?: CamtParty;
  creditor?: CamtParty;
  /** RmtInf/Ustrd lines. */
  remittanceLines: string[];
  /** RmtInf/Strd/CdtrRefInf/Ref values. */
  creditorReferences: string[];
  /** RtrInf/Rsn/Cd (or Prtry): why a payment came back. */
  returnReason?: string;
  /** RtrInf/AddtlInf lines. */
  returnInfo?: string[];
  /** AddtlTxInf. */
  additionalInfo?: string;
}

export interface CamtEntryEvent {
  type: 'entry';
  statementId: string;
  /** 1-based position inside its statement. */
  index: number;
  /** Line of the <Ntry> start tag, for error reports and audit trails. */
  line: number;
  amount: string;
  currency: string;
  creditDebit: CreditDebit;
  reversal: boolean;
  /** Sts (v2-v4) or Sts/Cd, Sts/Prtry (v8+): BOOK, PDNG, INFO, ... */
  status: string;
  bookingDate: string | null;
  bookingDateTime?: string;
  valueDate: string | null;
  valueDateTime?: string;
  accountServicerReference: string | null;
  entryReference?: string;
  /** Domn/Cd/Fmly/Cd/SubFmlyCd joined by "/", e.g. "PMNT/ICDT/DMCT". */
  bankTransactionCode?: string;
  /** Every TxDtls/Refs/EndToEndId in document order, duplicates kept, as written. */
  endToEndIds: string[];
  /** AddtlNtryInf. */
  additionalInfo?: string;
  transactions: CamtTransaction[];
}

/** The statement's closing tag: lets a streaming consumer close its per-statement totals. */
export interface CamtStatementEndEvent {
  type: 'statement-end';
  statementId: string;
  entryCount: number;
}

export type CamtEvent = CamtHeaderEvent | CamtStatementEvent | CamtEntryEvent | CamtStatementEndEvent;

/** A whole message collected in memory (collectCamt; ../node/read-camt-file.ts from a path): for small files and tests. */
export interface CamtDocument {
  messageType: CamtMessageType;
  version: string;
  messageId: string;
  createdAt: string;
  records: CamtRecord[];
}

export interface CamtRecord extends Omit<CamtStatementEvent, 'type' | 'index'> {
  entries: Omit<CamtEntryEvent, 'type' | 'statementId'>[];
}
