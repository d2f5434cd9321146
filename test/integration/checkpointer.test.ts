// The service's checkpoint taker: two requests at once take one checkpoint (the second finds the
// head unchanged), and the daily timer takes one at once and again each interval when the head moved.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { directoryArchive } from '../../src/checkpoints/archive-node.ts';
import { CHECKPOINT_INTERVAL_MS, Checkpointer } from '../../src/checkpoints/checkpointer.ts';
import { signerFromSeed } from '../../src/checkpoints/ed25519.ts';
import type { Database } from '../../src/db/client.ts';
import { createLogger } from '../../src/http/logger.ts';
import { recordFundingReceipt } from '../../src/services/funding-receipts.ts';
import { openTestDatabase } from '../support/database.ts';
import { type World, makeProgramme, makeWorld } from '../support/fixtures.ts';

let db: Database;
let world: World;
let programmeId: string;
const dirs: string[] = [];

beforeAll(async () => {
  db = await openTestDatabase();
  world = await makeWorld(db.prisma);
  programmeId = (await makeProgramme(world)).id;
});
afterAll(async () => {
  await db?.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
afterEach(() => vi.useRealTimers());

async function receive(amount: string) {
  await recordFundingReceipt({
    ctx: world.users.finance.ctx,
    input: { programmeId, remitterId: world.foundation.id, amount, receivedOn: '2025-09-01', bankReference: `REF-${randomUUID()}` },
  });
}

async function newCheckpointer() {
  const dir = mkdtempSync(join(tmpdir(), 'checkpointer-'));
  dirs.push(dir);
  const lines: string[] = [];
  const checkpointer = new Checkpointer({
    db: db.prisma,
    signer: await signerFromSeed(new Uint8Array(32).fill(6)),
    archive: directoryArchive(dir),
    logger: createLogger('info', (l) => lines.push(l)),
  });
  return { checkpointer, lines };
}

describe('Checkpointer', () => {
  it('takes one at a time: two at once give one checkpoint and one "unchanged"', async () => {
    await receive('100.00');
    const { checkpointer, lines } = await newCheckpointer();
    const [a, b] = await Promise.all([checkpointer.take('one'), checkpointer.take('two')]);
    expect(a.map((o) => o.outcome)).toEqual(['taken', 'taken']);
    expect(b.map((o) => o.outcome)).toEqual(['unchanged', 'unchanged']);
    expect((await checkpointer.archive.files()).length).toBe(2);
    expect(lines.filter((l) => l.includes('"msg":"checkpoint signed"'))).toHaveLength(2);
  });

  it('daily: one at once, and another after the interval when the head moved', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    await receive('200.00');
    const { checkpointer } = await newCheckpointer();
    const stop = checkpointer.daily();
    await vi.waitFor(async () => expect(await checkpointer.archive.latest('ledger')).not.toBeNull());
    const first = (await checkpointer.archive.latest('ledger'))!.sequence;
    await receive('300.00');
    vi.advanceTimersByTime(CHECKPOINT_INTERVAL_MS);
    await vi.waitFor(async () => expect((await checkpointer.archive.latest('ledger'))!.sequence).toBe(String(BigInt(first) + 1n)));
    stop();
  });
});
