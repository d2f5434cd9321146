// The reconciliation report: the same inputs give the same bytes and hash, whatever order the
// results and exceptions come in; the hash is recomputable from the JSON as documented; the three
// outputs state it; the CSV is safe for a spreadsheet.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalJson, type CanonicalValue } from '../../src/domain/canonical-json.ts';
import type { CheckResult } from '../../src/reconcile/check-types.ts';
import { buildReport, displayWidth, renderReports, reportHash, type ReportHeader } from '../../src/reconcile/report/index.ts';
import { RULES_VERSION } from '../../src/reconcile/rules-version.ts';

const HEAD = { seq: '42', hash: 'ab'.repeat(32) };

const header = (overrides: Partial<ReportHeader> = {}): ReportHeader => ({
  rulesVersion: RULES_VERSION,
  database: 'embedded',
  chainHead: HEAD,
  programme: null,
  checks: ['ledger', 'rules', 'figures'],
  ...overrides,
});

function results(): CheckResult[] {
  return [
    {
      check: 'rules',
      status: 'breaks',
      figures: [{ key: 'grants_checked', label: '已核对资助 (grants checked)', value: 3 }],
      exceptions: [
        { code: 'maker_is_checker', message: '同一用户提议并审批 (the same user proposed and decided)', subject: { record: 'grant', id: 'g-2' } },
        {
          code: 'grant_outside_band',
          message: '资助金额超出标准区间 (grant amount outside its band)',
          subject: { programme: 'P1', grantId: 'g-1' },
          amount: '6000.00',
        },
        { code: 'maker_is_checker', message: '同一用户提议并审批 (the same user proposed and decided)', subject: { id: 'g-1', record: 'grant' } },
      ],
    },
    {
      check: 'ledger',
      status: 'clean',
      figures: [{ key: 'transactions_checked', label: '已核验交易 (transactions checked)', value: 42 }],
      exceptions: [],
      tables: [
        {
          title: '余额 (balances)',
          columns: ['项目 (programme)', '余额 (balance)'],
          rows: [
            ['P1', '100.00'],
            ['P2', '2000.00'],
          ],
        },
      ],
    },
    {
      check: 'bank',
      status: 'clean',
      figures: [],
      exceptions: [{ code: 'in_ledger_not_at_bank', message: '=HYPERLINK("http://x") 账本有而银行无 (in the ledger, not at the bank)', subject: { seq: 10 } }],
      inputs: [
        { path: '/home/auditor/statements/b.xml', sha256: 'b'.repeat(64), messageId: 'MSG-2', kind: 'camt.053' },
        { path: '/tmp/a.csv', sha256: 'a'.repeat(64), messageId: null, kind: 'csv (preset ccb, gbk)', duplicateOf: '/tmp/other/a0.csv' },
      ],
    },
  ];
}

/** The same results, in another order, with exceptions and inputs shuffled. */
function shuffled(): CheckResult[] {
  return results()
    .reverse()
    .map((r) => ({ ...r, exceptions: [...r.exceptions].reverse(), ...(r.inputs ? { inputs: [...r.inputs].reverse() } : {}) }));
}

