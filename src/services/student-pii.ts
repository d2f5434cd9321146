// A student's personal data on its way into the database: one normal form per value, then a keyed
// hash (exact lookup), a sealed copy (AES-GCM, for the unmask endpoint) and a masked form (what
// everyone else sees). The clear value is never stored.
import { maskBankAccount, maskChineseName, maskIdentityNumber, maskPhone } from '../domain/masking.ts';
import type { PiiVault } from '../privacy/pii-vault.ts';

export interface Protected {
  hash: string;
  sealed: string;
  masked: string;
}

/**
 * The form a name is compared and hashed in: Unicode NFC, no whitespace at all. Lists typed by
 * counties write 张 三 and 张三 for the same person; minority names keep their middle dot (·).
 */
export function normaliseName(name: string): string {
  return name.normalize('NFC').replace(/\s+/gu, '');
}

/** Account numbers arrive grouped in fours from passbooks; only the digits count. */
export function normaliseAccountNumber(text: string): string {
  return text.replace(/[\s-]/g, '');
}

/** Phone numbers lose their separators; a +86/0086 prefix is kept as typed (masking understands it). */
export function normalisePhone(text: string): string {
  return text.replace(/[\s-]/g, '');
}

export const ACCOUNT_NUMBER = /^\d{12,30}$/;
export const PHONE = /^(?:\+|00)?\d{6,20}$/;

/** The identity number, already validated and normalised by parseIdentityNumber. */
export async function protectIdentityNumber(vault: PiiVault, normalised: string): Promise<Protected> {
  return {
    hash: await vault.lookupHash('identity_number', normalised),
    sealed: await vault.seal('identity_number', normalised),
    masked: maskIdentityNumber(normalised),
  };
}

/** Sealed as written (trimmed), so the unmask endpoint shows it as the caseworker typed it; hashed and masked normalised. */
export async function protectName(vault: PiiVault, name: string): Promise<Protected> {
  const normal = normaliseName(name);
  return {
    hash: await nameHash(vault, name),
    sealed: await vault.seal('name', name.trim()),
    masked: maskChineseName(normal),
  };
}

export function nameHash(vault: PiiVault, name: string): Promise<string> {
  return vault.lookupHash('name', normaliseName(name));
}

export async function protectBankAccount(vault: PiiVault, accountNumber: string): Promise<Protected> {
  const normal = normaliseAccountNumber(accountNumber);
  return {
    hash: await vault.lookupHash('bank_account', normal),
    sealed: await vault.seal('bank_account', normal),
    masked: maskBankAccount(normal),
  };
}

/** Phones are never looked up, so no hash: sealed and masked only. */
export async function protectPhone(vault: PiiVault, phone: string): Promise<Omit<Protected, 'hash'>> {
  const normal = normalisePhone(phone);
  return { sealed: await vault.seal('phone', normal), masked: maskPhone(normal) };
}
