// The finance officer's (财务) pages. They live under the programme (/programmes/:id/…), not under
// a /finance desk of their own: every finance use case is about one programme — its bank account
// (receipts, the bank file's debtor, the bank's answer), its row lock (batches), its ledger
// balances — so the officer works inside the programme, with its section navigation, its
// dashboard and balances one click away, and another organisation's programme answers the same
// 404 page as the rest of the programme's pages. The finance home page links to each programme's
// batches and bank answers.
import { Hono } from 'hono';
import type { WebEnv } from '../web-kit.tsx';
import { financeBankResultPages } from './finance-bank-results.tsx';
import { financeBatchPages } from './finance-batches.tsx';
import { financeFundingPages } from './finance-funding.tsx';
import { financeStudentPages } from './finance-students.tsx';

export { BANK_RESULT_UPLOAD_PATH } from './finance-bank-results.tsx';

export function financePages(options: { trustProxy: boolean }) {
  const web = new Hono<WebEnv>();
  web.route('/', financeFundingPages(options));
  web.route('/', financeBatchPages(options));
  web.route('/', financeBankResultPages(options));
  web.route('/', financeStudentPages(options));
  return web;
}
