// The bank check's findings and counts → CheckResult: figures in a fixed order, exceptions worded
// in Chinese with English in brackets, a table of the statements, the input files. Deterministic:
// everything sorted, nothing from clocks. No personal data: payouts are named by reference,
// counterparty accounts only masked, names never.
import { Decimal } from 'decimal.js';
import { formatMoney } from '../../domain/money.ts';
import { yearsWithoutCalendar } from '../../domain/payout-transit.ts';
import { describeReturnReason } from '../../domain/return-reasons.ts';
import type { CheckResult, Exception, Figure, InputFile } from '../check-types.ts';
import { baseName } from '../sources.ts';
import { compareFindings, type MatchSummary } from './match.ts';
import type { StatementSummary } from './statements.ts';
import { FINDING_CODES, type Finding, type FindingCode, type SequenceReason } from './types.ts';
import { fenToMoney, maskAccount, moneyText } from './units.ts';

export interface StatementCheck {
  statement: StatementSummary;
  /** The period used for the ledger side; null when the statement has neither balances nor lines. */
  from: string | null;
  to: string | null;
  /** The ledger's bank balance at the start of the period (for the table), when the statement states an opening balance. */
  openingLedger: string | null;
  /** The ledger's bank balance at the closing balance's date. */
  closingLedger: string | null;
}

export interface BankResultInput {
  programmeCode: string;
  files: { path: string; duplicateOf: number | null; differsFromFirst: boolean }[];
  inputs: InputFile[];
  /** In sequence (sequence.ts); a statement that does not close its booking day has closingLedger null. */
  statements: StatementCheck[];
  /** Statements whose balances do not chain with the previous one (indexes into `statements`). */
  sequenceBreaks?: { statement: number; previous: number; reason: SequenceReason }[];
  summary: MatchSummary;
  skipped: number;
  payoutCount: number;
  receiptCount: number;
  window: number;
  /** True when counterparty accounts could be compared (a vault was given). */
  accountMatching: boolean;
  /** The programme's business days in transit and the day payouts in transit were aged as of (the only date from outside the files and the ledger: stated in the scope). */
  transit?: { businessDays: number; today: string };
}

const LABELS: Record<FindingCode, string> = {
  in_ledger_not_at_bank: '账本有、银行无 (in the ledger, not at the bank)',
  not_booked_by_bank: '在途逾期，银行未入账 (in transit past its due day: not booked by the bank)',
  at_bank_not_in_ledger: '银行有、账本无 (at the bank, not in the ledger)',
  amount_differs: '金额不符 (amount differs)',
  duplicate: '重复 (duplicate)',
  return: '退汇 (returns)',
  statement_sequence_broken: '对账单不连续 (statements out of sequence)',
  closing_balance_differs: '期末余额不符 (closing balance differs)',
  closing_balance_not_stated: '未列期末余额 (closing balance not stated)',
};

