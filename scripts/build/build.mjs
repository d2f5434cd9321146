// `npm run build`: the Prisma client generated from the schema (when the schema is newer or the
// client missing), then everything under src/ and scripts/ compiled to dist/ by TypeScript's
// native compiler, then a stamp of the newest source, so that launch.mjs knows the build is current.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DIST, ROOT, installed, sourcesState, stampFile } from './sources.mjs';

function run(what, args) {
  const result = spawnSync(process.execPath, args, { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`build: ${what} failed`);
    process.exit(result.status ?? 1);
  }
}

export function build({ quiet = false } = {}) {
  if (!installed('typescript/package.json')) {
    console.error('build: TypeScript is not installed here (a production install); build where the development dependencies are (npm ci && npm run build)');
    process.exit(1);
  }
  const started = performance.now();
  const client = path.join(ROOT, 'src', 'generated', 'prisma', 'client.ts');
  const schema = path.join(ROOT, 'prisma', 'schema.prisma');
  if (!existsSync(client) || statSync(schema).mtimeMs > statSync(client).mtimeMs)
    run('generating the Prisma client', [path.join('scripts', 'prisma-generate.mjs')]);
  // After generating: the client's files are sources too, and must not look newer than the build.
  const state = sourcesState();
  rmSync(DIST, { recursive: true, force: true });
  const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  run('compiling', [tsc, '-p', 'tsconfig.build.json']);
  mkdirSync(DIST, { recursive: true });
  // A migrated empty embedded database, unpacked by first starts instead of initdb and migrating there.
  run('making the embedded database template', [path.join(DIST, 'scripts', 'make-embedded-template.js')]);
  writeFileSync(stampFile, `${JSON.stringify({ newestSource: state.newest, builtAt: new Date().toISOString() })}\n`);
  if (!quiet) console.log(`build: dist/ ready in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) build();
