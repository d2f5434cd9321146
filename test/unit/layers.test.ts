// The layering of DESIGN.md §4, checked over every source file: arrows point down only (domain ←
// ledger, bank ← services ← reconcile, http, web ← entries); domain and bank import nothing of
// services, http, web or db; only the entry points and the Node-only adapters import `node:*`.
// The rules and the checker are in test/support/layers.ts, tested here on small made-up sources.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../support/conformance.ts';
import { NODE_ADAPTERS, PACKAGE_IMPORTS, checkLayers, importsOf, resolveImport } from '../support/layers.ts';

/** Every .ts / .tsx file under src/ but the generated Prisma client: project path → text. */
function sourceFiles(): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (dir: string): void => {
    for (const entry of readdirSync(path.join(projectRoot, dir), { withFileTypes: true })) {
      const file = `${dir}/${entry.name}`;
      if (entry.isDirectory()) {
        if (file !== 'src/generated') walk(file);
      } else if (/\.tsx?$/.test(entry.name)) {
        files.set(file, readFileSync(path.join(projectRoot, file), 'utf8'));
      }
    }
  };
  walk('src');
  return files;
}

/**
 * The violations the code had when this test was written: [file, imported], exactly as the checker
 * names them. The list may only shrink: a violation not listed fails, and so does an entry that no
 * longer occurs (remove it once the import is gone). Never add to it; fix the import instead.
 */
const KNOWN_VIOLATIONS: readonly (readonly [file: string, imported: string])[] = [
  // Only entry points and Node adapters may import node:*. New ids and hashes can come from Web
  // Crypto (globalThis.crypto, as src/http/app.ts and src/ledger do); file reading belongs in a
  // Node-only adapter (a `node/` folder or a `-node.ts` file, see NODE_ADAPTERS), as the
  // reconciliation's file sources do (src/reconcile/node/).
];

const key = (file: string, imported: string): string => `${file} → ${imported}`;

describe('the layers of src/', () => {
  const files = sourceFiles();
  const violations = checkLayers(files);
  const known = new Set(KNOWN_VIOLATIONS.map(([file, imported]) => key(file, imported)));

  it('reads the source files and finds their imports', () => {
    expect(files.size).toBeGreaterThan(100);
    expect([...files.keys()].some((f) => f.startsWith('src/generated/'))).toBe(false);
    const server = files.get('src/server.ts');
    expect(server, 'src/server.ts').toBeDefined();
    expect(importsOf(server as string).length).toBeGreaterThan(0);
  });

  it('breaks no rule beyond the known violations', () => {
    const fresh = violations.filter((v) => !known.has(key(v.file, v.imported))).map((v) => `${v.message} at line ${v.line}`);
    expect(fresh).toEqual([]);
  });

  it('still has every known violation (remove an entry once it is fixed)', () => {
    const found = new Set(violations.map((v) => key(v.file, v.imported)));
    const fixed = KNOWN_VIOLATIONS.map(([file, imported]) => key(file, imported)).filter((k) => !found.has(k));
    expect(fixed, 'no longer violations: remove them from KNOWN_VIOLATIONS').toEqual([]);
    expect(known.size, 'KNOWN_VIOLATIONS lists an entry twice').toBe(KNOWN_VIOLATIONS.length);
  });
});