export function buildBankResult(input: BankResultInput): CheckResult {
  const { summary } = input;
  const fileName = (i: number | undefined): string | null => (i === undefined ? null : baseName((input.files[i] as { path: string }).path));

  // Statement-level findings, made here (the matcher never sees balances or files).
  const extra: Finding[] = [];
  const extraFen = new Map<FindingCode, bigint>();
  for (const [i, f] of input.files.entries()) {
    if (f.duplicateOf !== null && f.differsFromFirst) extra.push({ code: 'duplicate', reason: 'same_file_differs', file: i, firstFile: f.duplicateOf });
  }
  for (const [statementIndex, c] of input.statements.entries()) {
    const s = c.statement;
    if (s.closing === null) extra.push({ code: 'closing_balance_not_stated', file: s.file, statementIndex });
    else if (c.closingLedger !== null && !new Decimal(s.closing.amount).equals(c.closingLedger)) {
      const difference = new Decimal(s.closing.amount).minus(c.closingLedger);
      extra.push({ code: 'closing_balance_differs', file: s.file, statementIndex });
      extraFen.set('closing_balance_differs', (extraFen.get('closing_balance_differs') ?? 0n) + BigInt(difference.abs().times(100).toFixed(0)));
    }
  }
  for (const b of input.sequenceBreaks ?? []) {
    const s = input.statements[b.statement] as StatementCheck;
    extra.push({
      code: 'statement_sequence_broken',
      file: s.statement.file,
      statementIndex: b.statement,
      previousStatementIndex: b.previous,
      reason: b.reason,
    });
  }
  const statementOf = (f: Finding): StatementCheck | undefined => (f.statementIndex === undefined ? undefined : input.statements[f.statementIndex]);
  const previousOf = (f: Finding): StatementCheck | undefined =>
    f.previousStatementIndex === undefined ? undefined : input.statements[f.previousStatementIndex];

  const counts = { ...summary.findingCounts };
  for (const f of extra) counts[f.code]++;

  // Exceptions in code order; within a code, the matcher's order (file, line, date, reference).
  // A return the ledger has already recorded is no break (bank and ledger agree): it is listed in
  // its own table, for finance to retry or cancel the instalment, and counted in the figures.
  const exceptions: Exception[] = [];
  const returns: Exception[] = [];
  for (const code of FINDING_CODES) {
    const own = summary.findings.filter((f) => f.code === code);
    const more = extra.filter((f) => f.code === code).sort(compareFindings);
    for (const f of [...own, ...more]) (code === 'return' ? returns : exceptions).push(word(f, fileName, statementOf(f), previousOf(f)));
  }
  const listedPerCode = new Map<FindingCode, number>();
  for (const e of [...exceptions, ...returns]) listedPerCode.set(e.code as FindingCode, (listedPerCode.get(e.code as FindingCode) ?? 0) + 1);
  const notListed = FINDING_CODES.filter((c) => c !== 'return').reduce((n, c) => n + counts[c] - (listedPerCode.get(c) ?? 0), 0);

  const c = summary.counts;
  const s = summary.sums;
  const periods = input.statements.filter((x) => x.from !== null && x.to !== null);
  const figures: Figure[] = [
    { key: 'statement_files', label: '对账单文件 (statement files read)', value: input.files.filter((f) => f.duplicateOf === null).length },
    {
      key: 'statement_files_repeated',
      label: '重复提供的文件 (files given twice, read once)',
      value: input.files.filter((f) => f.duplicateOf !== null).length,
    },
    { key: 'statements', label: '对账单 (statements)', value: input.statements.length },
    { key: 'statement_lines', label: '流水笔数 (statement lines)', value: c.lines },
    { key: 'statement_debits', label: '支出笔数 (debit lines)', value: c.debits },
    { key: 'statement_debits_amount', label: '支出金额 (debits)', value: fenToMoney(s.debitFen) },
    { key: 'statement_credits', label: '收入笔数 (credit lines)', value: c.credits },
    { key: 'statement_credits_amount', label: '收入金额 (credits)', value: fenToMoney(s.creditFen) },
    { key: 'lines_not_booked', label: '未记账或零金额 (entries not booked or zero, not lines)', value: input.skipped },
    { key: 'ledger_payouts', label: '账本付款 (payouts in the ledger)', value: input.payoutCount },
    { key: 'ledger_receipts', label: '账本到账 (receipts in the ledger)', value: input.receiptCount },
    { key: 'matched', label: '已匹配 (matched)', value: c.matchedPayouts + c.matchedReceipts },
    { key: 'matched_amount', label: '已匹配金额 (matched amount)', value: fenToMoney(s.matchedPayoutFen + s.matchedReceiptFen) },
    { key: 'matched_payouts', label: '已匹配付款 (payouts matched)', value: c.matchedPayouts },
    { key: 'matched_receipts', label: '已匹配到账 (receipts matched)', value: c.matchedReceipts },
    { key: 'matched_by_reference', label: '按参考号匹配 (matched by reference)', value: c.matchedByReference },
    {
      key: 'matched_without_reference',
      label: `按金额、账号、日期(±${input.window}天)匹配 (matched by amount, account and date ±${input.window} days)`,
      value: c.matchedByAmount,
    },
  ];
  for (const code of FINDING_CODES) {
    figures.push({ key: code, label: LABELS[code], value: counts[code] });
    if (code === 'closing_balance_differs') {
      figures.push({ key: `${code}_amount`, label: `${LABELS[code]} 差额合计 (sum of differences)`, value: fenToMoney(extraFen.get(code) ?? 0n) });
    } else if (code !== 'closing_balance_not_stated' && code !== 'statement_sequence_broken') {
      figures.push({ key: `${code}_amount`, label: `${LABELS[code]} 金额 (amount)`, value: fenToMoney(summary.findingFen[code]) });
    }
  }
  figures.push(
    { key: 'in_transit', label: '在途未见银行流水 (payouts sent, not yet at the bank)', value: c.inTransit },
    { key: 'in_transit_amount', label: '在途金额 (in transit)', value: fenToMoney(s.inTransitFen) },
    { key: 'exceptions_not_listed', label: '未逐条列出的异常 (exceptions counted, not listed)', value: notListed },
  );

  return {
    check: 'bank',
    status: exceptions.length === 0 && notListed === 0 ? 'clean' : 'breaks',
    figures,
    exceptions,
    tables: [
      {
        title: '对账范围 (scope)',
        columns: ['programme', 'period_from', 'period_to', 'window_days', 'accounts_compared', 'transit_business_days', 'as_of'],
        rows: [
          [
            input.programmeCode,
            periods.length === 0 ? '' : (periods.map((x) => x.from as string).sort()[0] as string),
            periods.length === 0
              ? ''
              : (periods
                  .map((x) => x.to as string)
                  .sort()
                  .at(-1) as string),
            input.window,
            input.accountMatching ? 'yes' : 'no',
            input.transit?.businessDays ?? '',
            input.transit?.today ?? '',
          ],
        ],
      },
      statementTable(input, fileName),
      returnsTable(returns),
      ...assumedAccountsTable(input, fileName),
      ...calendarTable(summary),
    ],
    inputs: input.inputs,
  };
}

