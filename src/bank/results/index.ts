// Public surface of the bank result readers (camt.054 / camt.053 / 代发 result CSV → result lines).
// With the file's SHA-256 (Node's crypto), and from a path (Node's fs), they are read by the
// Node-only ../node/read-bank-results.ts and ../node/read-bank-result-file.ts, imported from their
// own paths so that no import of this barrel reaches Node.
export { readBankResultLines } from './read-bank-result-lines.ts';
export { BankResultFileError } from './errors.ts';
export type * from './types.ts';
