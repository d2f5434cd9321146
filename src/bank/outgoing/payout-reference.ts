// Payout references: the id that travels to the bank and back (pain.001 EndToEndId, the 备注 column
// of a 代发 CSV, camt.054 TxDtls/Refs/EndToEndId), so each line of the bank's answer finds its payout.
//
// ISO 20022 allows up to 35 characters for EndToEndId, and SEPA's restricted set adds / - ? : ( ) . , ' +
// and space to letters and digits. Chinese banks' systems are less forgiving (some drop punctuation,
// some upper-case everything, some reject a leading "-" as a formula in their spreadsheet import), so
// the references made here use only A-Z, 0-9 and "-", never start or end with "-", and are upper
// case, so a bank that upper-cases them returns them unchanged.
//
// Form: `<batch code>-<sequence>`, the sequence zero-padded to a fixed width (default 6 digits).
// Unique by construction: within a batch the sequence differs; across batches the batch code differs;
// and the split is unambiguous because the sequence is digits only, so the last "-" separates the two.

/** ISO 20022 Max35Text: EndToEndId, MsgId and PmtInfId are at most 35 characters. */
export const MAX_REFERENCE_LENGTH = 35;

export const DEFAULT_SEQUENCE_WIDTH = 6;

/**
 * What `isValidPayoutReference` accepts: 1 to 35 of A-Z a-z 0-9 "-", neither first nor last "-".
 * Lower case is accepted (a reference made elsewhere may have it), but `makePayoutReference` never
 * produces it.
 */
const REFERENCE = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,33}[A-Za-z0-9])?$/;

/** A batch code: upper-case letters, digits and inner hyphens, e.g. "QS2025T1-0007". */
const BATCH_CODE = /^[A-Z0-9](?:[A-Z0-9-]*[A-Z0-9])?$/;

export function isValidPayoutReference(value: unknown): value is string {
  return typeof value === 'string' && REFERENCE.test(value);
}

export function isValidBatchCode(value: unknown): value is string {
  return typeof value === 'string' && BATCH_CODE.test(value);
}

/**
 * The reference of the `sequence`-th payout (1-based) of the batch `batchCode`.
 * Throws a RangeError when the batch code is malformed, the sequence is not a positive integer below
 * 10^width (a wider number would break the sort order and the fixed width), or the result would be
 * longer than 35 characters: all three are programming errors, not bad data.
 */
export function makePayoutReference(batchCode: string, sequence: number, width: number = DEFAULT_SEQUENCE_WIDTH): string {
  if (!isValidBatchCode(batchCode)) {
    throw new RangeError(`batch code ${JSON.stringify(batchCode)} must be A-Z, 0-9 and inner "-"`);
  }
  if (!Number.isInteger(width) || width < 1 || width > 15) throw new RangeError(`sequence width ${width} must be 1..15`);
  if (!Number.isSafeInteger(sequence) || sequence < 1 || sequence >= 10 ** width) {
    throw new RangeError(`sequence ${sequence} must be an integer from 1 to ${10 ** width - 1}`);
  }
  const reference = `${batchCode}-${String(sequence).padStart(width, '0')}`;
  if (reference.length > MAX_REFERENCE_LENGTH) {
    throw new RangeError(
      `reference ${reference} is longer than ${MAX_REFERENCE_LENGTH} characters; ` +
        `batch codes may have at most ${MAX_REFERENCE_LENGTH - 1 - width} characters`,
    );
  }
  return reference;
}

/**
 * Splits a reference made by `makePayoutReference` back into batch code and sequence, or undefined
 * when it is not of that form (e.g. a bank line carrying someone else's reference). `width` must be
 * the one the references were made with: a last part of any other length is not ours.
 */
export function parsePayoutReference(reference: string, width: number = DEFAULT_SEQUENCE_WIDTH): { batchCode: string; sequence: number } | undefined {
  if (!isValidPayoutReference(reference)) return undefined;
  const dash = reference.lastIndexOf('-');
  if (dash <= 0) return undefined;
  const batchCode = reference.slice(0, dash);
  const digits = reference.slice(dash + 1);
  if (!isValidBatchCode(batchCode) || digits.length !== width || !/^\d+$/.test(digits)) return undefined;
  const sequence = Number(digits);
  return sequence >= 1 ? { batchCode, sequence } : undefined;
}