/** CSV statements that name no account: which account they were taken to be about, and why (only when there are any). */
function assumedAccountsTable(input: BankResultInput, fileName: (i: number) => string | null): NonNullable<CheckResult['tables']> {
  const rows = input.statements
    .filter((c) => c.statement.accountAssumed !== undefined)
    .map((c) => [
      fileName(c.statement.file) ?? '',
      c.statement.id,
      c.statement.account === null ? '' : maskAccount(c.statement.account),
      c.statement.accountAssumed === 'declared' ? '声明的账号 (declared: --account or the CSV mapping)' : "项目付款账户 (the programme's payout account)",
    ]);
  if (rows.length === 0) return [];
  return [
    {
      title: '对账单未写明账号，按以下账号核对 (statements naming no account: checked as the account below)',
      columns: ['file', 'statement', 'account', 'account_from'],
      rows,
    },
  ];
}

/** Years whose bank holidays are unknown, when payouts in transit were aged over them (weekends alone counted). */
function calendarTable(summary: MatchSummary): NonNullable<CheckResult['tables']> {
  const span = summary.transitSpan;
  const years = span === null ? [] : yearsWithoutCalendar(span.from, span.to);
  if (years.length === 0) return [];
  return [
    {
      title: '银行节假日日历未覆盖这些年份：在途天数仅按周末计算 (no bank holiday calendar for these years: days in transit counted without holidays)',
      columns: ['year'],
      rows: years.map((y) => [y]),
    },
  ];
}

/** Returns the ledger has recorded, one row each: not breaks, but instalments to retry or cancel. */
function returnsTable(returns: Exception[]): NonNullable<CheckResult['tables']>[number] {
  const columns = ['file', 'line', 'date', 'reference', 'ledger_status', 'reason', 'amount'];
  const rows = returns.map((r) => [
    String(r.subject.file ?? ''),
    r.subject.line ?? '',
    String(r.subject.date ?? ''),
    String(r.subject.reference ?? ''),
    String(r.subject.status ?? ''),
    // The code named in Chinese and English (describeReturnReason), the bank's own words kept.
    String(r.subject.returnReason ?? r.subject.reason ?? ''),
    r.amount ?? '',
  ]);
  return { title: '退汇，账本已记录：需重新发放或取消该期 (returns recorded in the ledger: retry or cancel the instalment)', columns, rows };
}

