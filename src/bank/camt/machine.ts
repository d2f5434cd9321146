// The SAX-to-events state machine: turns open/text/close callbacks into CamtEvents, holding only
// the element stack and the record being built, so memory stays flat however long the file is.
//
// Each element gets a path relative to the nearest "scope" element (GrpHdr, Stmt/Ntfctn, Bal,
// Ntry, TxDtls): inside Ntry the booking date is "BookgDt/Dt", inside TxDtls the reference is
// "Refs/EndToEndId". Builders map those paths to fields, so the same local name in different
// places (Acct/Id/Othr/Id vs Acct/Ownr/Id/OrgId/Othr/Id) can never be confused.
import { CamtFormatError } from './errors.ts';
import { checkCurrency, type Fail } from './checks.ts';
import {
  addTransaction,
  finishEntry,
  newEntryDraft,
  newTransactionDraft,
  setEntryField,
  setTransactionCurrency,
  setTransactionField,
  type EntryDraft,
} from './entry-builder.ts';
import { messageKindOf, type CamtMessageKind } from './message-kind.ts';
import {
  checkIndicator,
  checkPageNumber,
  finishBalance,
  finishStatement,
  newStatementDraft,
  pageOf,
  setBalanceField,
  setStatementField,
  type BalanceDraft,
  type StatementDraft,
} from './statement-builder.ts';
import type { CamtEvent, CamtHeaderEvent, CamtTransaction } from './types.ts';
import { calendarDateOf } from './values.ts';

type ScopeKind = 'header' | 'statement' | 'balance' | 'entry' | 'transaction' | 'skip';

interface Scope {
  kind: ScopeKind;
  /** Depth (0 = Document) of the element that opened the scope. */
  depth: number;
}

export interface Position {
  line: number;
  column: number;
}

export class CamtMachine {
  /** Events produced since the caller last drained them. */
  readonly events: CamtEvent[] = [];

  private kind: CamtMessageKind | undefined;
  private namespace = '';
  private depth = 0;
  private lastOpenDepth = -1;
  private readonly paths: string[] = [];
  private readonly scopes: Scope[] = [];
  private text = '';

  private messageId: string | undefined;
  private createdAt: string | undefined;
  private pageNumber: number | undefined;
  private lastPage: boolean | undefined;
  private headerDone = false;
  private statementCount = 0;
  private statement: StatementDraft | undefined;
  private balance: BalanceDraft | undefined;
  private entry: EntryDraft | undefined;
  private transaction: CamtTransaction | undefined;

  constructor(private readonly position: () => Position) {}

  open(local: string, uri: string, attributes: Readonly<Record<string, string>>): void {
    const depth = this.depth;
    this.text = '';
    this.lastOpenDepth = depth;
    this.depth = depth + 1;
    if (depth <= 2) {
      this.openTopLevel(depth, local, uri);
      return;
    }
    const scope = this.scopes[this.scopes.length - 1] as Scope;
    if (scope.kind === 'skip') {
      this.paths[depth] = '';
      return;
    }
    // An element of another namespace (e.g. inside SplmtryData/Envlp) must never match a path.
    const name = uri === this.namespace ? local : `{${uri}}${local}`;
    const path = depth - 1 === scope.depth ? name : `${this.paths[depth - 1]}/${name}`;
    this.paths[depth] = path;

    switch (scope.kind) {
      case 'statement':
        if (path === 'Bal') this.enter('balance', depth, () => (this.balance = {}));
        else if (path === 'Ntry') this.enter('entry', depth, () => this.startEntry());
        break;
      case 'balance':
        if (path === 'Amt') (this.balance as BalanceDraft).currency = checkCurrency(attributes.Ccy, 'Bal/Amt/@Ccy', this.fail);
        break;
      case 'entry':
        if (path === 'NtryDtls/TxDtls') this.enter('transaction', depth, () => (this.transaction = newTransactionDraft()));
        else if (path === 'Amt') (this.entry as EntryDraft).currency = checkCurrency(attributes.Ccy, 'Ntry/Amt/@Ccy', this.fail);
        break;
      case 'transaction':
        if (path === 'Amt' || path === 'AmtDtls/TxAmt/Amt') {
          setTransactionCurrency(this.transaction as CamtTransaction, path, attributes.Ccy, this.fail);
        }
        break;
    }
  }

