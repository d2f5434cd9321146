// ../shared/conformance/README.md asks that the project's tests keep passing on the files there.
// The tests read committed copies (test/fixtures/conformance, so that a clone placed anywhere runs
// them); this test keeps the copies in step: when the shared folder is beside the project, every
// file in it must be among the copies, byte for byte, so a new or changed shared file is noticed.
// Without the shared folder there is nothing to compare and the test is skipped, saying so.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { conformanceDir, sharedConformanceDir } from '../support/conformance.ts';

/** Every file under `dir`, as paths relative to it, sorted. */
function filesUnder(dir: string, prefix = ''): string[] {
  return readdirSync(path.join(dir, prefix), { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? filesUnder(dir, path.join(prefix, e.name)) : [path.join(prefix, e.name)]))
    .sort();
}

describe.each(['camt'])('conformance/%s copies', (folder) => {
  const shared = sharedConformanceDir(folder);
  const copies = conformanceDir(folder);

  it(`hold every file of ../shared/conformance/${folder}, byte-identical (when that folder is beside the project)`, (ctx) => {
    ctx.skip(!existsSync(shared), `${shared} does not exist beside the project: nothing to compare the copies in ${copies} with`);
    const sharedFiles = filesUnder(shared);
    expect(sharedFiles.length, `no files in ${shared}`).toBeGreaterThan(0);
    const missing = sharedFiles.filter((f) => !existsSync(path.join(copies, f)));
    const changed = sharedFiles.filter(
      (f) => existsSync(path.join(copies, f)) && !readFileSync(path.join(shared, f)).equals(readFileSync(path.join(copies, f))),
    );
    expect({ missing, changed }, `files of ${shared} missing from or different in ${copies}; copy them: cp -r ${shared}/. ${copies}/`).toEqual({
      missing: [],
      changed: [],
    });
  });
});
