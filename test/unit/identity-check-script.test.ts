// The browser's identity-number check (src/web/assets/identity-check.ts, served as /assets/identity-check.js) against the domain's
// (src/domain/identity-number.ts): the same verdict, reason for reason, on many numbers — valid ones
// from every accepted region, and each kind of mistake — with the region table the service serves.
// Then the script in a stand-in page: it speaks through the live region as the number is typed.
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { computeCheckCharacter, parseIdentityNumber } from '../../src/domain/identity-number.ts';
import { PROVINCES, QINGHAI_REGIONS } from '../../src/domain/regions.ts';
import { IDENTITY_CHECK_JS } from '../../src/web/assets/identity-check.ts';
import { type IdentityRules, identityRulesJson } from '../../src/web/identity-rules.ts';

const SOURCE = IDENTITY_CHECK_JS;
const TODAY = '2026-11-26';
const rules = JSON.parse(identityRulesJson()) as IdentityRules;

interface Check {
  verdict(input: unknown, today: string, rules: IdentityRules): string;
  sentence(input: string, today: string, rules: IdentityRules): string;
}

/** The script run with no page around it: it only defines its functions. */
function scriptFunctions(): Check {
  const sandbox: Record<string, unknown> = {};
  sandbox.globalThis = sandbox;
  vm.runInNewContext(SOURCE, sandbox);
  return sandbox.identityNumberCheck as Check;
}

/** A tiny deterministic generator, so that a failure can be replayed. */
function generator(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  return { int: (n: number) => Math.floor(next() * n), pick: <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)]! };
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

function numbers(count: number): string[] {
  const r = generator(20261126);
  const regionCodes = [
    ...QINGHAI_REGIONS.map((x) => x.code),
    ...PROVINCES.map((p) => `${p.prefix}${pad(r.int(100), 2)}${pad(r.int(100), 2)}`),
    '630000',
    '639999',
    '710101',
    '810101',
    '110001',
    '000000',
    '991234',
  ];
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const region = r.pick(regionCodes);
    const year = 1895 + r.int(135);
    const month = 1 + r.int(13);
    const day = 1 + r.int(32);
    const body = `${region}${pad(year, 4)}${pad(month, 2)}${pad(day, 2)}${pad(r.int(1000), 3)}`.slice(0, 17);
    const whole = body + computeCheckCharacter(body);
    switch (r.int(8)) {
      case 0: // a digit mistyped
      case 1: {
        const at = r.int(18);
        out.push(whole.slice(0, at) + String(r.int(10)) + whole.slice(at + 1));
        break;
      }
      case 2: // a lowercase x, spaces around
        out.push(`  ${whole.toLowerCase()} `);
        break;
      case 3: // one too few or too many
        out.push(r.int(2) ? whole.slice(0, 17) : `${whole}${r.int(10)}`);
        break;
      case 4: // a letter or a full-width digit inside
        out.push(whole.slice(0, 5) + r.pick(['A', 'x', '１', '-', ' ']) + whole.slice(6));
        break;
      default:
        out.push(whole);
    }
  }
  return out;
}

describe('the browser’s identity-number check', () => {
  it('gives the domain’s verdict on 20 000 numbers, reason for reason', () => {
    const check = scriptFunctions();
    const disagreements: string[] = [];
    const seen = new Set<string>();
    for (const number of numbers(20_000)) {
      const domain = parseIdentityNumber(number, TODAY);
      const expected = domain.ok ? 'ok' : domain.reason;
      seen.add(expected);
      const browser = check.verdict(number, TODAY, rules);
      if (browser !== expected) disagreements.push(`${JSON.stringify(number)}: browser ${browser}, domain ${expected}`);
    }
    expect(disagreements.slice(0, 10)).toEqual([]);
    // Every outcome was met, so that the comparison covered each rule.
    expect([...seen].sort()).toEqual(['birth_date', 'characters', 'check_digit', 'length', 'ok', 'region']);
  });

  it('agrees on the edges of the birth date: today, tomorrow, 1900, 1899, 29 February', () => {
    const check = scriptFunctions();
    const make = (date: string, region = '630102') => {
      const body = `${region}${date.replaceAll('-', '')}123`;
      return body + computeCheckCharacter(body);
    };
    for (const date of ['2026-11-26', '2026-11-27', '1900-01-01', '1899-12-31', '2004-02-29', '2005-02-29', '2000-02-29', '1900-02-29']) {
      const domain = parseIdentityNumber(make(date), TODAY);
      expect(check.verdict(make(date), TODAY, rules), date).toBe(domain.ok ? 'ok' : domain.reason);
    }
    expect(check.verdict(make('2006-05-20'), 'not a date', rules)).toBe('birth_date');
    expect(check.verdict(12345, TODAY, rules)).toBe('characters');
  });

  it('says how far the typing has come, then the domain’s words for what is wrong, or that the number looks right', () => {
    const check = scriptFunctions();
    expect(check.sentence('', TODAY, rules)).toBe('');
    expect(check.sentence('630102', TODAY, rules)).toBe('已输入 6 位，共 18 位。');
    expect(check.sentence('6301A2', TODAY, rules)).toBe('身份证号码前17位应为数字，最后一位为数字或X。');
    const body = '63010220060520124';
    expect(check.sentence(body + computeCheckCharacter(body), TODAY, rules)).toBe(rules.ok);
    expect(check.sentence(`${body}${computeCheckCharacter(body) === '0' ? '1' : '0'}`, TODAY, rules)).toBe('身份证号码校验位不正确。');
  });

  it('in a page: reads the rules, then fills the live region named by the field as the number is typed', async () => {
    const live = { textContent: '' };
    const listeners: (() => void)[] = [];
    const field = {
      value: '',
      getAttribute: (name: string) => ({ 'data-identity-check': 'identityNumber-live', 'data-today': TODAY })[name] ?? null,
      addEventListener: (_type: string, listener: () => void) => listeners.push(listener),
    };
    const sandbox: Record<string, unknown> = {
      document: {
        querySelector: (selector: string) => (selector === 'input[data-identity-check]' ? field : null),
        getElementById: (id: string) => (id === 'identityNumber-live' ? live : null),
      },
      fetch: async (url: string) => {
        expect(url).toBe('/assets/identity-rules.json');
        return { ok: true, json: async () => rules };
      },
    };
    sandbox.globalThis = sandbox;
    vm.runInNewContext(SOURCE, sandbox);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(listeners).toHaveLength(1);
    field.value = '63010220060520124';
    listeners[0]!();
    expect(live.textContent).toBe('已输入 17 位，共 18 位。');
    field.value += computeCheckCharacter('63010220060520124');
    listeners[0]!();
    expect(live.textContent).toBe(rules.ok);
  });
});

describe('the rules the service sends the script', () => {
  it('hold exactly the region codes the domain accepts', () => {
    const known = (code: string) => rules.blocks.includes(code.slice(0, 4)) || rules.codes.includes(code);
    expect(known('630102')).toBe(true);
    expect(known('630000')).toBe(false);
    expect(known('110101')).toBe(true);
    expect(known('110001')).toBe(false);
    expect(known('710101')).toBe(false);
    expect(rules.codes.every((code) => code.startsWith('63'))).toBe(true);
  });
});
