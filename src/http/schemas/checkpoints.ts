// The signed checkpoints' answer shapes.
import { z } from '@hono/zod-openapi';

const Sha256 = z.string().openapi({ pattern: '^[0-9a-f]{64}$' });

export const CheckpointOut = z
  .object({
    chain: z.enum(['ledger', 'audit']),
    sequence: z.string().openapi({ description: 'The chain’s last sequence number when signed' }),
    headHash: Sha256,
    time: z.string().openapi({ description: 'When it was signed (ISO 8601, UTC)' }),
    keyFingerprint: Sha256.openapi({ description: 'SHA-256 of the raw Ed25519 public key that signed it' }),
    signature: z.string().openapi({ description: 'Ed25519 over the canonical JSON of the other members and "v": 1 (base64)' }),
  })
  .openapi('Checkpoint');

export const CheckpointListOut = z
  .object({
    kept: z.boolean().openapi({ description: 'False where this deployment keeps no checkpoints' }),
    keyFingerprint: Sha256.nullable(),
    latest: z.object({ ledger: CheckpointOut.nullable(), audit: CheckpointOut.nullable() }),
    items: z.array(CheckpointOut.extend({ file: z.string() })),
    unreadableFiles: z.array(z.string()).openapi({ description: 'Files in the checkpoint directory that are not valid checkpoints' }),
  })
  .openapi('CheckpointList');
