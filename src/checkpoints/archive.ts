// The checkpoint files as the rest of the service sees them, whatever keeps them: a directory on
// Node (archive-node.ts); none on Workers, which have no file system (the pages then say so).
import type { CheckpointChain, SignedCheckpoint } from '../domain/checkpoint.ts';

export interface CheckpointFile {
  name: string;
  /** The file's bytes as text, exactly as kept (what an export hands out). */
  text: string;
}

export interface CheckpointArchive {
  /** Where it keeps them, for people (a directory). */
  readonly location: string;
  /** Every file, sorted by name (by chain, then sequence). */
  files(): Promise<CheckpointFile[]>;
  /** Keeps a new checkpoint; false when one of that chain and sequence is kept already (never overwritten). */
  keep(checkpoint: SignedCheckpoint): Promise<boolean>;
  /** The newest kept checkpoint of a chain, or null. */
  latest(chain: CheckpointChain): Promise<SignedCheckpoint | null>;
}
