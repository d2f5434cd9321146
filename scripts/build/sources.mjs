// What the build is made from, and whether dist/ is older than it. Shared by `npm run build`
// (build.mjs), the install step (postinstall.mjs) and every `npm start` / `npm run <cli>`
// (launch.mjs), which rebuild only when a source changed: a stat of every source, a few
// milliseconds, so a command's first line still comes in well under a second.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '..', '..');
export const DIST = path.join(ROOT, 'dist');
const STAMP = path.join(DIST, 'BUILD.json');

/** Folders and files whose change means a new build (the benches import test/support too). */
const INPUTS = ['src', 'scripts', 'test/support', 'tsconfig.json', 'tsconfig.build.json', 'prisma/schema.prisma', 'package.json'];

function newestMtime(entry) {
  if (!existsSync(entry)) return 0;
  const stat = statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const child of readdirSync(entry, { withFileTypes: true })) {
    const full = path.join(entry, child.name);
    const m = child.isDirectory() ? newestMtime(full) : /\.(ts|tsx|mts|json|prisma)$/.test(child.name) ? statSync(full).mtimeMs : 0;
    if (m > newest) newest = m;
  }
  return newest;
}

/** The newest modification time among the build's inputs, and whether the sources are here at all. */
export function sourcesState() {
  const hasSources = existsSync(path.join(ROOT, 'src', 'server.ts'));
  return { hasSources, newest: hasSources ? Math.max(...INPUTS.map((i) => newestMtime(path.join(ROOT, i)))) : 0 };
}

export function readStamp() {
  try {
    return JSON.parse(readFileSync(STAMP, 'utf8'));
  } catch {
    return null;
  }
}

export const stampFile = STAMP;

/** True when a module can be resolved from the project (dev dependencies are absent in production). */
export function installed(name) {
  try {
    createRequire(path.join(ROOT, 'package.json')).resolve(name);
    return true;
  } catch {
    return false;
  }
}

/** Why dist/ must be built again, or null when it is current. */
export function staleness() {
  if (!existsSync(path.join(DIST, 'src', 'server.js'))) return 'no build yet';
  const { hasSources, newest } = sourcesState();
  // A production copy may ship dist/ without its sources: what is there is what runs.
  if (!hasSources) return null;
  const stamp = readStamp();
  if (!stamp || typeof stamp.newestSource !== 'number') return 'the build is not stamped';
  return newest > stamp.newestSource ? 'sources changed since the last build' : null;
}
