// Public surface of the camt reader.
export { readCamt } from './read-camt.ts';
export { collectCamt } from './collect.ts';
export { CamtFormatError } from './errors.ts';
export { calendarDateOf, signedAmount } from './values.ts';
export type * from './types.ts';
