// The bank wing (src/bank) is pure apart from its Node adapter folder: outside src/bank/node no
// file imports node:* or reaches services, http, web, db, ledger or reconcile (DESIGN.md §4: arrows
// point down), and no file outside it reaches into node/, so that a barrel never hands the app
// Node's fs or crypto. Read as text: an import added anywhere in the wing is checked.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const src = path.join(projectRoot, 'src');
const wing = path.join(src, 'bank');
const nodeFolder = path.join(wing, 'node');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** Every module specifier of a file: static imports and re-exports, dynamic imports. */
function specifiers(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const found: string[] = [];
  for (const m of text.matchAll(/\bfrom\s+['"]([^'"]+)['"]|\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s+['"]([^'"]+)['"]/gm)) {
    found.push((m[1] ?? m[2] ?? m[3]) as string);
  }
  return found;
}

const pureFiles = sourceFiles(wing).filter((file) => !file.startsWith(nodeFolder + path.sep));
const forbiddenFolders = ['services', 'http', 'web', 'db', 'ledger', 'reconcile', 'generated', 'demo'].map((name) => path.join(src, name));

describe('the bank wing', () => {
  it('has pure files to check and a Node adapter folder', () => {
    expect(pureFiles.length).toBeGreaterThan(40);
    expect(sourceFiles(nodeFolder).length).toBeGreaterThan(0);
  });

  it('imports nothing of node:* outside src/bank/node', () => {
    const offending = pureFiles.flatMap((file) =>
      specifiers(file)
        .filter((s) => s.startsWith('node:'))
        .map((s) => `${path.relative(projectRoot, file)} → ${s}`),
    );
    expect(offending).toEqual([]);
  });

  it('reaches neither src/bank/node nor the layers above it', () => {
    const offending = pureFiles.flatMap((file) =>
      specifiers(file)
        .filter((s) => s.startsWith('.'))
        .map((s) => path.resolve(path.dirname(file), s))
        .filter((target) => target.startsWith(nodeFolder + path.sep) || forbiddenFolders.some((folder) => target.startsWith(folder + path.sep)))
        .map((target) => `${path.relative(projectRoot, file)} → ${path.relative(projectRoot, target)}`),
    );
    expect(offending).toEqual([]);
  });
});
