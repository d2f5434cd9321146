// The project root is found from a module's address, from src/ or from dist/src/ alike: dist/ has a
// package.json of its own (for `#prisma`), which must not be taken for the root.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { projectRootOf } from '../../src/db/project-root-node.ts';

describe('projectRootOf', () => {
  it('passes over dist/package.json to the folder with package.json and prisma/', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'project-root-'));
    writeFileSync(path.join(root, 'package.json'), '{}');
    mkdirSync(path.join(root, 'prisma'));
    mkdirSync(path.join(root, 'dist', 'src', 'db'), { recursive: true });
    writeFileSync(path.join(root, 'dist', 'package.json'), '{"type":"module"}');
    expect(projectRootOf(pathToFileURL(path.join(root, 'dist', 'src', 'db', 'migrations.js')).href)).toBe(root);
    expect(projectRootOf(pathToFileURL(path.join(root, 'src', 'db', 'migrations.ts')).href)).toBe(root);
  });
});