  onText(text: string): void {
    this.text += text;
  }

  close(): void {
    const depth = this.depth - 1;
    const isLeaf = this.lastOpenDepth === depth;
    const text = this.text.trim();
    this.text = '';
    const scope = this.scopes[this.scopes.length - 1];
    if (scope !== undefined && scope.depth === depth) {
      // Leave before popping, so an error while finishing the record still names it.
      this.leave(scope.kind);
      this.scopes.pop();
    } else if (isLeaf && scope !== undefined && scope.kind !== 'skip') {
      this.leaf(scope.kind, this.paths[depth] as string, text);
    }
    this.depth = depth;
  }

  /** Called after the last chunk: the checks that need the whole document. */
  finish(): void {
    if (this.kind === undefined) throw new CamtFormatError('the document has no root element');
    if (!this.headerDone) throw new CamtFormatError(`${this.kind.messageElement} has no group header (GrpHdr)`);
    if (this.statementCount === 0) {
      const what = this.kind.recordElement === 'Stmt' ? 'statement (Stmt)' : 'notification (Ntfctn)';
      throw new CamtFormatError(
        `${this.kind.messageElement} "${this.messageId ?? ''}" has a group header but no ${what}; an empty message is not a valid ${this.kind.messageType}`,
      );
    }
  }

  /** Throws a CamtFormatError naming where in the file the reader is. */
  readonly fail: Fail = (message: string): never => {
    const { line, column } = this.position();
    throw new CamtFormatError(message, { line, column, element: this.where() });
  };

  private openTopLevel(depth: number, local: string, uri: string): void {
    if (depth === 0) {
      const kind = messageKindOf(uri);
      if (local !== 'Document') this.fail(`the root element is <${local}>, expected an ISO 20022 <Document>`);
      if (kind === undefined) {
        this.fail(`the Document namespace "${uri}" is not camt.053 or camt.054 (urn:iso:std:iso:20022:tech:xsd:camt.053.001.NN)`);
      }
      this.kind = kind;
      this.namespace = uri;
      return;
    }
    const kind = this.kind as CamtMessageKind;
    if (uri !== this.namespace) this.fail(`<${local}> in namespace "${uri}" where ${kind.messageElement} was expected`);
    if (depth === 1) {
      if (local !== kind.messageElement) this.fail(`<${local}> under Document, expected ${kind.messageElement} for ${kind.messageType}`);
      return;
    }
    if (local === 'GrpHdr') {
      this.enter('header', depth, () => undefined);
    } else if (local === kind.recordElement) {
      if (!this.headerDone) this.fail(`${local} comes before any group header (GrpHdr)`);
      this.enter('statement', depth, () => (this.statement = newStatementDraft(++this.statementCount)));
    } else {
      this.enter('skip', depth, () => undefined);
    }
  }

  private enter(kind: ScopeKind, depth: number, start: () => unknown): void {
    this.scopes.push({ kind, depth });
    this.paths[depth] = '';
    start();
  }

  private startEntry(): void {
    const statement = this.statement as StatementDraft;
    this.emitStatementOnce(statement);
    this.entry = newEntryDraft(++statement.entryCount, this.position().line);
  }

  private emitStatementOnce(statement: StatementDraft): void {
    if (statement.emitted) return;
    statement.emitted = true;
    this.events.push(finishStatement(statement, (this.kind as CamtMessageKind).recordElement, this.fail));
  }

