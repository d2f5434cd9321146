// Whether a payee can be written to the bank's files at all, asked when a batch is made rather than
// when its file is written: one payee whose name or account no bank file can carry must not stop a
// whole batch at export. Such a payee is held out of the batch with the reason (the batch service
// records it), and is paid by a later batch once the caseworker has corrected the record.
//
// The checks are the writers' own (fields.ts; the 代发 CSV's formula rule), for the formats every
// batch can be exported in: pain.001 and the UTF-8 代发 CSV. A character GBK lacks is not a reason
// to hold: the pain.001 and UTF-8 files carry it, and the GBK export says which payout to write
// another way. The reasons name the field and the kind of problem, never the value.
import { FORMULA_START } from './daifa-csv.ts';
import { ACCOUNT_NUMBER_PATTERN, textProblem } from './fields.ts';

export interface PayeeToCheck {
  name: string;
  account: string;
  bankName: string;
}

export interface PayeeProblem {
  field: 'payeeName' | 'payeeAccount' | 'payeeBank';
  /** In English, as the batch's hold reasons are; no personal data. */
  reason: string;
}

const FIELD_WORDS: Record<PayeeProblem['field'], string> = {
  payeeName: "the payee's name",
  payeeAccount: "the payee's account number",
  payeeBank: "the payee's bank name",
};

function textFieldProblem(value: string, field: PayeeProblem['field']): PayeeProblem | null {
  const problem = textProblem(value, 140);
  if (problem !== null) return { field, reason: `${FIELD_WORDS[field]} ${problem.says}` };
  if (FORMULA_START.test(value)) return { field, reason: `${FIELD_WORDS[field]} starts with =, +, - or @ (read as a formula by the bank's spreadsheet tools)` };
  return null;
}

/** The first thing that keeps this payee out of a bank file, or null when every format can carry it. */
export function payeeProblem(payee: PayeeToCheck): PayeeProblem | null {
  const name = textFieldProblem(payee.name, 'payeeName');
  if (name) return name;
  if (!ACCOUNT_NUMBER_PATTERN.test(payee.account)) {
    return { field: 'payeeAccount', reason: `${FIELD_WORDS.payeeAccount} is not 1-34 digits or letters without spaces` };
  }
  return textFieldProblem(payee.bankName, 'payeeBank');
}

/** The hold reason a batch records for a payee no bank file can carry. */
export function payeeHoldReason(problem: PayeeProblem): string {
  return `bank file cannot carry the payee: ${problem.reason}; correct the student's record`;
}