function statementTable(input: BankResultInput, fileName: (i: number) => string | null): NonNullable<CheckResult['tables']>[number] {
  const columns = [
    'file',
    'statement',
    'account',
    'period_from',
    'period_to',
    'lines',
    'opening_balance',
    'ledger_opening',
    'closing_date',
    'closing_balance',
    'ledger_closing',
    'difference',
  ];
  const rows = input.statements.map((c) => {
    const s = c.statement;
    const closing = s.closing === null ? '' : moneyText(s.closing.amount);
    const difference = s.closing !== null && c.closingLedger !== null ? formatMoney(new Decimal(s.closing.amount).minus(c.closingLedger)) : '';
    return [
      fileName(s.file) ?? '',
      s.id,
      s.account === null ? '' : maskAccount(s.account),
      c.from ?? '',
      c.to ?? '',
      s.lines,
      s.opening === null ? '' : moneyText(s.opening.amount),
      c.openingLedger === null ? '' : formatMoney(c.openingLedger),
      s.closing?.date ?? '',
      closing,
      c.closingLedger === null ? '' : formatMoney(c.closingLedger),
      difference,
    ];
  });
  return { title: "对账单与账本银行余额 (statements and the ledger's bank balance)", columns, rows };
}

const SIDE: Record<'DBIT' | 'CRDT', string> = { DBIT: '支出 (debit)', CRDT: '收入 (credit)' };

const AT_BANK: Record<string, string> = {
  no_ledger_item: '账本中没有对应的付款或到账 (no payout or receipt in the ledger has its reference, nor its amount, account and date)',
  payout_in_transit: "账本仍为已发送在途，未记银行入账 (the ledger still has the payout in transit: import the bank's answer)",
  payout_failed_in_ledger: '账本记为失败，银行却已付款且未退回 (the ledger says the payout failed; the bank paid it and did not return it)',
  payout_not_sent: '账本中该付款未发送，银行却已处理 (the payout was never sent, yet the bank booked it)',
  return_not_recorded: '银行已退汇，账本未记录退汇 (the bank returned the payout; the ledger has not recorded the return)',
  receipt_reversed: '对应的到账已在账本中冲正 (the matching receipt was reversed in the ledger: counted as not received)',
  other_debit: '不是付款的支出 (a debit that is not a payout, e.g. charges or the return of a payment received)',
};

const DUPLICATE: Record<string, string> = {
  same_line_twice: '同一笔银行流水出现两次 (the same bank line twice)',
  second_line_for_payout: '同一笔付款有第二笔银行流水 (a second bank line for one payout)',
  second_line_for_receipt: '同一笔到账有第二笔银行流水 (a second bank line for one receipt)',
  same_file_differs: '同一报文编号的对账单内容不同 (a statement with the same message id, but different content)',
};

const SEQUENCE: Record<SequenceReason, string> = {
  opening_not_previous_closing:
    '期初余额不等于前一对账单的期末余额：中间缺少对账单或余额有误 (the opening balance is not the previous closing balance: a statement is missing between them, or a balance is wrong)',
  periods_overlap: '两张对账单的期间重叠 (the two statements cover the same days)',
};

