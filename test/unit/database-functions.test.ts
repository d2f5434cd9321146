// The database's functions as the migrations define them, read as text: prisma/functions/README.md
// names the migration holding each one's current body; a redefinition copies the body it replaces
// (the *_error_codes migration changed only the RAISE statements, adding HINT and DETAIL); and every
// refusal names its rule in HINT, a code of DATABASE_RULES (src/domain/error-catalogue.ts).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONSTRAINT_RULES, DATABASE_RULES, isDatabaseRuleCode } from '../../src/domain/error-catalogue.ts';
import { projectRoot } from '../support/conformance.ts';

const MIGRATIONS = path.join(projectRoot, 'prisma/migrations');
const ERROR_CODES_MIGRATION = '20261207030120_error_codes';

interface Definition {
  name: string;
  migration: string;
  /** From `CREATE` to the end of the body's closing `$$`. */
  text: string;
}

/** Every function definition, in migration order. */
function definitions(): Definition[] {
  const migrations = readdirSync(MIGRATIONS)
    .filter((d) => /^\d{14}_/.test(d))
    .sort();
  return migrations.flatMap((migration) => {
    const sql = readFileSync(path.join(MIGRATIONS, migration, 'migration.sql'), 'utf8');
    return [...sql.matchAll(/CREATE (?:OR REPLACE )?FUNCTION ([a-z0-9_]+)\(/g)].map((m) => {
      const open = sql.indexOf('$$', m.index);
      const close = sql.indexOf('$$', open + 2);
      return { name: m[1]!, migration, text: sql.slice(m.index, close + 2) };
    });
  });
}

/** Each function's current definition: the last one. */
function current(): Map<string, Definition> {
  return new Map(definitions().map((d) => [d.name, d]));
}

/** A body as it was before the error codes: no HINT or DETAIL on its RAISEs, CREATE without OR REPLACE. */
const withoutCodes = (text: string) =>
  text.replace(/^CREATE OR REPLACE FUNCTION/, 'CREATE FUNCTION').replace(/, HINT = '[a-z0-9_]+'(?:,\s*DETAIL = json_build_object\([^;]*\)::text)?(?=;)/g, '');

describe('prisma/functions/README.md', () => {
  it('names, for every function, the migration that holds its current body', () => {
    const readme = readFileSync(path.join(projectRoot, 'prisma/functions/README.md'), 'utf8');
    const rows = [...readme.matchAll(/^\| `([a-z0-9_]+)` \| `(\d{14}_[a-z0-9_]+)` \|/gm)].map((m) => [m[1], m[2]]);
    const expected = [...current().values()].map((d) => [d.name, d.migration]).sort((a, b) => a[0]!.localeCompare(b[0]!));
    expect(rows).toEqual(expected);
  });
});

describe('the error codes migration', () => {
  it('redefines each function that raises, copying the body it replaces and changing only its RAISE statements', () => {
    const all = definitions();
    const redefined = all.filter((d) => d.migration === ERROR_CODES_MIGRATION);
    const raising = new Set(all.filter((d) => d.migration < ERROR_CODES_MIGRATION && /RAISE EXCEPTION/.test(d.text)).map((d) => d.name));
    expect(new Set(redefined.map((d) => d.name))).toEqual(raising);
    for (const d of redefined) {
      const before = all.filter((p) => p.name === d.name && p.migration < ERROR_CODES_MIGRATION).at(-1)!;
      expect({ name: d.name, text: withoutCodes(d.text) }).toEqual({ name: d.name, text: withoutCodes(before.text) });
      expect({ name: d.name, text: d.text }).not.toEqual({ name: d.name, text: before.text });
    }
  });

  it('gives the refusal of a negative balance its figures in DETAIL, as JSON', () => {
    const text = current().get('ledger_post')!.text;
    expect(text).toContain(
      `HINT = 'ledger_insufficient_balance',\n          DETAIL = json_build_object('account', acct_kind::text, 'available', current::text, 'needed', p_amounts[i]::text)::text;`,
    );
  });
});

describe('every refusal names its rule', () => {
  const raises = [...current().values()].flatMap((d) =>
    [...d.text.matchAll(/RAISE EXCEPTION '((?:[^']|'')*)'[^;]*;/g)].map((m) => ({
      fn: d.name,
      message: m[1]!,
      hint: /HINT = '([a-z0-9_]+)'/.exec(m[0])?.[1] ?? null,
    })),
  );

  it('in HINT, with a code of DATABASE_RULES', () => {
    expect(raises.length).toBeGreaterThan(40);
    expect(raises.filter((r) => r.hint === null || !isDatabaseRuleCode(r.hint))).toEqual([]);
  });

  it('keeping the code the message starts with, where it had one', () => {
    for (const r of raises) {
      const prefix = /^([a-z_]+):/.exec(r.message)?.[1];
      if (prefix && prefix !== 'ledger_insufficient_balance') expect({ fn: r.fn, hint: r.hint }).toEqual({ fn: r.fn, hint: prefix });
    }
    expect(raises.filter((r) => r.message.startsWith('ledger_insufficient_balance:')).map((r) => r.hint)).toEqual([
      'ledger_insufficient_balance',
      'ledger_insufficient_balance',
    ]);
  });

  it('and DATABASE_RULES lists no rule that nothing raises (but the constraints’)', () => {
    const raised = new Set(raises.map((r) => r.hint));
    expect(Object.keys(DATABASE_RULES).filter((rule) => !raised.has(rule) && !CONSTRAINT_RULES.includes(rule as never))).toEqual([]);
  });
});
