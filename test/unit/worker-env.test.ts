// The Worker's settings: every secret it needs is named when missing (never its value shown), and
// the checkpoint seed must be an Ed25519 seed, as on Node.
import { describe, expect, it } from 'vitest';
import { CheckpointKeyError } from '../../src/checkpoints/ed25519.ts';
import { WorkerConfigError, workerSettings } from '../../src/worker-env.ts';

const SEED = Buffer.alloc(32, 7).toString('base64');
const complete = { HYPERDRIVE: { connectionString: 'postgresql://u:p@h/db' }, PII_KEYS: 'k1:x', PII_LOOKUP_KEY: 'y', CHECKPOINT_SIGNING_KEY: SEED };

describe('workerSettings', () => {
  it('reads a complete configuration, LOG_LEVEL info by default', () => {
    const settings = workerSettings(complete);
    expect(settings.LOG_LEVEL).toBe('info');
    expect(settings.checkpointSeed).toEqual(new Uint8Array(32).fill(7));
  });

  it('names each missing secret', () => {
    expect(() => workerSettings({ HYPERDRIVE: complete.HYPERDRIVE })).toThrow(
      /PII_KEYS: PII_KEYS is required.*PII_LOOKUP_KEY: PII_LOOKUP_KEY is required.*CHECKPOINT_SIGNING_KEY: CHECKPOINT_SIGNING_KEY is required/,
    );
  });

  it('refuses a configuration without the Hyperdrive binding', () => {
    expect(() => workerSettings({ ...complete, HYPERDRIVE: undefined as never })).toThrow(WorkerConfigError);
  });

  it('refuses a seed of the wrong length without quoting it', () => {
    const short = Buffer.alloc(16, 9).toString('base64');
    expect(() => workerSettings({ ...complete, CHECKPOINT_SIGNING_KEY: short })).toThrow(CheckpointKeyError);
    expect(() => workerSettings({ ...complete, CHECKPOINT_SIGNING_KEY: short })).not.toThrow(new RegExp(short));
  });

  it('refuses an unknown log level', () => {
    expect(() => workerSettings({ ...complete, LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL/);
  });
});
