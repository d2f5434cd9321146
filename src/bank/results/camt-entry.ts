// One booked camt entry → the payout results it carries. The rules, and why:
//
// - Only BOOK entries are results: PDNG (pending) and INFO entries may still change or never
//   happen, so they are reported in `skipped`, never acted on.
// - A batch-booked entry (one Ntry, several NtryDtls/TxDtls) is one result per TxDtls with that
//   TxDtls' amount: each TxDtls is one payout. When the TxDtls carry no amounts the entry amount
//   cannot be split without guessing, so the entry is skipped — except for a single TxDtls,
//   which is the entry.
// - Direction comes from the entry (Ntry/CdtDbtInd), not from TxDtls/CdtDbtInd: the entry is what
//   was booked on the account, and sample files carry TxDtls indicators that contradict it.
// - DBIT, not a reversal → `debit` (the payout left the account). A DBIT carrying return
//   information (RtrInf) is our return of a payment we had received, not a payout: skipped.
// - Money coming back → `return`: a DBIT with RvslInd (the red-ink reversal of a payment, booked on
//   the side of the payment it cancels), a CRDT with RvslInd (ISO 20022's reading: a reversal
//   booked CRDT cancels an earlier debit), a CRDT whose TxDtls has a return reason (RtrInf), or a
//   CRDT whose TxDtls names an EndToEndId (the payout's reference coming back with the money).
//   Banks differ in which reversal convention they follow; both mean "a payment was undone".
// - Any other CRDT (funding received, interest) is not a payout result: skipped. So is a zero
//   amount, which camt allows and no payout has.
import type { CamtEntryEvent, CamtTransaction } from '../camt/index.ts';
import type { BankResultKind, BankResultLine, SkippedBankLine } from './types.ts';

export interface EntryResults {
  lines: BankResultLine[];
  skipped: SkippedBankLine[];
}

/** ISO 20022's "no reference was given" placeholder for EndToEndId. */
const NOT_PROVIDED = 'NOTPROVIDED';

export function resultsOfEntry(entry: CamtEntryEvent): EntryResults {
  const out: EntryResults = { lines: [], skipped: [] };
  const skip = (why: string): EntryResults => {
    out.skipped.push({ line: entry.line, why });
    return out;
  };
  if (entry.status !== 'BOOK') return skip(`entry status ${entry.status}: not booked, so not a result yet`);

  const transactions = entry.transactions;
  if (transactions.length > 1) {
    const withoutAmount = transactions.filter((t) => t.amount === undefined).length;
    if (withoutAmount > 0) {
      return skip(
        `batch entry of ${entry.amount} ${entry.currency} with ${transactions.length} TxDtls, ${withoutAmount} of them without an amount: the entry cannot be split by payout`,
      );
    }
  }
  // An entry without TxDtls is one result with the entry's amount and no reference.
  const parts: (CamtTransaction | undefined)[] = transactions.length === 0 ? [undefined] : transactions;
  parts.forEach((tx, i) => {
    const where = transactions.length > 1 ? `TxDtls ${i + 1} of ${transactions.length}: ` : '';
    const reference = referenceOf(tx);
    const kind = kindOf(entry, tx, reference);
    if (typeof kind === 'object') {
      out.skipped.push({ line: entry.line, why: where + kind.skip });
      return;
    }
    // The amount is the TxDtls' own (with its currency); the entry's only for a lone TxDtls without one.
    const own = tx?.amount !== undefined && tx.currency !== undefined;
    const amount = own ? (tx.amount as string) : entry.amount;
    const currency = own ? (tx.currency as string) : entry.currency;
    // camt allows 0 (sample files have TxDtls/Amt 0 under a non-zero entry); no payout is zero.
    if (/^0+(?:\.0+)?$/.test(amount)) {
      out.skipped.push({ line: entry.line, why: `${where}amount ${amount} ${currency} is zero: not a payout result` });
      return;
    }
    out.lines.push({
      line: entry.line,
      reference,
      amount,
      currency,
      kind,
      reason: kind === 'debit' ? null : reasonOf(tx),
      bookingDate: entry.bookingDate,
      bankReference: tx?.accountServicerReference ?? entry.accountServicerReference,
      ...payeeOf(tx, kind),
    });
  });
  return out;
}

function kindOf(entry: CamtEntryEvent, tx: CamtTransaction | undefined, reference: string | null): BankResultKind | { skip: string } {
  const returned = tx?.returnReason !== undefined || (tx?.returnInfo?.length ?? 0) > 0;
  if (entry.creditDebit === 'DBIT') {
    if (entry.reversal) return 'return';
    if (returned) return { skip: 'a debit carrying return information (RtrInf): the return of a payment received, not a payout' };
    return 'debit';
  }
  if (entry.reversal || returned || reference !== null) return 'return';
  return { skip: 'a credit without return information or EndToEndId (e.g. funding received), not a payout result' };
}

/**
 * The payee as the entry names it: the creditor of a debit; for money coming back, the party
 * sending it (the debtor) when named, else the creditor (banks repeat the original parties).
 */
function payeeOf(tx: CamtTransaction | undefined, kind: BankResultKind): Pick<BankResultLine, 'counterpartyAccount' | 'counterpartyName'> {
  const party = kind === 'debit' ? tx?.creditor : (tx?.debtor ?? tx?.creditor);
  const account = party?.account?.trim();
  const name = party?.name?.trim();
  return { ...(account ? { counterpartyAccount: account } : {}), ...(name ? { counterpartyName: name } : {}) };
}

function referenceOf(tx: CamtTransaction | undefined): string | null {
  const id = tx?.endToEndId?.trim();
  if (id === undefined || id === '' || id.toUpperCase() === NOT_PROVIDED) return null;
  return id;
}

/** "AC04: account closed", "AC04", or the additional information alone; null when the bank gave none. */
function reasonOf(tx: CamtTransaction | undefined): string | null {
  const code = tx?.returnReason?.trim() || undefined;
  const info =
    (tx?.returnInfo ?? [])
      .map((s) => s.trim())
      .filter((s) => s !== '')
      .join(' ') || undefined;
  if (code !== undefined && info !== undefined) return `${code}: ${info}`;
  return code ?? info ?? null;
}
