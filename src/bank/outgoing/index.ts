// Public surface of the bank-file writers: pain.001.001.09 XML and the 代发 CSV, payout references.
// Putting the chunks in a file or a Buffer, with their SHA-256, is Node's business:
// ../node/write-bank-file.ts, imported from its own path.
export { writePain001, PAIN001_NAMESPACE, type Pain001Header, type ChargeBearer } from './pain001.ts';
export { writeDaifaCsv, type DaifaCsvBatch, type DaifaCsvEncoding, type DaifaCsvOptions } from './daifa-csv.ts';
export {
  DEFAULT_SEQUENCE_WIDTH,
  MAX_REFERENCE_LENGTH,
  isValidBatchCode,
  isValidPayoutReference,
  makePayoutReference,
  parsePayoutReference,
} from './payout-reference.ts';
export { totalsOf } from './totals.ts';
export { BankFileError, type BankFileErrorLocation } from './errors.ts';
export type * from './types.ts';
