import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { targetFromConfig } from '../../src/db/client.ts';

function configError(env: Record<string, string | undefined>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error(`expected ${JSON.stringify(env)} to be refused`);
}

describe('loadConfig — defaults', () => {
  it('an empty environment gives the documented defaults and the embedded database', () => {
    const config = loadConfig({});
    expect(config).toEqual({
      PORT: 3000,
      HOST: '127.0.0.1',
      DATABASE_POOL_MAX: 10,
      DATA_DIR: './data',
      TRUST_PROXY: false,
      DEMO_REPLAY: false,
      AUTH_FAILURE_LIMIT: 10,
      AUTH_FAILURE_WINDOW_SECONDS: 300,
      LOG_LEVEL: 'info',
      MAX_REQUESTS_IN_FLIGHT: 64,
      REQUEST_DEADLINE_MS: 10_000,
      METRICS_HOST: '127.0.0.1',
    });
    expect(config.METRICS_PORT).toBeUndefined();
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.DEMO_DATA).toBeUndefined();
    expect(targetFromConfig(config)).toEqual({ kind: 'embedded', dataDir: './data' });
  });

  it('reads given values', () => {
    const config = loadConfig({
      PORT: '8080',
      HOST: '0.0.0.0',
      DATABASE_URL: 'postgresql://ledger:secret@db:5432/ledger',
      DATABASE_POOL_MAX: '20',
      DATA_DIR: '/var/lib/ledger',
      DEMO_DATA: 'yes',
      TRUST_PROXY: '1',
      AUTH_FAILURE_LIMIT: '20',
      AUTH_FAILURE_WINDOW_SECONDS: '60',
      LOG_LEVEL: 'warn',
      MAX_REQUESTS_IN_FLIGHT: '200',
      REQUEST_DEADLINE_MS: '2500',
      METRICS_PORT: '9464',
      METRICS_HOST: '10.0.0.5',
    });
    expect(config).toEqual({
      PORT: 8080,
      HOST: '0.0.0.0',
      DATABASE_URL: 'postgresql://ledger:secret@db:5432/ledger',
      DATABASE_POOL_MAX: 20,
      DATA_DIR: '/var/lib/ledger',
      DEMO_DATA: true,
      TRUST_PROXY: true,
      DEMO_REPLAY: false,
      AUTH_FAILURE_LIMIT: 20,
      AUTH_FAILURE_WINDOW_SECONDS: 60,
      LOG_LEVEL: 'warn',
      MAX_REQUESTS_IN_FLIGHT: 200,
      REQUEST_DEADLINE_MS: 2500,
      METRICS_PORT: 9464,
      METRICS_HOST: '10.0.0.5',
    });
    expect(targetFromConfig(config)).toEqual({ kind: 'postgres', url: 'postgresql://ledger:secret@db:5432/ledger', poolMax: 20 });
  });

  it('accepts both postgres:// and postgresql://', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://h/db' }).DATABASE_URL).toBe('postgres://h/db');
    expect(loadConfig({ DATABASE_URL: 'postgresql://h/db' }).DATABASE_URL).toBe('postgresql://h/db');
  });

  it.each([
    ['true', true],
    ['1', true],
    ['yes', true],
    ['false', false],
    ['0', false],
    ['no', false],
  ])('DEMO_DATA=%s is %s', (text, value) => {
    expect(loadConfig({ DEMO_DATA: text }).DEMO_DATA).toBe(value);
  });

  it('ignores variables it does not know (the real environment is full of them)', () => {
    expect(loadConfig({ PATH: '/usr/bin', HOME: '/root', PORT: '3001' }).PORT).toBe(3001);
  });
});

describe('loadConfig — empty strings count as unset', () => {
  it.each([
    'PORT',
    'HOST',
    'DATABASE_URL',
    'DATABASE_POOL_MAX',
    'DATA_DIR',
    'DEMO_DATA',
    'TRUST_PROXY',
    'AUTH_FAILURE_LIMIT',
    'AUTH_FAILURE_WINDOW_SECONDS',
    'LOG_LEVEL',
    'MAX_REQUESTS_IN_FLIGHT',
    'REQUEST_DEADLINE_MS',
    'METRICS_PORT',
    'METRICS_HOST',
  ])('%s=""', (name) => {
    expect(loadConfig({ [name]: '' })).toEqual(loadConfig({}));
  });

  it('an empty DATABASE_URL selects the embedded database', () => {
    expect(targetFromConfig(loadConfig({ DATABASE_URL: '', DATA_DIR: '/tmp/x' }))).toEqual({ kind: 'embedded', dataDir: '/tmp/x' });
  });

  it('undefined values count as unset too', () => {
    expect(loadConfig({ PORT: undefined, LOG_LEVEL: undefined })).toEqual(loadConfig({}));
  });
});

describe('loadConfig — a bad value throws ConfigError naming the variable', () => {
  it.each([
    ['PORT', 'abc'],
    ['PORT', '65536'],
    ['PORT', '-1'],
    ['PORT', '80.5'],
    ['PORT', ' '],
    ['PORT', '1e3'],
    ['METRICS_PORT', '0'],
    ['METRICS_PORT', '3000'],
    ['DATABASE_POOL_MAX', '0x10'],
    ['DATABASE_URL', 'mysql://root@localhost/ledger'],
    ['DATABASE_URL', 'localhost:5432'],
    ['DATABASE_URL', 'file:./data'],
    ['DATABASE_POOL_MAX', '0'],
    ['DATABASE_POOL_MAX', '201'],
    ['DATABASE_POOL_MAX', 'many'],
    ['LOG_LEVEL', 'verbose'],
    ['LOG_LEVEL', 'INFO'],
    ['DEMO_DATA', 'maybe'],
    ['DEMO_DATA', 'TRUE'],
    ['DEMO_DATA', 'on'],
    ['TRUST_PROXY', 'sometimes'],
    ['AUTH_FAILURE_LIMIT', '0'],
    ['AUTH_FAILURE_WINDOW_SECONDS', '86401'],
    ['MAX_REQUESTS_IN_FLIGHT', '0'],
    ['MAX_REQUESTS_IN_FLIGHT', 'lots'],
    ['REQUEST_DEADLINE_MS', '0'],
    ['REQUEST_DEADLINE_MS', '600001'],
    ['REQUEST_DEADLINE_MS', '5s'],
  ])('%s=%j', (name, value) => {
    const error = configError({ [name]: value });
    expect(error.name).toBe('ConfigError');
    expect(error.message).toContain(`${name}:`);
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toMatch(new RegExp(`^${name}: `));
  });

  it('explains what a DATABASE_URL must look like', () => {
    expect(configError({ DATABASE_URL: 'mysql://x' }).message).toContain('must be a postgresql:// connection string');
  });

  it('lists every bad variable at once', () => {
    const error = configError({ PORT: 'abc', LOG_LEVEL: 'loud', DATABASE_URL: 'http://x', DEMO_DATA: 'perhaps' });
    expect(error.problems.map((p) => p.split(':')[0]).sort()).toEqual(['DATABASE_URL', 'DEMO_DATA', 'LOG_LEVEL', 'PORT']);
    for (const name of ['PORT', 'LOG_LEVEL', 'DATABASE_URL', 'DEMO_DATA']) expect(error.message).toContain(name);
  });

  it('never echoes the value of DATABASE_URL (it may hold a password)', () => {
    const error = configError({ DATABASE_URL: 'mysql://root:hunter2@db/ledger' });
    expect(error.message).not.toContain('hunter2');
  });
});