function word(
  f: Finding,
  fileName: (i: number | undefined) => string | null,
  statement: StatementCheck | undefined,
  previous: StatementCheck | undefined,
): Exception {
  const where = f.file !== undefined && f.line ? `${fileName(f.file)} 第${f.line}行 (line ${f.line})` : (fileName(f.file) ?? '');
  const lineSubject = (): Record<string, string | number | null> => ({
    file: fileName(f.file),
    line: f.line ?? null,
    date: f.date ?? null,
    side: f.side ?? null,
    bankReference: f.bankReference ?? null,
  });
  const lineAmount = f.amount === undefined ? undefined : moneyText(f.amount);
  const ledgerAmount = f.ledgerFen === undefined ? undefined : fenToMoney(f.ledgerFen);
  const what =
    f.payoutReference !== undefined ? `付款 (payout) ${f.payoutReference}` : f.receiptReference !== undefined ? `到账 (receipt) ${f.receiptReference}` : '';

  switch (f.code) {
    case 'in_ledger_not_at_bank': {
      const movement = f.movement === 'return' ? '退汇 (return of)' : f.movement === 'receipt' ? '' : '付款 (payout)';
      const subject: Record<string, string | number | null> =
        f.movement === 'receipt'
          ? { movement: 'receipt', receipt: f.receiptReference ?? null, receiptId: f.receiptId ?? null, date: f.ledgerDate ?? null }
          : { movement: f.movement ?? 'payout', reference: f.payoutReference ?? null, status: f.payoutStatus ?? null, date: f.ledgerDate ?? null };
      const name = f.movement === 'receipt' ? `到账 (receipt) ${f.receiptReference}` : `${movement} ${f.payoutReference}`;
      return withAmount(
        {
          code: f.code,
          message: `账本记有${f.movement === 'receipt' ? '到账' : f.movement === 'return' ? '退汇' : '付款'}，对账单中没有 (in the ledger, not at the bank): ${name}, ${f.ledgerDate} ${ledgerAmount}`,
          subject,
        },
        ledgerAmount,
      );
    }
    case 'not_booked_by_bank':
      return withAmount(
        {
          code: f.code,
          message: `在途逾期，银行未入账 (not booked by the bank): 付款 (payout) ${f.payoutReference} ${ledgerAmount}, 要求执行日 (requested execution) ${f.requestedOn}, 应于 (due by) ${f.dueOn} 入账, 已逾期${f.businessDaysOverdue}个银行工作日 (${f.businessDaysOverdue} bank business days overdue): 向银行查询 (ask the bank)`,
          subject: {
            reference: f.payoutReference ?? null,
            status: f.payoutStatus ?? null,
            requestedExecutionOn: f.requestedOn ?? null,
            dueOn: f.dueOn ?? null,
            businessDaysOverdue: f.businessDaysOverdue ?? null,
          },
        },
        ledgerAmount,
      );
    case 'at_bank_not_in_ledger': {
      const reason = AT_BANK[f.reason as string] ?? String(f.reason);
      const returnReason = describeReturnReason(f.returnReason);
      const subject: Record<string, string | number | null> = { ...lineSubject(), reason: f.reason ?? null };
      if (f.payoutReference !== undefined) subject.reference = f.payoutReference;
      if (f.payoutStatus !== undefined) subject.status = f.payoutStatus;
      if (f.receiptReference !== undefined) subject.receipt = f.receiptReference;
      if (f.counterpartyMasked !== undefined) subject.counterpartyAccount = f.counterpartyMasked;
      if (returnReason !== null) subject.returnReason = returnReason;
      return withAmount(
        {
          code: f.code,
          message: `对账单有此笔，账本没有 (at the bank, not in the ledger): ${where}, ${SIDE[f.side as 'DBIT' | 'CRDT']} ${lineAmount} ${f.date}${what ? `, ${what}` : ''}: ${reason}${returnReason !== null ? `; 退汇原因 (return reason): ${returnReason}` : ''}`,
          subject,
        },
        lineAmount,
      );
    }
    case 'amount_differs': {
      const subject: Record<string, string | number | null> = { ...lineSubject(), ledgerAmount: ledgerAmount ?? null };
      if (f.payoutReference !== undefined) subject.reference = f.payoutReference;
      if (f.receiptReference !== undefined) subject.receipt = f.receiptReference;
      if (f.movement !== undefined) subject.movement = f.movement;
      return withAmount(
        {
          code: f.code,
          message: `金额不符 (amount differs): ${where}, ${what}: 对账单 (statement) ${lineAmount}, 账本 (ledger) ${ledgerAmount}`,
          subject,
        },
        lineAmount,
      );
    }
    case 'duplicate': {
      const reason = DUPLICATE[f.reason as string] ?? String(f.reason);
      if (f.reason === 'same_file_differs') {
        return {
          code: f.code,
          message: `重复 (duplicate): ${fileName(f.file)} 与 (and) ${fileName(f.firstFile)}: ${reason}; 只读取了前者 (only the first was read)`,
          subject: { file: fileName(f.file), firstFile: fileName(f.firstFile), reason: f.reason },
        };
      }
      const subject: Record<string, string | number | null> = {
        ...lineSubject(),
        reason: f.reason ?? null,
        firstFile: fileName(f.firstFile),
        firstLine: f.firstLine ?? null,
      };
      if (f.payoutReference !== undefined) subject.reference = f.payoutReference;
      if (f.receiptReference !== undefined) subject.receipt = f.receiptReference;
      return withAmount(
        {
          code: f.code,
          message: `重复 (duplicate): ${where}, ${what}, ${lineAmount}: ${reason}; 首次见于 (first seen) ${fileName(f.firstFile)} 第${f.firstLine}行 (line ${f.firstLine})`,
          subject,
        },
        lineAmount,
      );
    }
    case 'return': {
      const returnReason = describeReturnReason(f.returnReason);
      const subject: Record<string, string | number | null> = {
        ...lineSubject(),
        reference: f.payoutReference ?? null,
        status: f.payoutStatus ?? null,
        reason: f.returnReason ?? null,
        returnReason,
      };
      return withAmount(
        {
          code: f.code,
          message: `退汇 (return): ${where}, ${what} ${ledgerAmount} 于 ${f.date} 退回 (came back on ${f.date})${returnReason !== null ? `: ${returnReason}` : ''}; 账本记为${f.payoutStatus === 'failed' ? '失败' : '已退汇'} (the ledger has it ${f.payoutStatus}): 需重新发放或取消该期 (retry or cancel the instalment)`,
          subject,
        },
        ledgerAmount,
      );
    }
    case 'closing_balance_differs': {
      const s = statement?.statement;
      const bank = s?.closing ? formatMoney(new Decimal(s.closing.amount)) : '';
      const ledger = statement?.closingLedger ? formatMoney(statement.closingLedger) : '';
      const difference = s?.closing && statement?.closingLedger ? formatMoney(new Decimal(s.closing.amount).minus(statement.closingLedger)) : '';
      return withAmount(
        {
          code: f.code,
          message: `期末余额不符 (closing balance differs): ${fileName(f.file)} 对账单 (statement) ${s?.id ?? ''}, ${s?.closing?.date ?? ''}: 银行 (bank) ${bank}, 账本 (ledger) ${ledger}, 差额 (difference) ${difference}${s?.closing?.fromLastLine ? " (银行余额取自最后一笔流水的余额 — the bank balance is the last line's running balance)" : ''}`,
          subject: { file: fileName(f.file), statement: s?.id ?? null, date: s?.closing?.date ?? null, bank, ledger, difference },
        },
        difference || undefined,
      );
    }
    case 'closing_balance_not_stated':
      return {
        code: f.code,
        message: `未列期末余额 (closing balance not stated): ${fileName(f.file)} 对账单 (statement) ${statement?.statement.id ?? ''}: 无法核对余额 (the balance could not be checked)`,
        subject: { file: fileName(f.file), statement: statement?.statement.id ?? null },
      };
    case 'statement_sequence_broken': {
      const s = statement?.statement;
      const p = previous?.statement;
      const opening = s?.opening ? formatMoney(new Decimal(s.opening.amount)) : '';
      const previousClosing = p?.closing ? formatMoney(new Decimal(p.closing.amount)) : '';
      const difference = s?.opening && p?.closing ? formatMoney(new Decimal(s.opening.amount).minus(p.closing.amount)) : '';
      return withAmount(
        {
          code: f.code,
          message: `对账单不连续 (statements out of sequence): ${fileName(f.file)} 对账单 (statement) ${s?.id ?? ''} (${statement?.from ?? ''}–${statement?.to ?? ''}) 期初余额 (opening) ${opening}, 前一对账单 (previous statement) ${fileName(p?.file)} ${p?.id ?? ''} (${previous?.from ?? ''}–${previous?.to ?? ''}) 期末余额 (closing) ${previousClosing}: ${SEQUENCE[f.reason as SequenceReason]}`,
          subject: {
            file: fileName(f.file),
            statement: s?.id ?? null,
            previousFile: fileName(p?.file),
            previousStatement: p?.id ?? null,
            reason: f.reason ?? null,
            opening,
            previousClosing,
          },
        },
        f.reason === 'opening_not_previous_closing' ? difference : undefined,
      );
    }
  }
}

function withAmount(e: Exception, amount: string | undefined): Exception {
  if (amount !== undefined && amount !== '') e.amount = amount;
  return e;
}
