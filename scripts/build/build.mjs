// `npm run build`: the Prisma client generated from the schema (when the schema is newer or the
// client missing), then everything under src/ and scripts/ compiled to dist/ by TypeScript's
// native compiler, then a stamp of the newest source, so that launch.mjs knows the build is current.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
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

/** dist/package.json: ES modules, and the root package.json's `imports` pointed at their compiled default targets. */
function distPackage() {
  const root = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  const imports = Object.fromEntries(Object.entries(root.imports ?? {}).map(([name, targets]) => [name, targets.default.replace(/\.ts$/, '.js')]));
  return { type: 'module', private: true, imports };
}

export function build({ quiet = false } = {}) {
  if (!installed('typescript/package.json')) {
    console.error('build: TypeScript is not installed here (a production install); build where the development dependencies are (npm ci && npm run build)');
    process.exit(1);
  }
  const started = performance.now();
  // Two clients from the one schema: Node's and workerd's (src/worker.ts), see package.json "imports".
  const clients = ['prisma', 'prisma-workerd'].map((dir) => path.join(ROOT, 'src', 'generated', dir, 'client.ts'));
  const schema = path.join(ROOT, 'prisma', 'schema.prisma');
  const migrationNames = path.join(ROOT, 'src', 'generated', 'migration-names.ts');
  if (!existsSync(migrationNames) || clients.some((client) => !existsSync(client) || statSync(schema).mtimeMs > statSync(client).mtimeMs))
    run('generating the Prisma clients', [path.join('scripts', 'prisma-generate.mjs')]);
  // After generating: the client's files are sources too, and must not look newer than the build.
  const state = sourcesState();
  rmSync(DIST, { recursive: true, force: true });
  const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  run('compiling', [tsc, '-p', 'tsconfig.build.json']);
  mkdirSync(DIST, { recursive: true });
  // Compiled code imports the generated client as `#prisma`, like the sources; Node resolves such an
  // import through the nearest package.json, which for dist/ is this one, naming the compiled files.
  writeFileSync(path.join(DIST, 'package.json'), `${JSON.stringify(distPackage(), null, 2)}\n`);
  // A migrated empty embedded database, unpacked by first starts instead of initdb and migrating there.
  run('making the embedded database template', [path.join(DIST, 'scripts', 'make-embedded-template.js')]);
  writeFileSync(stampFile, `${JSON.stringify({ newestSource: state.newest, builtAt: new Date().toISOString() })}\n`);
  if (!quiet) console.log(`build: dist/ ready in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) build();
