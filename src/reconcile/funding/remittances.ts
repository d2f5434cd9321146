// The foundation's remittance list (汇款清单): a CSV in UTF-8 or GBK, read with the bank statement
// CSV reader (src/bank/statement-csv: decoding, header search, dates, amounts, summary lines,
// errors by line) through a mapping of its own. Layout in README.md.
import { CheckCouldNotRun } from '../check-types.ts';
import { CsvStatementError, readCsvStatement, resolveCsvMapping, type CsvMapping } from '../../bank/statement-csv/index.ts';
import { scrub } from '../bank/statements.ts';
import { dayOf, maskAccount, normaliseAccount, toFen } from '../bank/units.ts';
import type { ByteSource } from '../sources.ts';

export interface Remittance {
  /** The line in the file. */
  line: number;
  date: string;
  day: number;
  /** As written minus formatting ("50,000.00" → "50000.00"). */
  amount: string;
  fen: number | null;
  /** 银行流水号/参考号: the bank's reference of the transfer; null when the cell is empty. */
  reference: string | null;
}

export interface RemittanceList {
  remittances: Remittance[];
  /** 收款账号 from the title lines, when stated, and its line. */
  account: string | null;
  accountLine: number | null;
  /** 起始日期 / 终止日期 from the title lines, when stated. */
  period: { from: string | null; to: string | null };
  encoding: string;
  sha256: string;
}

/** The mapping: the layout's Chinese headers, with English keys accepted too. */
export const REMITTANCE_MAPPING: CsvMapping = resolveCsvMapping(
  {
    name: 'remittance-list',
    currency: 'CNY',
    columns: {
      bookingDate: ['汇款日期', '日期', '转账日期', 'date'],
      amount: ['金额', '汇款金额', '金额(元)', 'amount'],
      transactionId: ['银行流水号/参考号', '银行流水号', '参考号', '流水号', '银行参考号', 'reference', 'bank_reference'],
      counterpartyName: ['汇款人', '汇款单位', '付款人', 'remitter'],
      references: ['备注', '附言', '用途', 'note'],
    },
    required: ['transactionId'],
    labels: {
      account: ['收款账号', '收款账户', '收款人账号', '账号'],
      accountName: ['收款人', '收款单位', '户名'],
    },
    negativeIsReversal: false,
  },
  'remittance list layout',
);

/** Reads the list, streamed; its SHA-256 from the source once read (a file hashes itself on the way). */
export async function readRemittanceList(source: ByteSource): Promise<RemittanceList> {
  const path = source.name;
  const remittances: Remittance[] = [];
  let account: string | null = null;
  let accountLine: number | null = null;
  let period: RemittanceList['period'] = { from: null, to: null };
  let encoding = 'utf-8';
  try {
    for await (const event of readCsvStatement(source.open(), { mapping: REMITTANCE_MAPPING, fileName: path })) {
      if (event.type === 'statement') {
        account = event.account;
        accountLine = account === null ? null : (event.meta.find((m) => m.value.replace(/[\s-]/g, '').includes(account as string))?.line ?? null);
        period = event.period;
      } else if (event.type === 'entry') {
        if (event.creditDebit === 'DBIT' || event.reversal) {
          fail(path, event.line, `the amount is negative (-${event.amount}): a remittance list lists transfers received, each a positive amount`);
        }
        if (/^0*(?:\.0*)?$/.test(event.amount)) fail(path, event.line, 'the amount is zero');
        remittances.push({
          line: event.line,
          date: event.bookingDate,
          day: dayOf(event.bookingDate),
          amount: event.amount,
          fen: toFen(event.amount),
          reference: event.accountServicerReference,
        });
      } else {
        encoding = event.encoding === 'gb18030' ? 'gbk' : event.encoding;
      }
    }
  } catch (error) {
    if (error instanceof CsvStatementError) {
      const column = error.column !== undefined ? `, column "${error.column}"` : '';
      throw new CheckCouldNotRun(`${path}${error.line !== undefined ? `, line ${error.line}` : ''}${column}: ${scrub(error.reason)}`, {
        file: path,
        line: error.line ?? null,
      });
    }
    const code = (error as { code?: unknown } | null)?.code;
    if (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR') {
      throw new CheckCouldNotRun(`${path}: cannot read the file (${String(code)})`, { file: path, line: null });
    }
    throw error;
  }
  return { remittances, account, accountLine, period, encoding, sha256: await source.sha256() };
}

/** Refuses a list about another account than the programme's (shown masked). */
export function checkListAccount(path: string, list: RemittanceList, programmeAccount: string | null): void {
  if (list.account === null || programmeAccount === null) return;
  if (normaliseAccount(list.account) !== normaliseAccount(programmeAccount)) {
    throw new CheckCouldNotRun(
      `${path}${list.accountLine !== null ? `, line ${list.accountLine}` : ''}: the list is about transfers to account ${maskAccount(list.account)}, not the programme's account ${maskAccount(programmeAccount)}`,
      { file: path, line: list.accountLine },
    );
  }
}

function fail(path: string, line: number, problem: string): never {
  throw new CheckCouldNotRun(`${path}, line ${line}: ${problem}`, { file: path, line });
}
