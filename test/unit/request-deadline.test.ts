// The request deadline's decision (src/http/request-deadline.ts): a read is answered at its
// deadline; a money-moving write only while it waits for its transaction, and once its
// transaction started in time the deadline no longer answers for it; a write answered 503 may not
// start its transaction afterwards.
import { describe, expect, it } from 'vitest';
import { RequestDeadline, isRead } from '../../src/http/request-deadline.ts';

describe('the request deadline', () => {
  it('answers a read when its time is up', () => {
    const read = new RequestDeadline(true);
    expect(read.expire()).toBe(true);
    expect(read.expired).toBe(true);
  });

  it('answers a money-moving write that still waits for its transaction, which then may not start', () => {
    const write = new RequestDeadline(true);
    expect(write.waitForTransaction()).toBe(true);
    expect(write.expire()).toBe(true);
    expect(write.claimForCommit()).toBe(false);
  });

  it('never answers a write whose transaction started in time: it finishes and answers itself', () => {
    const write = new RequestDeadline(true);
    expect(write.waitForTransaction()).toBe(true);
    expect(write.claimForCommit()).toBe(true);
    expect(write.expire()).toBe(false);
    expect(write.expired).toBe(false);
    // A transaction retried after a serialization failure claims again.
    expect(write.claimForCommit()).toBe(true);
  });

  it('does not answer another write when its time is up, but refuses its transaction if it reaches one late', () => {
    const write = new RequestDeadline(false);
    expect(write.expire()).toBe(false);
    expect(write.waitForTransaction()).toBe(false);
    expect(write.claimForCommit()).toBe(false);
  });

  it('counts GET and HEAD as reads', () => {
    expect(['GET', 'HEAD', 'POST', 'PUT', 'DELETE'].map(isRead)).toEqual([true, true, false, false, false]);
  });
});
