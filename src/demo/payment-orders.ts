// What finance sent the bank, read back from the file the batch page gives for download — a
// pain.001.001.09 or a 代发 CSV (UTF-8 or GBK) — so that the demo's stand-in for the bank
// (bank-simulator.ts) can answer exactly those payouts. Only what an answer needs is read: each
// payout's reference, account, name and amount, and the paying account when the file names it.
import iconv from 'iconv-lite';
import Papa from 'papaparse';
import { SaxesParser } from 'saxes';

export interface PaymentOrder {
  reference: string;
  accountNumber: string;
  name: string;
  /** As written in the file: "3500.00". */
  amount: string;
}

export interface PaymentOrderFile {
  kind: 'pain.001' | 'daifa-csv';
  /** The programme's account the payouts are paid from, and its holder (pain.001 only; a 代发 CSV does not say). */
  debtorAccount: string | null;
  debtorName: string | null;
  orders: PaymentOrder[];
}

/** Reads either kind of batch file; throws an Error saying what is wrong with the file. */
export function readPaymentOrders(bytes: Uint8Array): PaymentOrderFile {
  const text = decode(bytes);
  return text.trimStart().startsWith('<') ? readPain001(text) : readDaifaCsv(text);
}

/** UTF-8 when the bytes are valid UTF-8 (a BOM dropped), else GBK: the two encodings the batch page writes. */
function decode(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return iconv.decode(Buffer.from(bytes), 'gbk');
  }
}

function readPain001(xml: string): PaymentOrderFile {
  const parser = new SaxesParser({ xmlns: true });
  const path: string[] = [];
  const orders: PaymentOrder[] = [];
  let debtorAccount: string | null = null;
  let debtorName: string | null = null;
  let current: Partial<PaymentOrder> | null = null;
  let text = '';
  parser.on('opentag', (tag) => {
    path.push(tag.local);
    text = '';
    if (tag.local === 'CdtTrfTxInf') current = {};
  });
  parser.on('text', (t) => {
    text += t;
  });
  parser.on('closetag', (tag) => {
    const within = (...names: string[]) => names.every((n) => path.includes(n));
    const value = text.trim();
    if (current) {
      if (tag.local === 'EndToEndId') current.reference = value;
      else if (tag.local === 'InstdAmt') current.amount = value;
      else if (tag.local === 'Nm' && path.at(-2) === 'Cdtr') current.name = value;
      else if ((tag.local === 'Id' && within('CdtrAcct', 'Othr')) || (tag.local === 'IBAN' && within('CdtrAcct'))) current.accountNumber = value;
      else if (tag.local === 'CdtTrfTxInf') {
        orders.push(complete(current, orders.length + 1));
        current = null;
      }
    } else if ((tag.local === 'Id' && within('DbtrAcct', 'Othr')) || (tag.local === 'IBAN' && within('DbtrAcct'))) {
      debtorAccount = value;
    } else if (tag.local === 'Nm' && path.at(-2) === 'Dbtr') {
      debtorName = value;
    }
    path.pop();
    text = '';
  });
  parser.write(xml).close();
  if (orders.length === 0) throw new Error('the pain.001 file holds no payment (CdtTrfTxInf)');
  return { kind: 'pain.001', debtorAccount, debtorName, orders };
}

function complete(order: Partial<PaymentOrder>, position: number): PaymentOrder {
  for (const field of ['reference', 'accountNumber', 'name', 'amount'] as const) {
    if (!order[field]) throw new Error(`payment ${position} has no ${field}`);
  }
  return order as PaymentOrder;
}

/** The 代发 CSV as src/bank/outgoing/daifa-csv.ts writes it: an optional 总笔数 line, the header, one row per payout. */
function readDaifaCsv(text: string): PaymentOrderFile {
  const rows = Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), { skipEmptyLines: true }).data;
  const headerAt = rows.findIndex((r) => r.includes('收款账号') && r.includes('金额'));
  if (headerAt < 0) throw new Error('the CSV has no header with 收款账号 and 金额');
  const header = rows[headerAt]!;
  const column = (name: string) => {
    const at = header.indexOf(name);
    if (at < 0) throw new Error(`the CSV has no ${name} column (the payout reference is needed to answer)`);
    return at;
  };
  const [account, name, amount, reference] = [column('收款账号'), column('收款户名'), column('金额'), column('备注')];
  const orders = rows
    .slice(headerAt + 1)
    .map((r, i) => complete({ reference: r[reference], accountNumber: r[account], name: r[name], amount: r[amount] }, i + 1));
  if (orders.length === 0) throw new Error('the CSV holds no payout line');
  return { kind: 'daifa-csv', debtorAccount: null, debtorName: null, orders };
}
