// Where the tests find the real-world conformance files (bank statements nobody on this project
// wrote): copies committed under test/fixtures/conformance/, so that a clone runs its tests
// wherever it is placed. The shared folder beside the project (../shared/conformance) is the
// source of those copies; only the test that keeps them in step, and the optional schema lookup,
// look there.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** test/fixtures/conformance, or a folder in it: `conformanceDir('camt')`. */
export function conformanceDir(...parts: string[]): string {
  return path.join(projectRoot, 'test/fixtures/conformance', ...parts);
}

/**
 * ../shared/conformance beside the project, or a folder in it: the source the copies come from.
 * It may be absent (a clone placed elsewhere); tests must not depend on it.
 */
export function sharedConformanceDir(...parts: string[]): string {
  return path.resolve(projectRoot, '../shared/conformance', ...parts);
}
