// What the Worker is given (wrangler.toml: bindings, variables and secrets), checked once per
// isolate. Errors name the setting, never its value.
import { z } from 'zod';
import { CheckpointKeyError, fromBase64 } from './checkpoints/ed25519.ts';

/** The Hyperdrive binding: a connection string to the pooled origin database, per request. */
export interface HyperdriveBinding {
  connectionString: string;
}

export interface WorkerEnv {
  HYPERDRIVE: HyperdriveBinding;
  PII_KEYS?: string;
  PII_LOOKUP_KEY?: string;
  CHECKPOINT_SIGNING_KEY?: string;
  LOG_LEVEL?: string;
}

const settings = z.object({
  PII_KEYS: z.string().min(1, 'PII_KEYS is required (wrangler secret put PII_KEYS)'),
  PII_LOOKUP_KEY: z.string().min(1, 'PII_LOOKUP_KEY is required (wrangler secret put PII_LOOKUP_KEY)'),
  CHECKPOINT_SIGNING_KEY: z.string().min(1, 'CHECKPOINT_SIGNING_KEY is required (wrangler secret put CHECKPOINT_SIGNING_KEY)'),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
});

export type WorkerSettings = z.infer<typeof settings> & { checkpointSeed: Uint8Array };

export class WorkerConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WorkerConfigError';
  }
}

export function workerSettings(env: WorkerEnv): WorkerSettings {
  const parsed = settings.safeParse({
    PII_KEYS: env.PII_KEYS ?? '',
    PII_LOOKUP_KEY: env.PII_LOOKUP_KEY ?? '',
    CHECKPOINT_SIGNING_KEY: env.CHECKPOINT_SIGNING_KEY ?? '',
    LOG_LEVEL: env.LOG_LEVEL || undefined,
  });
  if (!parsed.success) throw new WorkerConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  if (!env.HYPERDRIVE?.connectionString) throw new WorkerConfigError('HYPERDRIVE: no Hyperdrive binding (wrangler.toml [[hyperdrive]])');
  const seed = fromBase64(parsed.data.CHECKPOINT_SIGNING_KEY.trim());
  if (seed.length !== 32) throw new CheckpointKeyError(`CHECKPOINT_SIGNING_KEY must be 32 bytes in base64 (an Ed25519 seed); it has ${seed.length}`);
  return { ...parsed.data, checkpointSeed: seed };
}
