// Every action the services write to the audit trail has its words on the audit trail page.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AUDIT_ACTION_LABELS, RECORD_TYPE_LABELS } from '../../src/web/audit-labels.ts';

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : [],
  );
}

/** The string literals written as `<key>: '…'` in the services' audit calls. */
function literals(key: string): Set<string> {
  const found = new Set<string>();
  for (const file of sources('src/services')) {
    const text = readFileSync(file, 'utf8');
    if (!text.includes('recordAudit')) continue;
    for (const m of text.matchAll(new RegExp(`${key}: '([a-z_]+(?:\\.[a-z_]+)?)'`, 'g'))) found.add(m[1]!);
  }
  return found;
}

describe('audit trail words', () => {
  it('names every audited action', () => {
    const actions = [...literals('action')].filter((a) => a.includes('.'));
    expect(actions.length).toBeGreaterThan(30);
    expect(actions.filter((a) => !(a in AUDIT_ACTION_LABELS))).toEqual([]);
  });

  it('names every audited record type', () => {
    const types = [...literals('recordType')];
    expect(types.length).toBeGreaterThan(15);
    expect(types.filter((t) => !(t in RECORD_TYPE_LABELS))).toEqual([]);
  });
});