describe('checkLayers on made-up sources', () => {
  const check = (sources: Record<string, string>): string[] => checkLayers(new Map(Object.entries(sources))).map((v) => v.message);

  it('reports a forbidden import naming the file, the import and the rule', () => {
    const violations = checkLayers(
      new Map([
        ['src/services/context.ts', 'export type Tx = object;\n'],
        ['src/ledger/verify.ts', "// why\nimport { money } from '../domain/money.ts';\nimport type { Tx } from '../services/context.ts';\n"],
      ]),
    );
    expect(violations).toEqual([
      {
        file: 'src/ledger/verify.ts',
        imported: 'src/services/context.ts',
        line: 3,
        reason: 'ledger must not import services',
        message: 'src/ledger/verify.ts imports src/services/context.ts (ledger must not import services)',
      },
    ]);
  });

  it('allows the arrows that point down', () => {
    expect(
      check({
        'src/domain/money.ts': "import { Decimal } from 'decimal.js';\nimport { z } from 'zod';\nimport { x } from './rounding.ts';\n",
        'src/bank/pain001.ts': "import { money } from '../domain/money.ts';\nimport { esc } from './xml-escape.ts';\nimport { SaxesParser } from 'saxes';\n",
        'src/ledger/journal.ts': "import type { Tx } from '../db/transaction.ts';\nimport { money } from '../domain/money.ts';\n",
        'src/db/client.ts': "import { PGlite } from '@electric-sql/pglite';\nimport { mkdirSync } from 'node:fs';\n",
        'src/services/grants.ts': "import { post } from '../ledger/journal.ts';\nimport { writePain001 } from '../bank/pain001.ts';\n",
        'src/reconcile/checks/rules.ts': "import { listGrants } from '../../services/grants.ts';\nimport { verify } from '../../ledger/verify.ts';\n",
        'src/http/routes/grants.ts': "import { createRoute } from '@hono/zod-openapi';\nimport { approveGrant } from '../../services/grants.ts';\n",
        'src/web/pages/grants.tsx': "import { approveGrant } from '../../services/grants.ts';\nexport const Page = () => <p>it's fine</p>;\n",
        'src/server.ts': "import { serve } from '@hono/node-server';\nimport { readFileSync } from 'node:fs';\nimport { createApp } from './http/app.ts';\n",
      }),
    ).toEqual([]);
  });

  it('keeps domain pure: nothing of the project outside it, no node:*', () => {
    expect(
      check({
        'src/domain/a.ts':
          "import { db } from '../db/client.ts';\nimport { createHash } from 'node:crypto';\nimport { readFileSync } from 'fs';\nimport type { Grant } from '#prisma';\n",
      }),
    ).toEqual([
      'src/domain/a.ts imports src/db/client.ts (domain must not import db, only domain)',
      'src/domain/a.ts imports node:crypto (domain must not import node:*; only entry points and Node adapters may import node:*)',
      'src/domain/a.ts imports node:fs (domain must not import node:*; only entry points and Node adapters may import node:*)',
      'src/domain/a.ts imports src/generated/prisma/client.ts (domain must not import generated, only domain)',
    ]);
    // A Node adapter's name does not let domain import node:*.
    expect(check({ 'src/domain/node/a.ts': "import { createHash } from 'node:crypto';\n" })).toEqual([
      'src/domain/node/a.ts imports node:crypto (domain must not import node:*)',
    ]);
  });

  it('lets bank import only domain and bank', () => {
    expect(
      check({
        'src/bank/a.ts': [
          "import { ctx } from '../services/context.ts';",
          "import { check } from '../reconcile/bank/index.ts';",
          "import { post } from '../ledger/journal.ts';",
          "import { readResults } from '../payouts/bank-results/index.ts';",
          "import { money } from '../domain/money.ts';",
          "import { esc } from './xml-escape.ts';",
        ].join('\n'),
      }),
    ).toEqual([
      'src/bank/a.ts imports src/services/context.ts (bank must not import services, only domain and bank)',
      'src/bank/a.ts imports src/reconcile/bank/index.ts (bank must not import reconcile, only domain and bank)',
      'src/bank/a.ts imports src/ledger/journal.ts (bank must not import ledger, only domain and bank)',
      'src/bank/a.ts imports src/payouts/bank-results/index.ts (bank must not import payouts, only domain and bank)',
    ]);
  });

  it('forbids the arrows that point up', () => {
    expect(
      check({
        'src/db/client.ts': "import { x } from '../reconcile/report/model.ts';\n",
        'src/ledger/a.ts': "import { route } from '../http/app.ts';\n",
        'src/services/a.ts': "import { studentSchema } from '../http/schemas/students.ts';\nimport { Page } from '../web/page.tsx';\n",
        'src/reconcile/a.ts': "const { app } = await import('../http/app.ts');\n",
      }),
    ).toEqual([
      'src/db/client.ts imports src/reconcile/report/model.ts (db must not import reconcile)',
      'src/ledger/a.ts imports src/http/app.ts (ledger must not import http)',
      'src/reconcile/a.ts imports src/http/app.ts (reconcile must not import http)',
      'src/services/a.ts imports src/http/schemas/students.ts (services must not import http)',
      'src/services/a.ts imports src/web/page.tsx (services must not import web)',
    ]);
  });

  it('allows node:* only in the entry points and the Node adapters', () => {
    const node = "import { createHash } from 'node:crypto';\n";
    const allowed = [
      'src/server.ts',
      'src/worker.ts',
      'src/bank/node/read-file.ts',
      'src/bank/read-file-node.ts',
      'src/db/migrations.ts',
      'src/demo/seed.ts',
      'src/privacy/key-source.ts',
    ];
    expect(check(Object.fromEntries(allowed.map((f) => [f, node])))).toEqual([]);
    expect(NODE_ADAPTERS.length).toBeGreaterThan(0);
    expect(check({ 'src/privacy/pii-vault.ts': node, 'src/services/grants.ts': node, 'src/nodes.ts': node, 'src/bank/node-x.ts': node })).toEqual([
      'src/bank/node-x.ts imports node:crypto (only entry points and Node adapters may import node:*)',
      'src/nodes.ts imports node:crypto (only entry points and Node adapters may import node:*)',
      'src/privacy/pii-vault.ts imports node:crypto (only entry points and Node adapters may import node:*)',
      'src/services/grants.ts imports node:crypto (only entry points and Node adapters may import node:*)',
    ]);
  });

  it('reaches the generated Prisma client only through #prisma, so that each runtime gets its own', () => {
    expect(
      check({
        'src/services/a.ts': "import { PrismaClient } from '#prisma';\nimport { Role } from '#prisma/enums';\n",
        'src/generated/prisma/client.ts': "import * as $Class from './internal/class.ts';\n",
        'src/services/b.ts': "import { PrismaClient } from '../generated/prisma/client.ts';\n",
        'src/worker.ts':
          "import type { Role } from './generated/prisma-workerd/enums.ts';\nimport { MIGRATION_NAMES } from './generated/migration-names.ts';\n",
      }),
    ).toEqual([
      'src/services/b.ts imports src/generated/prisma/client.ts (the generated Prisma client only through #prisma (package.json "imports"))',
      'src/worker.ts imports src/generated/prisma-workerd/enums.ts (the generated Prisma client only through #prisma (package.json "imports"))',
    ]);
  });

  it('knows package.json "imports" as Node resolves them', () => {
    const pkg = JSON.parse(readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as { imports: Record<string, { default: string; workerd: string }> };
    expect(Object.fromEntries(Object.entries(pkg.imports).map(([name, targets]) => [name, targets.default.replace(/^\.\//, '')]))).toEqual(PACKAGE_IMPORTS);
    for (const targets of Object.values(pkg.imports)) expect(targets.workerd).toBe(targets.default.replace('/prisma/', '/prisma-workerd/'));
  });
});

describe('importsOf', () => {
  const specifiers = (source: string): string[] => importsOf(source).map((i) => i.specifier);

  it('finds every form of import and re-export, on one line or several', () => {
    const source = [
      "import a from './a.ts';",
      "import type { B } from './b.ts';",
      "import './c.ts';",
      'import {',
      '  d,',
      '  type D,',
      "} from './d.ts';",
      "import e, { f } from './e.ts';",
      "import * as g from './g.ts';",
      "export * from './h.ts';",
      "export * as i from './i.ts';",
      "export { j } from './j.ts';",
      "export type { K } from './k.ts';",
      "const l = await import('./l.ts');",
      "type M = typeof import('./m.ts');",
      'const n = await import(`./n.ts`);',
      'import{o}from"./o.ts";',
    ].join('\n');
    expect(specifiers(source)).toEqual([
      './a.ts',
      './b.ts',
      './c.ts',
      './d.ts',
      './e.ts',
      './g.ts',
      './h.ts',
      './i.ts',
      './j.ts',
      './k.ts',
      './l.ts',
      './m.ts',
      './n.ts',
      './o.ts',
    ]);
    expect(importsOf(source).find((i) => i.specifier === './d.ts')).toEqual({ specifier: './d.ts', line: 7, kind: 'static' });
    expect(importsOf(source).find((i) => i.specifier === './l.ts')).toEqual({ specifier: './l.ts', line: 14, kind: 'dynamic' });
  });

  it('is not fooled by comments, strings, templates, regular expressions or JSX text', () => {
    const source = [
      "// import x from './comment.ts';",
      "/* export * from './block.ts'; */",
      'const s = "import y from \'./string.ts\'";',
      "const t = `import('./template.ts') ${value} export * from './template2.ts'`;",
      "const sql = Prisma.sql`SELECT a || ' from ' || b FROM t WHERE c = ${import.meta.url}`;",
      "const re = /import\\('.\\/regex.ts'\\)/;",
      "const half = total / 2; const q = 'it' + \"'s\";",
      "const page = <p>don't import x from './jsx.ts'</p>;",
      "import real from './real.ts';",
      'const name = "x"; const dynamic = await import(name); const computed = await import(`./${name}.ts`);',
    ].join('\n');
    expect(specifiers(source)).toEqual(['./real.ts']);
  });
});

describe('resolveImport', () => {
  const known = new Set(['src/ledger/journal.ts', 'src/bank/index.ts', 'src/web/page.tsx']);

  it.each([
    // relative specifiers become project paths
    ['src/services/a.ts', '../ledger/journal.ts', 'src/ledger/journal.ts'],
    ['src/services/a.ts', '../ledger/journal.js', 'src/ledger/journal.ts'],
    ['src/services/a.ts', '../ledger/journal', 'src/ledger/journal.ts'],
    ['src/services/a.ts', '../bank', 'src/bank/index.ts'],
    ['src/services/a.ts', '../web/page', 'src/web/page.tsx'],
    ['src/services/x/a.ts', '../../generated/prisma/client.ts', 'src/generated/prisma/client.ts'],
    // package.json "imports"
    ['src/services/x/a.ts', '#prisma', 'src/generated/prisma/client.ts'],
    ['src/a.ts', '#prisma/enums', 'src/generated/prisma/enums.ts'],
    // Node built-ins are named node:…, packages stay as written
    ['src/a.ts', 'node:fs/promises', 'node:fs/promises'],
    ['src/a.ts', 'crypto', 'node:crypto'],
    ['src/a.ts', 'fs/promises', 'node:fs/promises'],
    ['src/a.ts', 'decimal.js', 'decimal.js'],
    ['src/a.ts', '@hono/zod-openapi', '@hono/zod-openapi'],
  ])('%s: %s is %s', (from, specifier, expected) => {
    expect(resolveImport(from, specifier, known)).toBe(expected);
  });
});