  private leaf(kind: ScopeKind, path: string, text: string): void {
    switch (kind) {
      case 'header':
        if (path === 'MsgId') this.messageId = text;
        else if (path === 'CreDtTm') this.createdAt = text;
        else if (path === 'MsgPgntn/PgNb') this.pageNumber = checkPageNumber(text, 'GrpHdr/MsgPgntn/PgNb', this.fail);
        else if (path === 'MsgPgntn/LastPgInd') this.lastPage = checkIndicator(text, 'GrpHdr/MsgPgntn/LastPgInd', this.fail);
        break;
      case 'statement':
        setStatementField(this.statement as StatementDraft, path, text, this.fail);
        break;
      case 'balance':
        setBalanceField(this.balance as BalanceDraft, path, text, this.fail);
        break;
      case 'entry':
        setEntryField(this.entry as EntryDraft, path, text, this.fail);
        break;
      case 'transaction':
        setTransactionField(this.transaction as CamtTransaction, path, text, this.fail);
        break;
    }
  }

  private leave(kind: ScopeKind): void {
    switch (kind) {
      case 'header': {
        const kindInfo = this.kind as CamtMessageKind;
        if (!this.messageId) this.fail('GrpHdr has no MsgId');
        if (!this.createdAt) this.fail('GrpHdr has no CreDtTm');
        if (calendarDateOf(this.createdAt) === undefined) this.fail(`GrpHdr/CreDtTm "${this.createdAt}" is not an ISO date-time`);
        if (this.headerDone) this.fail('a second GrpHdr');
        this.headerDone = true;
        const header: CamtHeaderEvent = {
          type: 'header',
          messageType: kindInfo.messageType,
          version: kindInfo.version,
          messageId: this.messageId,
          createdAt: this.createdAt,
        };
        const page = pageOf(this.pageNumber, this.lastPage);
        if (page !== undefined) header.page = page;
        this.events.push(header);
        break;
      }
      case 'statement': {
        const statement = this.statement as StatementDraft;
        this.emitStatementOnce(statement);
        this.events.push({ type: 'statement-end', statementId: statement.id as string, entryCount: statement.entryCount });
        this.statement = undefined;
        break;
      }
      case 'balance': {
        const statement = this.statement as StatementDraft;
        if (statement.emitted) this.fail('Bal after the first Ntry (balances must precede entries)');
        statement.balances.push(finishBalance(this.balance as BalanceDraft, this.fail));
        this.balance = undefined;
        break;
      }
      case 'entry': {
        const statementId = (this.statement as StatementDraft).id as string;
        this.events.push(finishEntry(this.entry as EntryDraft, statementId, this.fail));
        this.entry = undefined;
        break;
      }
      case 'transaction':
        addTransaction(this.entry as EntryDraft, this.transaction as CamtTransaction);
        this.transaction = undefined;
        break;
      case 'skip':
        break;
    }
  }

  /** "Stmt[2]/Ntry[15]/Amt"-style location of the element being read, for error messages. */
  private where(): string | undefined {
    const kind = this.kind;
    if (kind === undefined) return undefined;
    const parts: string[] = [kind.messageElement];
    const statement = this.statement;
    for (const scope of this.scopes) {
      if (scope.kind === 'header') parts.push('GrpHdr');
      else if (scope.kind === 'statement' && statement !== undefined) parts.push(`${kind.recordElement}[${statement.index}]`);
      else if (scope.kind === 'balance' && statement !== undefined) parts.push(`Bal[${statement.balances.length + 1}]`);
      else if (scope.kind === 'entry' && statement !== undefined) parts.push(`Ntry[${statement.entryCount}]`);
      else if (scope.kind === 'transaction' && this.entry !== undefined) parts.push(`TxDtls[${this.entry.transactions.length + 1}]`);
    }
    const inner = this.paths[this.depth - 1];
    if (inner) parts.push(inner);
    return parts.join('/');
  }
}
