// The funding check: the foundation's remittance list against the funding receipts in the ledger.
// Reads the database and one file; writes nothing.
import type { PrismaClient } from '#prisma';
import { CheckCouldNotRun, type CheckResult, type Exception, type Figure, type Progress } from '../check-types.ts';
import { loadReceipts, programmeById, programmeCount, programmesWithAccount, type ProgrammeInfo } from '../bank/ledger.ts';
import { dayOf, fenToMoney, maskAccount, moneyText } from '../bank/units.ts';
import { FUNDING_CODES, matchRemittances, type FundingCode, type FundingFinding } from './match.ts';
import { checkListAccount, readRemittanceList, type RemittanceList } from './remittances.ts';
import { type ByteSource, baseName } from '../sources.ts';

export interface FundingCheckOptions {
  /** The foundation's remittance list (CSV, UTF-8 or GBK; layout in README.md). */
  remittances: ByteSource | undefined;
  /** The programme; default: the one whose account the list names, else the only programme. */
  programmeId?: string;
  /** Days either side within which a remittance without a matching reference may match a receipt of its amount. Default 3. */
  window?: number;
  progress?: Progress;
}

const DEFAULT_WINDOW_DAYS = 3;

const LABELS: Record<FundingCode, string> = {
  remitted_not_received: '已汇未到账 (remitted, not received in the ledger)',
  received_not_remitted: '到账不在清单中 (received in the ledger, not in the list)',
  amount_differs: '金额不符 (amount differs)',
  duplicate: '清单重复 (duplicate in the list)',
};

export async function runFundingCheck(db: PrismaClient, options: FundingCheckOptions): Promise<CheckResult> {
  const window = options.window ?? DEFAULT_WINDOW_DAYS;
  if (!Number.isInteger(window) || window < 0 || window > 31)
    throw new CheckCouldNotRun(`the matching window must be a whole number of days from 0 to 31, not ${window}`);
  const source = options.remittances;
  if (source === undefined) throw new CheckCouldNotRun("the funding check needs the foundation's remittance list (--remittances FILE)");
  const file = source.name;
  options.progress?.start(`funding: ${baseName(file)}`, null);
  let list: RemittanceList;
  try {
    list = await readRemittanceList(source);
  } finally {
    options.progress?.stop();
  }
  const programme = await chooseProgramme(db, options.programmeId, list, file);
  if (programme.currency !== 'CNY') throw new CheckCouldNotRun(`programme ${programme.code} is in ${programme.currency}; the funding check reads CNY only`);
  checkListAccount(file, list, programme.payoutAccountNumber);

  const receipts = await loadReceipts(db, programme.id);
  const dates = list.remittances.map((r) => r.date).sort();
  const from = list.period.from ?? dates[0] ?? null;
  const to = list.period.to ?? dates.at(-1) ?? null;
  const period = from !== null && to !== null ? [{ from: dayOf(from), to: dayOf(to) }] : [];
  const s = matchRemittances(list.remittances, receipts, { window, period });

  const name = baseName(file);
  const counts = Object.fromEntries(FUNDING_CODES.map((c) => [c, s.findings.filter((f) => f.code === c).length])) as Record<FundingCode, number>;
  const figures: Figure[] = [
    { key: 'remittances', label: '清单笔数 (remittances listed)', value: list.remittances.length },
    { key: 'remittances_amount', label: '清单金额 (amount listed)', value: fenToMoney(s.remittanceFen) },
    { key: 'receipts_in_period', label: '期间内账本到账 (receipts in the ledger in the period)', value: s.receiptsInPeriod },
    { key: 'receipts_in_period_amount', label: '期间内到账金额 (received in the period)', value: fenToMoney(s.receiptsInPeriodFen) },
    { key: 'receipts_reversed_in_period', label: '期间内已冲正的到账 (receipts reversed, counted as not received)', value: s.reversedInPeriod },
    { key: 'matched', label: '已匹配 (matched)', value: s.matched },
    { key: 'matched_amount', label: '已匹配金额 (matched amount)', value: fenToMoney(s.matchedFen) },
    { key: 'matched_by_reference', label: '按银行流水号匹配 (matched by bank reference)', value: s.matchedByReference },
    { key: 'matched_by_amount_date', label: `按金额和日期(±${window}天)匹配 (matched by amount and date ±${window} days)`, value: s.matchedByAmountDate },
  ];
  for (const code of FUNDING_CODES) {
    figures.push({ key: code, label: LABELS[code], value: counts[code] });
    figures.push({ key: `${code}_amount`, label: `${LABELS[code]} 金额 (amount)`, value: fenToMoney(s.findingFen[code]) });
  }
  const exceptions = s.findings.map((f) => word(f, name));
  return {
    check: 'funding',
    status: exceptions.length === 0 ? 'clean' : 'breaks',
    figures,
    exceptions,
    tables: [
      {
        title: '资金到账核对范围 (scope)',
        columns: ['programme', 'account', 'period_from', 'period_to', 'window_days'],
        rows: [[programme.code, programme.payoutAccountNumber ? maskAccount(programme.payoutAccountNumber) : '', from ?? '', to ?? '', window]],
      },
    ],
    inputs: [{ path: file, sha256: list.sha256, messageId: null, kind: `remittance list (csv, ${list.encoding})` }],
  };
}

