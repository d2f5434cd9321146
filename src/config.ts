// Configuration is read once, at the edge, and validated: a bad value stops the process with a
// message naming the variable, instead of failing later in a request.
import { z } from 'zod';

const booleanFlag = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => v === 'true' || v === '1' || v === 'yes');

/** Digits only: `z.coerce.number` would read " " as 0 and "1e3" as 1000. */
const wholeNumber = (min: number, max: number) =>
  z.string().regex(/^\d+$/, 'must be a whole number').transform(Number).pipe(z.number().int().min(min).max(max));

export const configSchema = z
  .object({
    PORT: wholeNumber(0, 65535).default(3000),
    HOST: z.string().min(1).default('127.0.0.1'),
    /** A PostgreSQL server (production). When unset, the embedded database in DATA_DIR is used. */
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgresql:// connection string')
      .optional(),
    DATABASE_POOL_MAX: wholeNumber(1, 200).default(10),
    DATA_DIR: z.string().min(1).default('./data'),
    /** Load the demo organisations, tokens and programme into an empty database on start. */
    DEMO_DATA: booleanFlag.optional(),
    /**
     * Build the demo by replaying its history through the use cases (about a minute) instead of
     * loading the snapshot that replay made (demo/snapshot, a second or two). The replay is also
     * what happens when the snapshot does not apply (another academic year, other migrations).
     */
    DEMO_REPLAY: booleanFlag.default(false),
    /**
     * Keys for personal data at rest: `id:base64key[,id:base64key…]`, newest first (AES-256).
     * Required with DATABASE_URL; the embedded default creates its own in DATA_DIR.
     */
    PII_KEYS: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,32}:[A-Za-z0-9+/=_-]{40,}(,[A-Za-z0-9_-]{1,32}:[A-Za-z0-9+/=_-]{40,})*$/, 'must be id:base64key[,id:base64key…]')
      .optional(),
    /** HMAC key (base64, 32 bytes) for exact lookup of identity and account numbers. */
    PII_LOOKUP_KEY: z
      .string()
      .regex(/^[A-Za-z0-9+/=_-]{40,}$/, 'must be a base64 key of 32 bytes')
      .optional(),
    /**
     * Ed25519 seed (base64, 32 bytes) that signs the chains' checkpoints; never stored in the database.
     * Required with DATABASE_URL; the embedded default creates its own in DATA_DIR.
     */
    CHECKPOINT_SIGNING_KEY: z
      .string()
      .regex(/^[A-Za-z0-9+/=_-]{43,44}$/, 'must be a base64 Ed25519 seed of 32 bytes')
      .optional(),
    /** The public key (base64, 32 bytes) a verifier trusts; absent: the signing key's own. */
    CHECKPOINT_PUBLIC_KEY: z
      .string()
      .regex(/^[A-Za-z0-9+/=_-]{43,44}$/, 'must be a base64 Ed25519 public key of 32 bytes')
      .optional(),
    /** Where checkpoint files are kept (outside the database); absent: DATA_DIR/checkpoints. */
    CHECKPOINT_DIR: z.string().min(1).optional(),
    /**
     * Behind a reverse proxy that sets X-Forwarded-For: count failed authentications by the header's
     * left-most address instead of the proxy's. Never set it without such a proxy: anyone can write the header.
     */
    TRUST_PROXY: booleanFlag.default(false),
    /** Failed authentications an address may make in AUTH_FAILURE_WINDOW_SECONDS before it gets 429. */
    AUTH_FAILURE_LIMIT: wholeNumber(1, 100_000).default(10),
    AUTH_FAILURE_WINDOW_SECONDS: wholeNumber(1, 86_400).default(300),
    LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
    /** Requests one instance works on at once; past it, 503 with Retry-After at once instead of a queue. */
    MAX_REQUESTS_IN_FLIGHT: wholeNumber(1, 100_000).default(64),
    /**
     * How long a request may take: a read not answered by then gets 503 `deadline_exceeded` at once,
     * a money-moving write still waiting for its transaction too (and never commits afterwards).
     */
    REQUEST_DEADLINE_MS: wholeNumber(1, 600_000).default(10_000),
    /**
     * A second, internal listener that serves GET /metrics without a token, for a monitoring system
     * on a network nobody else reaches; absent: none (GET /metrics on PORT takes an admin's token).
     */
    METRICS_PORT: wholeNumber(1, 65535).optional(),
    /** Where that listener binds: the loopback interface unless an internal address is named. */
    METRICS_HOST: z.string().min(1).default('127.0.0.1'),
  })
  .refine((c) => c.METRICS_PORT === undefined || c.METRICS_PORT !== c.PORT, {
    path: ['METRICS_PORT'],
    message: 'must differ from PORT: the metrics listener is a second one',
  });

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // Empty strings count as unset, as most shells and .env files mean them.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = configSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  return parsed.data;
}
