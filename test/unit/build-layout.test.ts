// The service and its commands run compiled JavaScript: every npm script that runs project code
// goes through the launcher to an entry point that exists, the tools that compile are development
// dependencies only, and nothing compiled imports them.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { serviceArguments } from '../../scripts/lib/service-command.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};
const BUILD_TOOLS = ['typescript', 'tsx', 'prisma'];

describe('the build', () => {
  it('runs every command of the project through the launcher, to an entry that exists', () => {
    const launched = Object.entries(pkg.scripts).filter(([, command]) => command.includes('launch.mjs'));
    expect(launched.length).toBeGreaterThan(15);
    for (const [name, command] of launched) {
      const entry = /launch\.mjs (\S+)$/.exec(command)?.[1];
      expect({ name, source: entry && existsSync(path.join(ROOT, `${entry}.ts`)) }).toEqual({ name, source: true });
    }
    // No script runs TypeScript through a loader at run time.
    for (const [name, command] of Object.entries(pkg.scripts)) expect({ name, command }).not.toEqual({ name, command: expect.stringContaining('tsx') });
  });

  it('starts the service with the same command in npm start as in the benchmarks and the start test', () => {
    expect(pkg.scripts.start).toBe(`node ${serviceArguments().join(' ')}`);
  });

  it('keeps the compilers out of the production dependencies', () => {
    for (const tool of BUILD_TOOLS) {
      expect(pkg.dependencies[tool]).toBeUndefined();
      expect(pkg.devDependencies[tool]).toBeDefined();
    }
  });

  it('compiled nothing that imports a compiler (dist/ as npm install built it)', () => {
    const dist = path.join(ROOT, 'dist', 'src');
    expect(existsSync(path.join(dist, 'server.js'))).toBe(true);
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (entry.name.endsWith('.js')) {
          const text = readFileSync(full, 'utf8');
          if (/from ['"](?:tsx|typescript|prisma)(?:\/[^'"]*)?['"]/.test(text) || /from ['"][^'"]+\.tsx?['"]/.test(text))
            offenders.push(path.relative(ROOT, full));
        }
      }
    };
    walk(dist);
    expect(offenders).toEqual([]);
  });
});
