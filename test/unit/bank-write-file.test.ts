// writeBankFile: the file appears only when the writer finished, with the SHA-256 of its bytes; a
// writer that throws (a batch that does not add up) leaves nothing behind.
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { collectBankFile, writeBankFile } from '../../src/bank/node/write-bank-file.ts';
import { BankFileError, writeDaifaCsv, writePain001 } from '../../src/bank/outgoing/index.ts';
import { PURPOSE, SMALL_TOTALS, painHeader, smallBatch } from '../fixtures/bank/payouts.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'bank-write-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('writeBankFile', () => {
  it('writes the bytes and returns their SHA-256, equal to collectBankFile', async () => {
    const target = path.join(dir, 'batch.xml');
    const written = await writeBankFile(target, writePain001(painHeader(), smallBatch(), { chunkChars: 100 }));
    const bytes = await readFile(target);
    expect(written.bytes).toBe(bytes.byteLength);
    expect(written.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(written.sha256).toBe((await collectBankFile(writePain001(painHeader(), smallBatch()))).sha256);
    expect(await readdir(dir)).toEqual(['batch.xml']);
  });

  it('leaves no file, temporary or final, when the writer throws', async () => {
    const target = path.join(dir, 'batch.csv');
    const chunks = writeDaifaCsv({ purpose: PURPOSE, totals: { ...SMALL_TOTALS, count: 4 } }, smallBatch(), { chunkChars: 1 });
    await expect(writeBankFile(target, chunks)).rejects.toBeInstanceOf(BankFileError);
    expect(await readdir(dir)).toEqual([]);
  });
});
