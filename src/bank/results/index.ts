// Public surface of the bank result readers (camt.054 / camt.053 / 代发 result CSV → result lines).
export { readBankResults } from './read-bank-result-lines.ts';
export { readBankResultFile } from '../node/read-bank-result-file.ts';
export { BankResultFileError } from './errors.ts';
export type * from './types.ts';
