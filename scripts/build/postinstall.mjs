// After `npm install` / `npm ci`: with the development dependencies (a developer's or a newcomer's
// machine), generate the Prisma client and build dist/, so that `npm start` starts at once. In a
// production install (`npm ci --omit=dev`) neither the Prisma CLI nor TypeScript is there: the
// dist/ built beforehand is what runs, and nothing is done here.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { build } from './build.mjs';
import { ROOT, installed } from './sources.mjs';

if (installed('prisma/package.json')) {
  const result = spawnSync(process.execPath, [path.join('scripts', 'prisma-generate.mjs')], { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
if (installed('typescript/package.json')) build();
