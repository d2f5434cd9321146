// The project's root folder (where package.json and prisma/ are), found from a module's own address,
// so that files read at run time (prisma/migrations, prisma/schema.prisma) are found the same way
// whether the module runs from src/ as TypeScript or from dist/src/ compiled. dist/ has a
// package.json of its own (it maps `#prisma` to the compiled client) but no prisma/ folder.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export function projectRootOf(moduleUrl: string): string {
  let dir = path.dirname(fileURLToPath(moduleUrl));
  for (;;) {
    if (existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'prisma'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no package.json beside a prisma/ folder above ${fileURLToPath(moduleUrl)}`);
    dir = parent;
  }
}
