// Loading the demo on the embedded database, all or nothing. The demo replays two academic years
// through the use cases (about a minute on a busy machine); a start interrupted meanwhile (Ctrl-C,
// a kill, a closed terminal) used to leave half a demo that no later start completed, with wrong
// figures and no tokens, without a word. Now a marker file is written before the load and removed
// after the tokens are saved: a start that finds it says what happened, empties the embedded
// database (it holds nothing but that half demo: nobody can use the service before the load ends),
// migrates it again and loads the demo from the start. While loading, it says how far it got.
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PrismaClient } from '#prisma';

const MARKER = 'demo-loading';

export function demoLoadingMarker(dataDir: string): string {
  return join(dataDir, MARKER);
}

/** True when an earlier start began loading the demo into this data directory and never finished. */
export function demoLoadInterrupted(dataDir: string): boolean {
  return existsSync(demoLoadingMarker(dataDir));
}

export function markDemoLoading(dataDir: string): void {
  writeFileSync(demoLoadingMarker(dataDir), `${new Date().toISOString()}\n`);
}

export function markDemoLoaded(dataDir: string): void {
  rmSync(demoLoadingMarker(dataDir), { force: true });
}

/** Empties the embedded database of a half-loaded demo: every table, type and function of the schema. */
export async function emptyDemoDatabase(db: PrismaClient): Promise<void> {
  await db.$executeRawUnsafe('DROP SCHEMA public CASCADE');
  await db.$executeRawUnsafe('CREATE SCHEMA public');
}

/**
 * Says every few seconds how many ledger transactions the demo has written so far, so a first start
 * is never silent for a minute. Returns the function that stops it.
 */
export function reportDemoProgress(db: PrismaClient, write: (line: string) => void, everyMs = 3000): () => void {
  const started = Date.now();
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    db.ledgerTransaction
      .count()
      .then((n) => write(`  …已载入 ${n} 笔账本交易 (${n} ledger transactions so far, ${Math.round((Date.now() - started) / 1000)} s)`))
      .catch(() => {})
      .finally(() => {
        busy = false;
      });
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
