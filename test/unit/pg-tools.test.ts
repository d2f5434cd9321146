// The URL PostgreSQL's tools get: Prisma's own parameters dropped (libpq refuses them), libpq's
// kept, and the password taken out, to go in PGPASSWORD rather than on a command line anyone on the
// machine can list.
import { describe, expect, it } from 'vitest';
import { libpqTarget } from '../../src/backup/pg-tools-node.ts';

describe('libpqTarget', () => {
  it('keeps libpq parameters, drops Prisma ones, and takes the password out', () => {
    const target = libpqTarget('postgresql://ledger:s%40cret@db.internal:5432/ledger?schema=public&connection_limit=5&sslmode=require');
    expect(target.url).toBe('postgresql://ledger@db.internal:5432/ledger?sslmode=require');
    expect(target.password).toBe('s@cret');
  });

  it('leaves a URL without a password as it is', () => {
    expect(libpqTarget('postgresql://postgres@127.0.0.1:5432/test')).toEqual({ url: 'postgresql://postgres@127.0.0.1:5432/test', password: null });
  });
});
