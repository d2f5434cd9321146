// The accounts of one programme (DESIGN.md §3) and the side on which each normally carries a balance.
export type AccountKind = 'bank' | 'fund' | 'payable' | 'in_transit';
export type Direction = 'debit' | 'credit';

export type AccountRef = { kind: 'bank' } | { kind: 'fund' } | { kind: 'in_transit' } | { kind: 'payable'; grantId: string };

/** `bank` is an asset (debit-normal); the others are what the programme owes (credit-normal). */
export function normalSide(kind: AccountKind): Direction {
  return kind === 'bank' ? 'debit' : 'credit';
}

/**
 * Accounts whose balance may never go below zero: no grant beyond the money received (`fund`),
 * no payout beyond its grant (`payable`), no settlement of what was not sent (`in_transit`).
 * The database enforces the same list (migration `ledger_rules`).
 */
export function mustStayNonNegative(kind: AccountKind): boolean {
  return kind !== 'bank';
}

export function accountCode(ref: AccountRef): string {
  return ref.kind === 'payable' ? `payable:${ref.grantId}` : ref.kind;
}

export function parseAccountCode(code: string): AccountRef {
  if (code === 'bank' || code === 'fund' || code === 'in_transit') return { kind: code };
  if (code.startsWith('payable:')) return { kind: 'payable', grantId: code.slice('payable:'.length) };
  throw new Error(`not an account code: ${code}`);
}

/** Accounts every programme has from the day it is created; `payable:<grant>` come with grants. */
export const PROGRAMME_ACCOUNTS: AccountRef[] = [{ kind: 'bank' }, { kind: 'fund' }, { kind: 'in_transit' }];
