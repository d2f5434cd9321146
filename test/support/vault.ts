// A vault with fixed test keys: never used outside tests.
import { createPiiVault, type PiiVault } from '../../src/privacy/pii-vault.ts';

let vault: Promise<PiiVault> | undefined;

export function testVault(): Promise<PiiVault> {
  vault ??= createPiiVault({
    encryption: [{ id: 'test1', key: new Uint8Array(32).fill(7) }],
    lookup: new Uint8Array(32).fill(9),
  });
  return vault;
}
