// `npm run build:worker`: the Cloudflare Workers bundle of src/worker.ts, as `wrangler deploy`
// would upload it, written to dist-worker/bundle; the docs page's static files to
// dist-worker/assets (wrangler.toml [assets]); then the bundle's size, plain and gzip, which must
// stay under 3 MiB gzip (this project's bound: what Cloudflare's free plan once allowed compressed;
// its documented limits now are 64 MiB uncompressed and 1 s of start-up), and its start-up time.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { ROOT } from './sources.mjs';

export const WORKER_OUT = path.join(ROOT, 'dist-worker');
/** The gzip size the bundle must stay under (bytes). */
export const MAX_GZIP_BYTES = 3 * 1024 * 1024;
/** The docs page's files (src/http/routes/docs.ts), as the Node server serves them from node_modules. */
const DOCS_FILES = ['swagger-ui.css', 'swagger-ui-bundle.js'];

/** The environment that keeps wrangler and Prisma from calling home during a build or a local run. */
export const OFFLINE_ENV = { WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false', CHECKPOINT_DISABLE: '1' };

function fail(message) {
  console.error(`build:worker: ${message}`);
  process.exit(1);
}

function copyDocsAssets() {
  const from = path.dirname(createRequire(path.join(ROOT, 'package.json')).resolve('swagger-ui-dist/package.json'));
  const to = path.join(WORKER_OUT, 'assets', 'docs', 'assets');
  mkdirSync(to, { recursive: true });
  for (const name of DOCS_FILES) copyFileSync(path.join(from, name), path.join(to, name));
}

function filesUnder(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

/** Plain and gzip bytes of everything uploaded as the Worker's code (the script and its modules, the query compiler's WebAssembly among them). */
export function bundleSize(dir) {
  let plain = 0;
  let gzip = 0;
  for (const file of filesUnder(dir).filter((f) => !f.endsWith('.map') && !f.endsWith('README.md'))) {
    const bytes = readFileSync(file);
    plain += bytes.length;
    gzip += gzipSync(bytes, { level: 9 }).length;
  }
  return { plain, gzip };
}

function generatedIsStale() {
  const generated = path.join(ROOT, 'src', 'generated');
  const clients = ['prisma', 'prisma-workerd'].map((dir) => path.join(generated, dir, 'client.ts'));
  const schema = statSync(path.join(ROOT, 'prisma', 'schema.prisma')).mtimeMs;
  if (clients.some((client) => !existsSync(client) || statSync(client).mtimeMs < schema)) return true;
  const namesFile = path.join(generated, 'migration-names.ts');
  if (!existsSync(namesFile)) return true;
  const migrations = readdirSync(path.join(ROOT, 'prisma', 'migrations'), { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
    .map((e) => e.name);
  const listed = readFileSync(namesFile, 'utf8');
  return migrations.some((name) => !listed.includes(`"${name}"`));
}

export function buildWorker() {
  // Generated again only when out of date (tests running beside this read the generated files):
  // the clients must match the schema, and the Worker's list must name every migration.
  if (generatedIsStale()) {
    const generated = spawnSync(process.execPath, [path.join('scripts', 'prisma-generate.mjs')], { cwd: ROOT, stdio: 'inherit' });
    if (generated.status !== 0) fail('generating the Prisma clients failed');
  }
  rmSync(WORKER_OUT, { recursive: true, force: true });
  copyDocsAssets();
  const bundleDir = path.join(WORKER_OUT, 'bundle');
  const wrangler = path.join(ROOT, 'node_modules', 'wrangler', 'bin', 'wrangler.js');
  if (!existsSync(wrangler)) fail('wrangler is not installed (npm ci)');
  const started = performance.now();
  const result = spawnSync(process.execPath, [wrangler, 'deploy', '--dry-run', '--outdir', bundleDir], {
    cwd: ROOT,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, ...OFFLINE_ENV },
  });
  if (result.status !== 0) fail('wrangler could not bundle src/worker.ts');
  const { plain, gzip } = bundleSize(bundleDir);
  const mb = (n) => (n / 1024 / 1024).toFixed(2);
  console.log(
    `build:worker: bundle ${mb(plain)} MiB, gzip ${mb(gzip)} MiB (limit ${mb(MAX_GZIP_BYTES)} MiB) in ${((performance.now() - started) / 1000).toFixed(1)} s → ${path.relative(ROOT, bundleDir)}`,
  );
  if (gzip >= MAX_GZIP_BYTES) fail(`the bundle is ${mb(gzip)} MiB gzip, over ${mb(MAX_GZIP_BYTES)} MiB`);
  const startupMs = measureStartup(wrangler);
  console.log(`build:worker: start-up ${startupMs} ms (wrangler check startup, on this machine's CPU; the limit is 1 s)`);
  return { plain, gzip, startupMs, bundleDir };
}

/** How long the Worker's global scope takes to evaluate, from the CPU profile `wrangler check startup` writes. */
function measureStartup(wrangler) {
  const outfile = path.join(WORKER_OUT, 'startup.cpuprofile');
  const result = spawnSync(process.execPath, [wrangler, 'check', 'startup', '--outfile', outfile], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, ...OFFLINE_ENV },
  });
  if (result.status !== 0 || !existsSync(outfile)) fail('wrangler check startup failed');
  const profile = JSON.parse(readFileSync(outfile, 'utf8'));
  return Math.round((profile.endTime - profile.startTime) / 1000);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) buildWorker();
