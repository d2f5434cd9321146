// Configures this Node process to seal its ledger appends, with the key derived from the checkpoint
// signing seed wherever that comes from (CHECKPOINT_SIGNING_KEY, or the key file beside the
// embedded data). The service, the process that prepares a new data directory and the CLIs that
// append or verify seals call it; a CheckpointKeyError says what to configure.
import { type CheckpointKeyConfig, resolveCheckpointSeed } from '../checkpoints/key-source-node.ts';
import { type SealKey, configureLedgerSeal, deriveSealKey } from './seal-key.ts';

export async function resolveLedgerSealKey(config: CheckpointKeyConfig): Promise<SealKey> {
  return deriveSealKey(await resolveCheckpointSeed(config));
}

export async function sealLedgerAppends(config: CheckpointKeyConfig): Promise<SealKey> {
  const key = await resolveLedgerSealKey(config);
  configureLedgerSeal(key);
  return key;
}
