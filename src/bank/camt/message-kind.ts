// Which message a document is, decided by its namespace alone: the namespace is the only part of
// a camt file that names the schema, and element names are shared between versions.
import type { CamtMessageType } from './types.ts';

export interface CamtMessageKind {
  messageType: CamtMessageType;
  version: string;
  /** The element under Document that holds the message. */
  messageElement: 'BkToCstmrStmt' | 'BkToCstmrDbtCdtNtfctn';
  /** The repeated element holding one account's entries. */
  recordElement: 'Stmt' | 'Ntfctn';
}

const NAMESPACE = /^urn:iso:std:iso:20022:tech:xsd:(camt\.05[34])\.(\d{3}\.\d{2})$/;

/** The message kind for a Document namespace, or undefined if it is not camt.053 / camt.054. */
export function messageKindOf(namespace: string): CamtMessageKind | undefined {
  const m = NAMESPACE.exec(namespace);
  if (m === null) return undefined;
  const version = m[2] ?? '';
  return m[1] === 'camt.053'
    ? { messageType: 'camt.053', version, messageElement: 'BkToCstmrStmt', recordElement: 'Stmt' }
    : { messageType: 'camt.054', version, messageElement: 'BkToCstmrDbtCdtNtfctn', recordElement: 'Ntfctn' };
}
