// One error type for every reason a bank file cannot be written: a bad header, a bad payout, or
// payouts that do not add up to what the caller declared. Callers (the payouts service, an export
// route) tell "this batch cannot go to the bank as it is" apart from a bug with one instanceof.
//
// Messages never carry a whole account number or name: they end up in logs. The payout is named by
// its position and reference, which identify it without personal data.

export interface BankFileErrorLocation {
  /** 1-based position of the payout in the batch (the CSV's 序号), when the error is about one. */
  index?: number;
  /** The payout's reference (EndToEndId), when known. */
  reference?: string;
  /** Which field, e.g. "payeeAccount" or "header.debtor.agent.bic". */
  field?: string;
}

export class BankFileError extends Error {
  readonly index: number | undefined;
  readonly reference: string | undefined;
  readonly field: string | undefined;

  constructor(message: string, where: BankFileErrorLocation = {}, options?: { cause?: unknown }) {
    const place = [
      where.index !== undefined ? `payout ${where.index}` : undefined,
      where.reference !== undefined ? `reference ${where.reference}` : undefined,
      where.field !== undefined ? `field ${where.field}` : undefined,
    ].filter((p) => p !== undefined);
    super(place.length > 0 ? `bank file: ${message} (${place.join(', ')})` : `bank file: ${message}`, options);
    this.name = 'BankFileError';
    this.index = where.index;
    this.reference = where.reference;
    this.field = where.field;
  }
}