async function chooseProgramme(db: PrismaClient, programmeId: string | undefined, list: RemittanceList, file: string): Promise<ProgrammeInfo> {
  if (programmeId !== undefined) return programmeById(db, programmeId);
  if (list.account !== null) {
    const found = await programmesWithAccount(db, list.account);
    if (found.length === 1) return found[0] as ProgrammeInfo;
    throw new CheckCouldNotRun(
      `${file}: ${found.length === 0 ? 'no programme receives into' : `${found.length} programmes receive into`} account ${maskAccount(list.account)}: name the programme`,
      { file, line: list.accountLine },
    );
  }
  const { count, only } = await programmeCount(db);
  if (count === 1 && only !== undefined) return only;
  throw new CheckCouldNotRun(`${file} names no receiving account, and there are ${count === 0 ? 'no programmes' : 'several programmes'}: name the programme`, {
    file,
  });
}

function word(f: FundingFinding, file: string): Exception {
  const where = f.line !== undefined ? `${file} 第${f.line}行 (line ${f.line})` : '';
  const listed = f.amount === undefined ? undefined : moneyText(f.amount);
  const ledger = f.receiptFen === undefined ? undefined : fenToMoney(f.receiptFen);
  switch (f.code) {
    case 'remitted_not_received':
      return {
        code: f.code,
        message:
          f.reason === 'receipt_reversed'
            ? `已汇未到账 (remitted, not received): ${where}, ${f.date} ${listed} ${f.reference ?? ''}: 账本中对应的到账 ${f.receiptReference} 已冲正 (the matching receipt ${f.receiptReference} was reversed in the ledger)`
            : `已汇未到账 (remitted, not received): ${where}, ${f.date} ${listed} ${f.reference ?? ''}: 账本中没有此到账 (no receipt in the ledger has its bank reference, nor its amount within the window)`,
        subject: {
          file,
          line: f.line ?? null,
          date: f.date ?? null,
          reference: f.reference ?? null,
          reason: f.reason ?? null,
          receipt: f.receiptReference ?? null,
        },
        ...(listed !== undefined ? { amount: listed } : {}),
      };
    case 'received_not_remitted':
      return {
        code: f.code,
        message: `到账不在清单中 (received, not in the foundation's list): 到账 (receipt) ${f.receiptReference}, ${f.receiptDate} ${ledger}`,
        subject: { receipt: f.receiptReference ?? null, receiptId: f.receiptId ?? null, date: f.receiptDate ?? null },
        ...(ledger !== undefined ? { amount: ledger } : {}),
      };
    case 'amount_differs':
      return {
        code: f.code,
        message: `金额不符 (amount differs): ${where}, ${f.reference ?? ''}: 清单 (list) ${listed}, 账本到账 (receipt) ${f.receiptReference} ${ledger}`,
        subject: {
          file,
          line: f.line ?? null,
          date: f.date ?? null,
          reference: f.reference ?? null,
          receipt: f.receiptReference ?? null,
          ledgerAmount: ledger ?? null,
        },
        ...(listed !== undefined ? { amount: listed } : {}),
      };
    case 'duplicate':
      return {
        code: f.code,
        message: `清单重复 (duplicate in the list): ${where}, 银行流水号 ${f.reference} 已见于第${f.firstLine}行 (the same bank reference as line ${f.firstLine})`,
        subject: { file, line: f.line ?? null, reference: f.reference ?? null, firstLine: f.firstLine ?? null },
        ...(listed !== undefined ? { amount: listed } : {}),
      };
  }
}
