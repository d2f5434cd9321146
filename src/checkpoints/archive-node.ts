// Checkpoint files in a directory (DATA_DIR/checkpoints, or CHECKPOINT_DIR on PostgreSQL), one file
// per checkpoint, written once and never rewritten (created exclusively, then read-only).
import { link, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CHECKPOINT_FILE_NAME, type CheckpointChain, checkpointFileName, checkpointFileText, parseCheckpoint } from '../domain/checkpoint.ts';
import type { CheckpointArchive, CheckpointFile } from './archive.ts';

export function directoryArchive(dir: string): CheckpointArchive {
  const names = async (): Promise<string[]> => {
    try {
      return (await readdir(dir)).filter((n) => CHECKPOINT_FILE_NAME.test(n)).sort();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
  };
  const files = async (): Promise<CheckpointFile[]> =>
    Promise.all((await names()).map(async (name) => ({ name, text: await readFile(join(dir, name), 'utf8') })));
  return {
    location: dir,
    files,
    async keep(checkpoint) {
      await mkdir(dir, { recursive: true });
      const name = checkpointFileName(checkpoint.chain, checkpoint.sequence);
      // Written aside, then linked in under its name only if that name is free: a reader never sees
      // half a file, and a second writer of the same sequence leaves the first one's file as it was.
      const temporary = join(dir, `.${name}.${process.pid}.${Date.now()}.tmp`);
      await writeFile(temporary, checkpointFileText(checkpoint), { mode: 0o444 });
      try {
        await link(temporary, join(dir, name));
        return true;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
        throw error;
      } finally {
        await rm(temporary, { force: true });
      }
    },
    async latest(chain: CheckpointChain) {
      const mine = (await names()).filter((n) => n.startsWith(`${chain}-`));
      const newest = mine.at(-1);
      if (!newest) return null;
      return parseCheckpoint(await readFile(join(dir, newest), 'utf8'));
    },
  };
}
