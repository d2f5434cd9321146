// The layering rules of DESIGN.md §4 as a pure function over source text: which file may import
// which. Arrows point down only (domain ← ledger, bank ← services ← reconcile, http, web ← entries);
// domain and bank import nothing of services, http, web or db; only the entry points and the
// Node-only adapters import `node:*`. test/unit/layers.test.ts runs it over src/.
import { builtinModules } from 'node:module';
import path from 'node:path';

/**
 * The files allowed to import `node:*` (and bare Node built-ins such as 'crypto'); everything else
 * under src/ must run on Workers too. Patterns over project paths: `*` stays inside one folder
 * name, `**` spans folders.
 */
export const NODE_ADAPTERS: readonly string[] = [
  'src/server.ts', // the Node entry point
  'src/worker.ts', // the Workers entry point (nodejs_compat), when there is one
  '**/*-node.ts', // a Node-only helper named as such, beside its portable twin
  '**/node/**', // a folder of Node-only helpers
  'src/db/**', // the database client factory (PGlite in ./data, pg) and the migrations runner
  'src/demo/**', // the demonstration data generator, run from the command line
  'src/privacy/key-source.ts', // reads the personal-data key from a file or the environment
];

/**
 * package.json "imports" as Node resolves them (the default condition): the generated Prisma client
 * is imported as `#prisma`, which wrangler resolves to the workerd client instead.
 */
export const PACKAGE_IMPORTS: Readonly<Record<string, string>> = {
  '#prisma': 'src/generated/prisma/client.ts',
  '#prisma/enums': 'src/generated/prisma/enums.ts',
};

/** One import as written in a file. */
export interface ImportSite {
  specifier: string;
  /** 1-based line of the specifier. */
  line: number;
  kind: 'static' | 'dynamic';
}

/** One broken rule: `file` imports `imported` (a project path, `node:…` or a package name). */
export interface LayerViolation {
  file: string;
  imported: string;
  line: number;
  /** Why it is forbidden, e.g. "ledger must not import services"; several joined by "; ". */
  reason: string;
  /** `src/ledger/verify.ts imports src/services/context.ts (ledger must not import services)` */
  message: string;
}

const BUILTINS = new Set(builtinModules.filter((m) => !m.startsWith('_')));

// Tokens after which a `/` starts a regular expression rather than a division.
const REGEX_AFTER_WORDS = new Set(['return', 'typeof', 'instanceof', 'case', 'in', 'of', 'new', 'delete', 'void', 'throw', 'else', 'do', 'yield', 'await']);

/**
 * The source with comments blanked and the insides of string, template and regular-expression
 * literals replaced by `x` (quotes kept), of the same length and line breaks: an `import` inside a
 * comment, a string or an SQL template is not code. A quoted string ends at a line break at the
 * latest, so an apostrophe in JSX text masks no more than the rest of its line.
 */
