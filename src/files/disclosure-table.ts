// The disclosure report as one table for CSV and XLSX: the report's facts first (programme, period,
// ledger head, content hash, the suppression rule), then each figure on a row of its own — section,
// item, and its students, 人次 and amount. A hidden cell shows “*”, as the rule stated above it says.
// All columns are text: the amounts stay the ledger's exact decimal strings, and “*” is not a number.
import type { DisclosureReport, GrantCell, OutcomeField, PersonTimeCell } from '../domain/disclosure-report.ts';
import type { Table } from './table.ts';

const HIDDEN = '*';

const OUTCOME_LABELS: Readonly<Record<OutcomeField, string>> = {
  graduatedOnTime: '按时毕业 graduated on time',
  graduatedLate: '延期毕业 graduated late',
  stillStudying: '在读 still studying',
  withdrawn: '退学 withdrawn',
  employedWithinSixMonths: '毕业六个月内就业 employed within six months',
  furtherStudyWithinSixMonths: '毕业六个月内升学 further study within six months',
  otherOrUnknown: '其他或未知 other or unknown',
};

const shown = (value: number | string | null): string => (value === null ? HIDDEN : String(value));

type Row = [section: string, item: string, value: string, students: string, times: string, amount: string];

const fact = (item: string, value: string): Row => ['报告 report', item, value, '', '', ''];
const money = (section: string, item: string, amount: string): Row => [section, item, '', '', '', amount];
const grantRow = (item: string, c: GrantCell): Row => ['批准资助 grants approved', item, '', shown(c.students), shown(c.grants), shown(c.amount)];
const timesRow = (item: string, c: PersonTimeCell): Row => ['赋能活动 empowerment', item, '', shown(c.students), shown(c.personTimes), ''];

export function disclosureTable(report: DisclosureReport): Table {
  const c = report.content;
  const rows: Row[] = [
    fact('标题 title', '慈善项目实施情况公开 (charitable project implementation disclosure)'),
    fact('项目 programme', `${c.programme.code} ${c.programme.name}`),
    fact('期间 period', `${c.period.quarter} (${c.period.startsOn} — ${c.period.endsOn})`),
    fact('账本链头 ledger chain head', c.ledger.throughSeq === null ? '-' : `seq ${c.ledger.throughSeq} ${c.ledger.headHash}`),
    fact('内容哈希 content SHA-256', report.contentSha256),
    fact('币种 currency', c.currency),
    fact('小格隐去规则', c.suppressionRule.zh),
    fact('small-cell rule', c.suppressionRule.en),
    money('资金 funds', '本季度收到 received in the quarter', c.funds.receivedInQuarter),
    money('资金 funds', '累计收到 received to date', c.funds.receivedToDate),
    money('资金 funds', '季度末未承诺 uncommitted at the quarter’s end', c.funds.uncommittedAtQuarterEnd),
    grantRow('合计 total', c.grants.total),
    ...c.grants.byLevel.map((l) => grantRow(`层次 level: ${l.label}`, l)),
    ...c.grants.byPrefecture.map((p) => grantRow(`地区 prefecture: ${p.regionName}`, p)),
    money('发放 payments', '本季度已发放 paid in the quarter', c.payments.paidInQuarter),
    money('发放 payments', '本季度退回 returned in the quarter', c.payments.returnedInQuarter),
    money('发放 payments', '本季度取消 cancelled in the quarter', c.payments.cancelledInQuarter),
    money('发放 payments', '季度末待发放 remaining at the quarter’s end', c.payments.remainingAtQuarterEnd),
    timesRow('合计 total', c.empowerment.total),
    ...c.empowerment.byKind.map((k) => timesRow(k.label, k)),
    ...c.outcomes.cohorts.flatMap((row): Row[] => {
      const section = `成效 outcomes (${c.outcomes.asOf})`;
      return [
        [section, `${row.cohort} 届 cohort: 学生 students`, '', shown(row.students), '', ''],
        ...(Object.keys(OUTCOME_LABELS) as OutcomeField[]).map((f): Row => [section, `${row.cohort} ${OUTCOME_LABELS[f]}`, '', shown(row.counts[f]), '', '']),
        [section, `${row.cohort} 完成实习 internships completed`, '', '', shown(row.internshipsCompleted), ''],
        [section, `${row.cohort} 完成职业规划课程 courses completed`, '', '', shown(row.coursesCompleted), ''],
      ];
    }),
  ];
  return {
    name: `公开报告 ${c.period.quarter}`,
    columns: [
      { header: '部分 section', kind: 'text' },
      { header: '项目 item', kind: 'text' },
      { header: '内容 value', kind: 'text' },
      { header: '学生人数 students', kind: 'text' },
      { header: '人次 person-times', kind: 'text' },
      { header: '金额 amount (CNY)', kind: 'text' },
    ],
    rows,
  };
}
