// A transaction that PostgreSQL aborted for a deadlock or a serialization conflict is run again a
// few times; then the caller gets a typed 409 it may retry, never a raw database error.
import { describe, expect, it } from 'vitest';
import { TRANSIENT_CONFLICT_ATTEMPTS, isTransientConflict } from '../../src/db/errors.ts';
import { TransientConflictError } from '../../src/domain/errors.ts';
import { Prisma } from '#prisma';
import { runTransaction } from '../../src/services/context.ts';

const known = (code: string, meta?: Record<string, unknown>) =>
  new Prisma.PrismaClientKnownRequestError('aborted', { code, clientVersion: '7', ...(meta ? { meta } : {}) });
const deadlock = () =>
  known('P2010', { driverAdapterError: { name: 'DriverAdapterError', cause: { originalCode: '40P01', kind: 'TransactionWriteConflict' } } });
const serialization = () => known('P2034');
const uniqueViolation = () => known('P2002', { driverAdapterError: { cause: { originalCode: '23505' } } });

describe('isTransientConflict', () => {
  it('recognises a deadlock (raw query) and a write conflict (model API), and nothing else', () => {
    expect(isTransientConflict(deadlock())).toBe(true);
    expect(isTransientConflict(serialization())).toBe(true);
    expect(isTransientConflict(uniqueViolation())).toBe(false);
    expect(isTransientConflict(new Error('deadlock detected'))).toBe(false);
  });
});

describe('runTransaction', () => {
  it('runs a transaction aborted by a deadlock again, and returns its result', async () => {
    let calls = 0;
    const result = await runTransaction(async () => {
      calls++;
      if (calls === 1) throw deadlock();
      return 'committed';
    });
    expect({ result, calls }).toEqual({ result: 'committed', calls: 2 });
  });

  it(`gives up after ${TRANSIENT_CONFLICT_ATTEMPTS} aborted runs with a 409 concurrent_change`, async () => {
    let calls = 0;
    const attempt = runTransaction(async () => {
      calls++;
      throw serialization();
    });
    await expect(attempt).rejects.toBeInstanceOf(TransientConflictError);
    await expect(attempt).rejects.toMatchObject({ kind: 'conflict', code: 'concurrent_change' });
    expect(calls).toBe(TRANSIENT_CONFLICT_ATTEMPTS);
  });

  it('never runs again a transaction refused for any other reason', async () => {
    let calls = 0;
    await expect(
      runTransaction(async () => {
        calls++;
        throw uniqueViolation();
      }),
    ).rejects.toMatchObject({ code: 'P2002' });
    expect(calls).toBe(1);
  });
});