describe('reconciliation report', () => {
  it('gives the same bytes and hash for the same inputs, whatever their order', () => {
    const a = renderReports(header(), results());
    const b = renderReports(header({ checks: ['figures', 'rules', 'ledger'] }), shuffled());
    expect(b.json).toBe(a.json);
    expect(b.text).toBe(a.text);
    expect(b.csv).toBe(a.csv);
    expect(b.report.reportSha256).toBe(a.report.reportSha256);
    expect(a.report.reportSha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('states a hash anyone can recompute from report.json: SHA-256 of the canonical JSON without reportSha256', () => {
    const { json, report } = renderReports(header(), results());
    const parsed = JSON.parse(json) as Record<string, unknown>;
    const stated = parsed.reportSha256;
    delete parsed.reportSha256;
    const recomputed = createHash('sha256')
      .update(canonicalJson(parsed as CanonicalValue), 'utf8')
      .digest('hex');
    expect(recomputed).toBe(stated);
    expect(reportHash(report)).toBe(stated);
    expect(parsed.reportSha256Covers).toMatch(/without the reportSha256 field/);
  });

  it('changes the hash when anything it states changes', () => {
    const base = buildReport(header(), results()).reportSha256;
    expect(buildReport(header({ chainHead: { ...HEAD, seq: '43' } }), results()).reportSha256).not.toBe(base);
    expect(buildReport(header({ database: 'postgres' }), results()).reportSha256).not.toBe(base);
    expect(buildReport(header({ rulesVersion: '2099.01' }), results()).reportSha256).not.toBe(base);
    const changed = results();
    (changed[0]!.exceptions[1] as { amount?: string }).amount = '6000.01';
    expect(buildReport(header(), changed).reportSha256).not.toBe(base);
  });

  it('orders checks ledger, rules, bank, funding, figures; sorts exceptions; derives each status from its exceptions', () => {
    const report = buildReport(header(), results());
    expect(report.results.map((r) => r.check)).toEqual(['ledger', 'rules', 'bank']);
    expect(report.checks).toEqual(['ledger', 'rules', 'figures']);
    expect(report.results[1]!.exceptions.map((e) => [e.code, e.subject.id ?? e.subject.grantId])).toEqual([
      ['grant_outside_band', 'g-1'],
      ['maker_is_checker', 'g-1'],
      ['maker_is_checker', 'g-2'],
    ]);
    // A check that says clean but lists an exception is reported as breaks.
    expect(report.results[2]!.status).toBe('breaks');
    expect(report.status).toBe('breaks');
    expect(report.summary.rules).toEqual({ status: 'breaks', exceptions: 3, byCode: { grant_outside_band: 1, maker_is_checker: 2 } });
    // Subject keys sorted; a missing amount is null (the canonical form has no undefined).
    expect(Object.keys(report.results[1]!.exceptions[0]!.subject)).toEqual(['grantId', 'programme']);
    expect(report.results[1]!.exceptions[1]!.amount).toBeNull();
  });

  it('names input files by base name only, with their SHA-256, sorted', () => {
    const report = buildReport(header(), results());
    expect(report.inputs).toEqual(
      [
        { check: 'bank', name: 'a.csv', sha256: 'a'.repeat(64), messageId: null, kind: 'csv (preset ccb, gbk)', duplicateOf: 'a0.csv' },
        { check: 'bank', name: 'b.xml', sha256: 'b'.repeat(64), messageId: 'MSG-2', kind: 'camt.053' },
      ].map((i) => ({ duplicateOf: null, ...i })),
    );
    expect(JSON.stringify(report)).not.toContain('/home/auditor');
  });

  it('states the hash, rules version and chain head in all three outputs', () => {
    const { text, json, csv, report } = renderReports(header(), results());
    for (const out of [text, json, csv]) {
      expect(out).toContain(report.reportSha256);
      expect(out).toContain(RULES_VERSION);
      expect(out).toContain(HEAD.hash);
    }
    expect(text).toContain('报告哈希 (report SHA-256)');
    expect(text).toContain('账本链头 (ledger chain head)  seq 42');
  });

  it('writes the exceptions CSV as UTF-8 with a BOM, CRLF, formulas escaped', () => {
    const { csv } = renderReports(header(), results());
    expect(csv.startsWith('\uFEFF报告哈希 (report SHA-256),')).toBe(true);
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(csv.replace(/\r\n/g, '')).not.toContain('\n');
    expect(csv).toContain('检查 (check),代码 (code),说明 (message),对象 (subject),金额 (amount)\r\n');
    // papaparse escapeFormulae: a leading = is prefixed with a quote so a spreadsheet shows text.
    expect(csv).toContain(`"'=HYPERLINK(""http://x"") 账本有而银行无 (in the ledger, not at the bank)"`);
    expect(csv).toContain('rules,grant_outside_band,资助金额超出标准区间 (grant amount outside its band),grantId=g-1; programme=P1,6000.00\r\n');
  });

  it('aligns text columns by display width (a Chinese character takes two columns)', () => {
    expect(displayWidth('余额')).toBe(4);
    expect(displayWidth('P1 (x)')).toBe(6);
    const { text } = renderReports(header(), results());
    const lines = text.split('\n');
    const at = lines.findIndex((l) => l.includes('项目 (programme)') && l.includes('余额 (balance)'));
    expect(at).toBeGreaterThan(0);
    const [head, rule, first, second] = lines.slice(at, at + 4) as [string, string, string, string];
    expect(displayWidth(head)).toBe(displayWidth(rule));
    // Amounts right-aligned: both rows end in the same column.
    expect(displayWidth(first)).toBe(displayWidth(second));
    expect(first).toMatch(/P1 +100\.00$/);
  });

  it('has no timestamp in any output', () => {
    const { text, json, csv } = renderReports(header(), results());
    for (const out of [text, json, csv]) expect(out).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);
  });
});
