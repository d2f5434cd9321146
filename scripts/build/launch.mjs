// Runs a compiled entry point: `node scripts/build/launch.mjs src/server [args…]` runs
// dist/src/server.js as if it had been started itself (same process, so signals reach it, and
// process.argv as it expects). Builds first when a source changed since the last build (a newcomer's
// edit, a `git pull`), saying so; in a production install, where only dist/ and no TypeScript is,
// it runs what is there.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from './build.mjs';
import { DIST, installed, staleness } from './sources.mjs';

const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  console.error('usage: node scripts/build/launch.mjs <entry, e.g. src/server or scripts/reconcile> [args…]');
  process.exit(2);
}
const why = staleness();
if (why !== null) {
  if (installed('typescript/package.json')) {
    console.error(`正在编译 Building (${why})…`);
    build({ quiet: true });
  } else if (why === 'no build yet') {
    console.error('launch: no build yet, and TypeScript is not installed to build it: build where the development dependencies are (npm ci && npm run build)');
    process.exit(1);
  }
  // A production install (no TypeScript) runs the build it was given; copied files' times say nothing.
}
const file = path.join(DIST, `${entry}.js`);
process.argv = [process.argv[0], file, ...args];
await import(pathToFileURL(file).href);