export function maskSource(source: string): string {
  const out = source.split('');
  const n = source.length;
  const fill = (from: number, to: number, char: string): void => {
    for (let k = from; k < to; k++) if (out[k] !== '\n' && out[k] !== '\r') out[k] = char;
  };
  /** For each open `${` of a template literal, the brace depth at which it closes. */
  const templateStack: number[] = [];
  let depth = 0;
  let previous = ''; // the last significant token of code: a punctuation character or a word
  let i = 0;

  /** From just after an opening backtick (or a closing `}` of `${`): to the closing backtick or to `${`. */
  const scanTemplate = (start: number): number => {
    let k = start;
    while (k < n) {
      const c = source[k];
      if (c === '\\') {
        k += 2;
        continue;
      }
      if (c === '`') {
        fill(start, k, 'x');
        previous = ')';
        return k + 1;
      }
      if (c === '$' && source[k + 1] === '{') {
        fill(start, k, 'x');
        templateStack.push(depth);
        depth++;
        previous = '{';
        return k + 2;
      }
      k++;
    }
    fill(start, n, 'x');
    return n;
  };

  while (i < n) {
    const c = source[i] as string;
    const next = source[i + 1];
    if (c === '/' && next === '/') {
      const end = source.indexOf('\n', i);
      const stop = end === -1 ? n : end;
      fill(i, stop, ' ');
      i = stop;
      continue;
    }
    if (c === '/' && next === '*') {
      const end = source.indexOf('*/', i + 2);
      const stop = end === -1 ? n : end + 2;
      fill(i, stop, ' ');
      i = stop;
      continue;
    }
    if (c === "'" || c === '"') {
      let k = i + 1;
      while (k < n && source[k] !== c && source[k] !== '\n') k += source[k] === '\\' ? 2 : 1;
      fill(i + 1, Math.min(k, n), 'x');
      previous = ')';
      i = k + 1;
      continue;
    }
    if (c === '`') {
      i = scanTemplate(i + 1);
      continue;
    }
    if (c === '/') {
      const isRegex = previous === '' || /^[(,=:[!&|?{};+\-*%<>~^]$/.test(previous) || REGEX_AFTER_WORDS.has(previous);
      if (isRegex) {
        let k = i + 1;
        let inClass = false;
        while (k < n && source[k] !== '\n') {
          const r = source[k];
          if (r === '\\') {
            k += 2;
            continue;
          }
          if (r === '[') inClass = true;
          else if (r === ']') inClass = false;
          else if (r === '/' && !inClass) break;
          k++;
        }
        fill(i + 1, Math.min(k, n), 'x');
        previous = ')';
        i = k + 1;
        continue;
      }
      previous = '/';
      i++;
      continue;
    }
    if (c === '{') {
      depth++;
      previous = '{';
      i++;
      continue;
    }
    if (c === '}') {
      depth--;
      if (templateStack.length > 0 && templateStack[templateStack.length - 1] === depth) {
        templateStack.pop();
        i = scanTemplate(i + 1);
        continue;
      }
      previous = '}';
      i++;
      continue;
    }
    if (/[\w$]/.test(c)) {
      let k = i + 1;
      while (k < n && /[\w$]/.test(source[k] as string)) k++;
      previous = source.slice(i, k);
      i = k;
      continue;
    }
    if (!/\s/.test(c)) previous = c;
    i++;
  }
  return out.join('');
}

const lineAt = (source: string, index: number): number => {
  let line = 1;
  for (let k = 0; k < index; k++) if (source.charCodeAt(k) === 10) line++;
  return line;
};

/**
 * The imports of a TypeScript file: `import … from '…'`, `import '…'`, `import type …`,
 * `export … from '…'`, and `import('…')` with a literal argument (in code or in a type).
 * A dynamic import of a computed name cannot be checked and is not listed.
 */
export function importsOf(source: string): ImportSite[] {
  const masked = maskSource(source);
  const found: ImportSite[] = [];
  const add = (quoteAt: number, kind: ImportSite['kind']): void => {
    const quote = source[quoteAt] as string;
    const end = source.indexOf(quote, quoteAt + 1);
    if (end === -1) return;
    const specifier = source.slice(quoteAt + 1, end);
    if (quote === '`' && specifier.includes('${')) return;
    found.push({ specifier, line: lineAt(source, quoteAt), kind });
  };
  const statics = /(?<![\w$.])(?:import|export)(?![\w$])\s*(?:[^;'"`()]*?[\s}*]from\s*)?(['"])/g;
  for (const m of masked.matchAll(statics)) add((m.index as number) + m[0].length - 1, 'static');
  const dynamics = /(?<![\w$.])import\s*\(\s*(['"`])/g;
  for (const m of masked.matchAll(dynamics)) add((m.index as number) + m[0].length - 1, 'dynamic');
  return found.sort((a, b) => a.line - b.line);
}

/**
 * What a specifier names, seen from `fromFile`: a relative one becomes a project path (trying the
 * path itself, `.ts`, `.tsx` and `/index.ts` among `known` files, `.js` written for `.ts`); a Node
 * built-in becomes `node:name`; a package stays as written.
 */
export function resolveImport(fromFile: string, specifier: string, known: ReadonlySet<string>): string {
  const mapped = PACKAGE_IMPORTS[specifier];
  if (mapped) return mapped;
  if (specifier.startsWith('./') || specifier.startsWith('../') || specifier === '.' || specifier === '..') {
    const base = path.posix.normalize(path.posix.join(path.posix.dirname(fromFile), specifier));
    const candidates = [
      base,
      base.replace(/\.js$/, '.ts'),
      base.replace(/\.jsx$/, '.tsx'),
      `${base}.ts`,
      `${base}.tsx`,
      `${base}/index.ts`,
      `${base}/index.tsx`,
    ];
    return candidates.find((c) => known.has(c)) ?? base;
  }
  if (specifier.startsWith('node:')) return specifier;
  const name = specifier.split('/')[0] as string;
  if (BUILTINS.has(specifier) || BUILTINS.has(name)) return `node:${specifier}`;
  return specifier;
}

/** A pattern of NODE_ADAPTERS as a regular expression over project paths. */
function globRegExp(glob: string): RegExp {
  let re = '';
  for (let k = 0; k < glob.length; k++) {
    const c = glob[k] as string;
    if (glob.startsWith('**/', k)) {
      re += '(?:.*/)?';
      k += 2;
    } else if (glob.startsWith('**', k)) {
      re += '.*';
      k += 1;
    } else if (c === '*') re += '[^/]*';
    else re += c.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/** An import of the project's own code: relative, or through package.json "imports" (`#…`). */
const isRelative = (specifier: string): boolean => specifier.startsWith('.') || specifier.startsWith('#');
const under = (file: string, folder: string): boolean => file.startsWith(`${folder}/`);

/** `src/ledger/verify.ts` → `ledger`; `src/config.ts` → `config.ts`; outside src/: the path. */
export function layerOf(file: string): string {
  if (!file.startsWith('src/')) return file;
  return file.slice('src/'.length).split('/')[0] as string;
}

export interface LayerRule {
  /** Why `file` may not import `imported` (a resolved name), or undefined when it may. */
  check(file: string, imported: string, specifier: string): string | undefined;
}

/** `layer` (a folder of src/) must not import any of `forbidden`. */
const mustNotImport = (layer: string, forbidden: readonly string[]): LayerRule => ({
  check(file, imported, specifier) {
    if (!under(file, `src/${layer}`) || !isRelative(specifier)) return undefined;
    const target = layerOf(imported);
    return forbidden.includes(target) ? `${layer} must not import ${target}` : undefined;
  },
});

/** `layer` may import of the project only the folders `allowed` (itself among them). */
const importsOnly = (layer: string, allowed: readonly string[]): LayerRule => ({
  check(file, imported, specifier) {
    if (!under(file, `src/${layer}`) || !isRelative(specifier)) return undefined;
    const target = layerOf(imported);
    return allowed.includes(target) ? undefined : `${layer} must not import ${target}, only ${allowed.join(' and ')}`;
  },
});

const nodeAdapters = NODE_ADAPTERS.map(globRegExp);

/** The rules of DESIGN.md §4. */
export const LAYER_RULES: readonly LayerRule[] = [
  importsOnly('domain', ['domain']),
  {
    check: (file, imported) => (under(file, 'src/domain') && imported.startsWith('node:') ? 'domain must not import node:*' : undefined),
  },
  importsOnly('bank', ['domain', 'bank']),
  mustNotImport('ledger', ['services', 'http', 'web', 'reconcile']),
  mustNotImport('db', ['services', 'http', 'web', 'reconcile']),
  mustNotImport('services', ['http', 'web']),
  mustNotImport('reconcile', ['http', 'web']),
  {
    // One import for two runtimes: a relative path would bind Node's client into the Worker's bundle.
    check: (file, imported, specifier) =>
      specifier.startsWith('.') && /^src\/generated\/prisma(-workerd)?\//.test(imported) && !under(file, 'src/generated')
        ? 'the generated Prisma client only through #prisma (package.json "imports")'
        : undefined,
  },
  {
    check: (file, imported) =>
      imported.startsWith('node:') && !nodeAdapters.some((re) => re.test(file)) ? 'only entry points and Node adapters may import node:*' : undefined,
  },
];

/**
 * Every broken rule in `files` (project path → source text), one per file and imported name,
 * sorted by file and line. Pure: reads nothing but its arguments.
 */
export function checkLayers(files: ReadonlyMap<string, string>, rules: readonly LayerRule[] = LAYER_RULES): LayerViolation[] {
  const known = new Set(files.keys());
  const violations: LayerViolation[] = [];
  for (const [file, source] of [...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const seen = new Set<string>();
    for (const site of importsOf(source)) {
      const imported = resolveImport(file, site.specifier, known);
      if (seen.has(imported)) continue;
      const reasons = rules.map((r) => r.check(file, imported, site.specifier)).filter((r): r is string => r !== undefined);
      if (reasons.length === 0) continue;
      seen.add(imported);
      const reason = reasons.join('; ');
      violations.push({ file, imported, line: site.line, reason, message: `${file} imports ${imported} (${reason})` });
    }
  }
  return violations;
}
