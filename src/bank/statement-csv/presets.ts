// Named mappings for common Chinese bank exports. A preset is nothing but a config (the same
// format as a JSON config file, see README.md); `--mapping icbc` and a file `{"extends": "icbc"}`
// give the same mapping.
//
// HONEST WARNING: these layouts were written from what such exports commonly contain (column
// names seen in 企业网银 / 个人网银 account-history downloads), NOT checked against real files from
// these banks — none were available. Banks also change their exports and differ between channels.
// Before relying on a preset, read one real export with it; if a column is missing or misnamed,
// write a config file (it can `extends` the preset and replace just the columns that differ) and
// consider correcting the preset. Every header cell a field was read from is listed in the
// statement event (source.columns), so a wrong choice is visible in the report.
import type { CsvMappingConfig } from './mapping.ts';

/**
 * Broad aliases for any Chinese bank export: the first header cell matching a field's aliases (in
 * the order listed) is used. The mode follows the header: debit + credit columns, else an amount
 * with a 借贷 flag, else a signed amount (negative = debit).
 */
const genericCn: CsvMappingConfig = {
  name: 'generic-cn',
  description: 'Chinese bank account-history CSV, any common layout',
  columns: {
    bookingDate: ['交易日期', '记账日期', '入账日期', '账务日期', '交易日', '日期', '交易时间'],
    valueDate: ['起息日', '起息日期', '计息日期'],
    transactionTime: ['交易时间', '时间', '记账时间'],
    debit: ['借方发生额', '借方金额', '借方发生额(支取)', '记账金额(支出)', '交易金额(支出)', '支出金额', '支出', '付款金额', '借方'],
    credit: ['贷方发生额', '贷方金额', '贷方发生额(收入)', '记账金额(收入)', '交易金额(收入)', '收入金额', '收入', '收款金额', '贷方'],
    amount: ['交易金额', '发生额', '金额', '记账金额'],
    direction: ['借贷标志', '借贷方向', '借/贷', '借贷', '收支标志', '收/支', '借贷标识', '方向'],
    balance: ['余额', '账户余额', '交易后余额', '本次余额', '联机余额', '当前余额'],
    currency: ['币种', '货币', '交易货币', '币别'],
    account: ['本方账号', '本方帐号', '账号', '帐号'],
    counterpartyAccount: ['对方账号', '对方帐号', '对方账户', '对手账号', '对方卡号', '收(付)方账号', '对方户口'],
    counterpartyName: ['对方户名', '对方名称', '对方账户名称', '对方单位名称', '对手户名', '收(付)方名称', '对方账户名'],
    counterpartyBank: ['对方开户行', '对方行名', '对方开户机构', '对方银行', '对方开户行名称'],
    payerAccount: ['付款人账号', '付款方账号', '付款账号'],
    payerName: ['付款人名称', '付款方名称', '付款人户名', '付款户名'],
    payeeAccount: ['收款人账号', '收款方账号', '收款账号'],
    payeeName: ['收款人名称', '收款方名称', '收款人户名', '收款户名'],
    transactionId: ['交易流水号', '流水号', '银行流水号', '核心流水号', '业务流水号', '交易参考号', '账户明细编号-交易流水号', '凭证号'],
    references: ['附言', '备注', '摘要', '用途', '交易附言', '交易用途', '交易摘要', '交易备注', '个性化信息', '说明'],
  },
};

/** 工商银行 (ICBC), corporate history download as commonly described: 交易时间 holds date and time. */
const icbc: CsvMappingConfig = {
  name: 'icbc',
  description: '工商银行 账户历史明细 (unverified layout, see presets.ts)',
  columns: {
    bookingDate: ['交易日期', '交易时间'],
    transactionTime: ['交易时间'],
    valueDate: ['起息日'],
    debit: ['借方发生额', '记账金额(支出)'],
    credit: ['贷方发生额', '记账金额(收入)'],
    direction: ['借/贷', '借贷标志'],
    balance: ['余额'],
    currency: ['币种', '记账币种'],
    account: ['本方账号'],
    counterpartyAccount: ['对方账号'],
    counterpartyName: ['对方单位名称', '对方户名'],
    counterpartyBank: ['对方行名', '对方开户行'],
    transactionId: ['交易流水号', '凭证号'],
    references: ['用途', '附言', '摘要', '个性化信息', '备注'],
  },
};

/** 建设银行 (CCB): split debit/credit with (支取)/(收入) suffixes, 账户明细编号-交易流水号. */
const ccb: CsvMappingConfig = {
  name: 'ccb',
  description: '建设银行 账户明细 (unverified layout, see presets.ts)',
  columns: {
    bookingDate: ['记账日期', '交易日期', '交易时间'],
    transactionTime: ['交易时间'],
    valueDate: ['起息日'],
    debit: ['借方发生额(支取)', '借方发生额'],
    credit: ['贷方发生额(收入)', '贷方发生额'],
    balance: ['余额', '账户余额'],
    currency: ['币种'],
    account: ['本方账号', '账号'],
    counterpartyAccount: ['对方账号'],
    counterpartyName: ['对方户名'],
    counterpartyBank: ['对方开户机构', '对方开户行'],
    transactionId: ['账户明细编号-交易流水号', '交易流水号'],
    references: ['附言', '备注', '摘要', '用途'],
  },
};

/** 中国银行 (BOC): payer and payee columns instead of a counterparty; a signed 交易金额. */
const boc: CsvMappingConfig = {
  name: 'boc',
  description: '中国银行 交易明细 (unverified layout, see presets.ts)',
  columns: {
    bookingDate: ['交易日期'],
    transactionTime: ['交易时间'],
    valueDate: ['起息日期', '起息日'],
    amount: ['交易金额'],
    direction: ['借贷标识', '借贷标志'],
    balance: ['交易后余额', '余额'],
    currency: ['交易货币', '币种'],
    payerAccount: ['付款人账号'],
    payerName: ['付款人名称'],
    payeeAccount: ['收款人账号'],
    payeeName: ['收款人名称'],
    counterpartyBank: ['对方开户行'],
    transactionId: ['交易流水号'],
    references: ['附言', '用途', '备注', '摘要'],
  },
};

/** 农业银行 (ABC): a signed 交易金额 (or 收入金额/支出金额) and 本次余额. */
const abc: CsvMappingConfig = {
  name: 'abc',
  description: '农业银行 账户明细 (unverified layout, see presets.ts)',
  columns: {
    bookingDate: ['交易日期', '交易时间'],
    transactionTime: ['交易时间'],
    debit: ['支出金额'],
    credit: ['收入金额'],
    amount: ['交易金额'],
    balance: ['本次余额', '账户余额', '余额'],
    currency: ['币种'],
    counterpartyAccount: ['对方账号'],
    counterpartyName: ['对方户名'],
    counterpartyBank: ['交易行', '对方开户行'],
    transactionId: ['交易流水号', '流水号'],
    references: ['附言', '交易用途', '用途', '摘要', '备注', '交易摘要'],
  },
};

export const CSV_PRESETS: Readonly<Record<string, CsvMappingConfig>> = Object.freeze({
  'generic-cn': genericCn,
  icbc,
  ccb,
  boc,
  abc,
});

export const CSV_PRESET_NAMES = Object.keys(CSV_PRESETS);
