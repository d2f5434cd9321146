// The report for people: plain text, fixed-width columns (Chinese characters count two columns, as
// a terminal shows them), Chinese labels with English in brackets. A rendering of the report
// object: nothing here adds a fact, so the text says what the JSON says, and states its hash.
import type { ReconciliationReport, ReportCheck, ReportException } from './model.ts';

/** Columns a terminal gives a character: 2 for East Asian wide and full-width forms, else 1. */
function charWidth(codePoint: number): number {
  if (codePoint < 0x1100) return 1;
  if (
    codePoint <= 0x115f ||
    (codePoint >= 0x2e80 && codePoint <= 0xa4cf && codePoint !== 0x303f) ||
    (codePoint >= 0xac00 && codePoint <= 0xd7a3) ||
    (codePoint >= 0xf900 && codePoint <= 0xfaff) ||
    (codePoint >= 0xfe30 && codePoint <= 0xfe4f) ||
    (codePoint >= 0xff00 && codePoint <= 0xff60) ||
    (codePoint >= 0xffe0 && codePoint <= 0xffe6) ||
    (codePoint >= 0x20000 && codePoint <= 0x3fffd)
  ) {
    return 2;
  }
  return 1;
}

export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) width += charWidth(ch.codePointAt(0) as number);
  return width;
}

function padEnd(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - displayWidth(text)));
}

function padStart(text: string, width: number): string {
  return ' '.repeat(Math.max(0, width - displayWidth(text))) + text;
}

/** Right-aligned: counts (numbers) and amounts (strings with two decimals). Codes stay left. */
const AMOUNT = /^-?\d+\.\d{2}$/;
const RULE = '='.repeat(78);
const THIN = '-'.repeat(78);

const STATUS_TEXT = { clean: '通过 (clean)', breaks: '发现异常 (breaks found)' } as const;

/** A table with a header row, columns as wide as their widest cell; numbers right-aligned. */
export function formatTable(columns: string[], rows: (string | number)[][], indent = '  '): string[] {
  const cells = rows.map((r) => r.map((c) => String(c)));
  const widths = columns.map((c, i) => Math.max(displayWidth(c), ...cells.map((r) => displayWidth(r[i] ?? ''))));
  const numeric = columns.map((_, i) => rows.length > 0 && rows.every((r) => typeof r[i] === 'number' || AMOUNT.test(String(r[i] ?? ''))));
  const line = (values: string[], header: boolean) =>
    (indent + values.map((v, i) => (numeric[i] && !header ? padStart(v, widths[i] as number) : padEnd(v, widths[i] as number))).join('  ')).trimEnd();
  return [line(columns, true), (indent + widths.map((w) => '-'.repeat(w)).join('  ')).trimEnd(), ...cells.map((r) => line(r, false))];
}

function subjectText(subject: ReportException['subject']): string {
  return Object.entries(subject)
    .map(([k, v]) => `${k}=${v === null ? '—' : String(v)}`)
    .join('; ');
}

function checkSection(index: number, check: ReportCheck): string[] {
  const out: string[] = ['', `${index}. ${check.label} — ${STATUS_TEXT[check.status]}`, THIN];
  if (check.figures.length > 0) {
    const labelWidth = Math.max(...check.figures.map((f) => displayWidth(f.label)));
    for (const f of check.figures) out.push(`  ${padEnd(f.label, labelWidth)}  ${String(f.value)}`);
  }
  for (const table of check.tables) {
    out.push('', `  ${table.title}`);
    if (table.rows.length === 0) out.push('    无 (none)');
    else out.push(...formatTable(table.columns, table.rows, '    '));
  }
  out.push('');
  if (check.exceptions.length === 0) {
    out.push('  异常 (exceptions): 无 (none)');
  } else {
    out.push(`  异常 (exceptions): ${check.exceptions.length}`);
    check.exceptions.forEach((e, i) => {
      out.push(`  ${String(i + 1).padStart(4)}. [${e.code}] ${e.message}`);
      const where = subjectText(e.subject);
      out.push(`        对象 (subject): ${where === '' ? '—' : where}${e.amount === null ? '' : `; 金额 (amount): ${e.amount}`}`);
    });
  }
  return out;
}

export function renderText(report: ReconciliationReport): string {
  const exceptions = report.results.reduce((n, c) => n + c.exceptions.length, 0);
  const header: [string, string][] = [
    ['规则版本 (rules version)', report.rulesVersion],
    ['数据库 (database)', report.database === 'embedded' ? '嵌入式 (embedded)' : 'PostgreSQL (postgres)'],
    ['账本链头 (ledger chain head)', report.chainHead ? `seq ${report.chainHead.seq}  ${report.chainHead.hash}` : '空账本 (empty ledger)'],
    ['范围 (scope)', report.scope.programme ?? '全部项目 (all programmes)'],
    ['检查 (checks)', report.checks.join(', ')],
    ['结论 (result)', report.status === 'clean' ? STATUS_TEXT.clean : `${STATUS_TEXT.breaks}: ${exceptions} 项异常 (exceptions)`],
  ];
  const labelWidth = Math.max(...header.map(([l]) => displayWidth(l)), displayWidth('报告哈希 (report SHA-256)'));
  const out: string[] = ['对账报告 (Reconciliation report)', RULE];
  for (const [label, value] of header) out.push(`${padEnd(label, labelWidth)}  ${value}`);

  out.push('', '输入文件 (input files):');
  if (report.inputs.length === 0) out.push('  无 (none)');
  else {
    out.push(
      ...formatTable(
        ['检查 (check)', '文件 (file)', '类型 (kind)', '报文标识 (message id)', 'SHA-256', '重复 (duplicate of)'],
        report.inputs.map((f) => [f.check, f.name, f.kind, f.messageId ?? '—', f.sha256, f.duplicateOf ?? '—']),
      ),
    );
  }

  out.push('', '摘要 (summary):');
  out.push(
    ...formatTable(
      ['检查 (check)', '结果 (result)', '异常 (exceptions)', '按代码 (by code)'],
      report.results.map((c) => {
        const s = report.summary[c.check];
        const byCode = s
          ? Object.entries(s.byCode)
              .map(([code, n]) => `${code} ${n}`)
              .join(', ')
          : '';
        return [c.label, STATUS_TEXT[c.status], c.exceptions.length, byCode === '' ? '—' : byCode];
      }),
    ),
  );

  for (const [i, check] of report.results.entries()) out.push(...checkSection(i + 1, check));

  out.push('', RULE);
  out.push(`${padEnd('报告哈希 (report SHA-256)', labelWidth)}  ${report.reportSha256}`);
  out.push(`${padEnd('哈希范围 (hash covers)', labelWidth)}  ${report.reportSha256Covers}`);
  return `${out.join('\n')}\n`;
}
