// The signed checkpoints as auditors and foundations see them: the newest of each chain, every kept
// one, and all of them to download (zip or JSON lines) for holding outside the service. They carry
// sequence numbers and hashes only, nothing about anyone, so every programme's viewer may read them.
import type { CheckpointArchive } from '../checkpoints/archive.ts';
import { checkpointsAsJsonLines, checkpointsAsZip } from '../checkpoints/export.ts';
import { CHECKPOINT_CHAINS, type CheckpointChain, type SignedCheckpoint, parseCheckpoint } from '../domain/checkpoint.ts';
import type { ServiceContext } from './context.ts';
import { requirePermission } from './scope.ts';

/** What the service keeps and signs with; absent where nothing can keep files (Workers). */
export interface CheckpointSource {
  archive: CheckpointArchive;
  fingerprint: string;
}

export interface CheckpointListing {
  /** False where this deployment keeps no checkpoints. */
  kept: boolean;
  /** The fingerprint of the key this service signs with now. */
  keyFingerprint: string | null;
  latest: Record<CheckpointChain, SignedCheckpoint | null>;
  /** Every kept checkpoint, newest first. */
  items: (SignedCheckpoint & { file: string })[];
  /** Files in the directory that are not checkpoints (never trusted, named for someone to look at). */
  unreadableFiles: string[];
}

export async function listCheckpoints({ ctx, source }: { ctx: ServiceContext; source: CheckpointSource | undefined }): Promise<CheckpointListing> {
  requirePermission(ctx.actor, 'checkpoint.read');
  const latest: Record<CheckpointChain, SignedCheckpoint | null> = { ledger: null, audit: null };
  if (!source) return { kept: false, keyFingerprint: null, latest, items: [], unreadableFiles: [] };
  const items: CheckpointListing['items'] = [];
  const unreadableFiles: string[] = [];
  for (const file of await source.archive.files()) {
    const checkpoint = parseCheckpoint(file.text);
    if (checkpoint) items.push({ ...checkpoint, file: file.name });
    else unreadableFiles.push(file.name);
  }
  for (const chain of CHECKPOINT_CHAINS) latest[chain] = items.filter((c) => c.chain === chain).at(-1) ?? null;
  // Newest first: by time, then by file name for checkpoints signed in the same millisecond.
  items.sort((a, b) => b.time.localeCompare(a.time) || b.file.localeCompare(a.file));
  return { kept: true, keyFingerprint: source.fingerprint, latest, items, unreadableFiles };
}

export const CHECKPOINT_EXPORT_FORMATS = ['zip', 'jsonl'] as const;
export type CheckpointExportFormat = (typeof CHECKPOINT_EXPORT_FORMATS)[number];

export interface CheckpointExport {
  name: string;
  contentType: string;
  body: Uint8Array | string;
}

/** Every kept checkpoint, exactly as kept: a zip of the files, or one per line. */
export async function exportCheckpoints({
  ctx,
  source,
  format,
}: {
  ctx: ServiceContext;
  source: CheckpointSource | undefined;
  format: CheckpointExportFormat;
}): Promise<CheckpointExport> {
  requirePermission(ctx.actor, 'checkpoint.read');
  const files = source ? await source.archive.files() : [];
  if (format === 'zip') return { name: 'checkpoints.zip', contentType: 'application/zip', body: await checkpointsAsZip(files) };
  return { name: 'checkpoints.jsonl', contentType: 'text/plain; charset=utf-8', body: checkpointsAsJsonLines(files) };
}
