// Payout batches, their bank files, the bank's answers, and the payout views.
import { z } from '@hono/zod-openapi';
import { listBankLineMatches } from '../../services/payouts/bank-line-match-views.ts';
import { confirmBankLineMatch, proposeBankLineMatch, rejectBankLineMatch } from '../../services/payouts/bank-line-matches.ts';
import { importBankResults } from '../../services/payouts/bank-results.ts';
import { getBankResultImport, listBankResultImports } from '../../services/payouts/bank-result-views.ts';
import { exportBatchFile } from '../../services/payouts/bank-files.ts';
import { getPayoutBatch, listPayoutBatches } from '../../services/payouts/batch-views.ts';
import { cancelPayoutBatch, createPayoutBatch, sendPayoutBatch } from '../../services/payouts/batches.ts';
import { cancelInstalmentAfterFailure } from '../../services/payouts/instalment-cancel.ts';
import { exportPayoutsCsv } from '../../services/payouts/payout-csv.ts';
import { listPayouts } from '../../services/payouts/payout-views.ts';
import { BATCH_TRANSACTION_TIMEOUT_MS } from '../../services/context.ts';
import { serviceContext } from '../context.ts';
import { fileResponse, jsonBody, jsonResponse, optionalJsonBody, routeGroup } from '../define-route.ts';
import { bodyChunks, fileAnswer } from '../files.ts';
import { problemAnswer } from '../problem-answer.ts';
import { Uuid } from '../schemas/common.ts';
import {
  BankLineMatchList,
  BankLineMatchOut,
  BankLineMatchQuery,
  BankResultImportOut,
  BankResultImportPage,
  BankResultImportQuery,
  BankResultImportResultOut,
  BankResultsQuery,
  BatchDetailOut,
  BatchOut,
  BatchPage,
  BatchQuery,
  CancelBody,
  CancelledInstalmentOut,
  CreateBatchBody,
  FileQuery,
  PayoutCsvQuery,
  PayoutPage,
  PayoutQuery,
  ProposeBankLineMatchBody,
  RejectBankLineMatchBody,
  SendBatchBody,
} from '../schemas/payouts.ts';

const { get, post } = routeGroup({ tags: ['Payouts'] });
const Params = z.object({ id: Uuid });

/** Bank answers for a large batch are bigger than the API's 1 MiB: app.ts allows this much here. */
export const BANK_RESULTS_MAX_BYTES = 64 * 1024 * 1024;
export const BANK_RESULTS_PATH = /^\/api\/v1\/programmes\/[^/]+\/bank-results$/;

export const payoutRoutes = [
  post('/payout-batches', 'payout_batch.create', {
    idempotent: { operation: 'payout_batch.create', timeoutMs: BATCH_TRANSACTION_TIMEOUT_MS },
    summary: 'Create a payout batch of every instalment due by the cut-off (finance; idempotent)',
    description:
      'Takes every instalment due on or before `cutoffOn` whose grant is approved, whose student is still eligible and enrolled, and which is in no other open, sent or settled payout; the others due are listed as `held` with the reason (enrolment suspended, eligibility revoked). Each payout snapshots the student’s account and gets a reference `<batch code>-<6 digits>` (ISO 20022 EndToEndId). 422 `nothing_due` when nothing is payable. The same Idempotency-Key and body give the same batch.',
    request: { body: jsonBody(CreateBatchBody) },
    responses: { 201: jsonResponse('Created', BatchOut) },
  }).runs(createPayoutBatch),
  get('/payout-batches', 'payout.read', {
    summary: 'Payout batches in the caller’s scope, newest first, with counts and sums by payout status',
    request: { query: BatchQuery },
    responses: { 200: jsonResponse('A page', BatchPage) },
  }).runs(listPayoutBatches),
  get('/payout-batches/{id}', 'payout.read', {
    summary: 'One batch: counts and sums by status, the instalments it held back and why, its exported files',
    request: { params: Params },
    responses: { 200: jsonResponse('The batch', BatchDetailOut) },
  }).runs(({ ctx, input }) => getPayoutBatch({ ctx, input: { batchId: input.id } })),
  post('/payout-batches/{id}/sending', 'payout_batch.send', {
    idempotent: { operation: 'payout_batch.send', timeoutMs: BATCH_TRANSACTION_TIMEOUT_MS },
    summary: 'Mark the batch sent to the bank: Dr payable / Cr in_transit for every payout, in one transaction (finance; idempotent)',
    description:
      '409 `batch_already_sent` / `batch_cancelled` unless the batch is open; 422 `batch_out_of_date` (listing the payouts) when an instalment was held or cancelled since the batch was made — the exported file would pay it, so cancel the batch and create a new one. 422 `bank_file_not_exported` until one of the batch’s bank files was downloaded (`GET …/bank-file`): money is recorded as on its way only for a batch the bank can have received. A batch handed to the bank by other means is sent with `exportOverride: { reason }` (at least 5 characters), kept in the audit trail. No body is needed otherwise.',
    request: { params: Params, body: optionalJsonBody(SendBatchBody) },
    responses: { 200: jsonResponse('Sent', BatchOut) },
  }).runs(({ ctx, input }) =>
    sendPayoutBatch({ ctx, input: { batchId: input.id, ...(input.exportOverride ? { exportOverride: input.exportOverride } : {}) } }),
  ),
  post('/payout-batches/{id}/cancellation', 'payout_batch.cancel', {
    summary: 'Cancel an open batch with a reason: its instalments are free for a later batch (finance)',
    request: { params: Params, body: jsonBody(CancelBody) },
    responses: { 200: jsonResponse('Cancelled', BatchOut) },
  }).runs(({ ctx, input }) => cancelPayoutBatch({ ctx, input: { batchId: input.id, reason: input.reason } })),
  get('/payout-batches/{id}/bank-file', 'payout_batch.export_file', {
    summary: 'The batch’s file for the bank: pain.001.001.09 XML or the 代发 CSV in UTF-8 or GBK (finance; audited)',
    description:
      'Whole account numbers and names, so finance only, and every download is an audit event. Re-exporting gives identical bytes: the first export’s SHA-256 is stored with the batch and every later one must match. The `Repr-Digest` header carries the SHA-256. 422 `programme_payout_account_missing` until the programme’s payout account is recorded.',
    request: { params: Params, query: FileQuery },
    responses: { 200: fileResponse('The file (attachment)', 'application/xml', 'text/csv') },
  }).answers(async (c) => {
    const exported = await exportBatchFile({ ctx: serviceContext(c), input: { batchId: c.req.valid('param').id, format: c.req.valid('query').format } });
    return fileAnswer(
      c,
      exported.chunks(),
      { contentType: exported.contentType, name: exported.fileName },
      {
        'Content-Length': String(exported.bytes),
        'Repr-Digest': `sha-256=:${Buffer.from(exported.sha256, 'hex').toString('base64')}:`,
      },
    );
  }),
  get('/payouts', 'payout.read', {
    summary: 'Payouts by batch, student or status; in transit for more than N days; failures and returns to act on',
    description: 'Identities and accounts are masked for every role.',
    request: { query: PayoutQuery },
    responses: { 200: jsonResponse('A page', PayoutPage) },
  }).runs(listPayouts),
  get('/payouts.csv', 'payout.export', {
    summary: 'The same payout list as a CSV file (masked; UTF-8 with BOM or GBK; audited)',
    request: { query: PayoutCsvQuery },
    responses: { 200: fileResponse('The CSV file (attachment)', 'text/csv') },
  }).downloads(exportPayoutsCsv),
  post('/programmes/{id}/bank-results', 'bank_result.import', {
    summary: 'Import the bank’s answer — camt.054, camt.053, a 代发 result CSV or an account-history CSV — and apply it to the payouts (finance)',
    description: [
      'The body is the file itself (at most 64 MiB); an account-history CSV needs `format=statement-csv` and its `preset`. Each line is matched to its payout by reference and applies only for exactly its amount; a line without a usable reference is matched when exactly one sent payout fits its amount, payee (account by hash, else name) and booking window (`matched_without_reference`), else it is `ambiguous_match` or `unmatched` with its candidates listed (masked). What a line does: settled → Dr in_transit / Cr bank; failed or returned before settling → Dr in_transit / Cr payable; returned after settling → Dr bank / Cr payable. A failed or returned instalment is paid again by a later batch, or cancelled via POST /instalments/{id}/cancellation.',
      'The file must be about the programme’s payout account, in CNY; a file naming no account is about `account` when given, else the programme’s (`accountStatedBy`). A line booked after today (Beijing): 422 `bank_file_future_booking`, never re-dated. A malformed, truncated or unreadable file: 422 `bank_file_invalid` naming the line. Lines that match no payout, differ in amount, or would settle or return a payout a second time: 422 `bank_file_exceptions` listing them, nothing applied — unless `acceptExceptions=true`, which applies the clean lines and keeps the exceptions on record. `dryRun=true` answers the same report and writes nothing.',
      'The same file again (same SHA-256) changes nothing and answers the first import (`replayed: true`); another file reusing an earlier camt message id: 409 `bank_file_message_id_reused` naming both SHA-256. The same booking told by a notice (camt.054, 代发 result) and by a statement (camt.053, account history) within ±10 days is `already_recorded`; only a second booking on statements is a `duplicate`. The whole file is applied in one transaction or not at all.',
    ].join('\n\n'),
    request: {
      params: Params,
      query: BankResultsQuery,
      body: { required: true, description: 'The bank file', content: { 'application/xml': { schema: z.string() }, 'text/csv': { schema: z.string() } } },
    },
    responses: {
      200: jsonResponse('Dry run, or the earlier import of the same file', BankResultImportResultOut),
      201: jsonResponse('Imported', BankResultImportResultOut),
    },
  }).answers(async (c) => {
    if (!c.req.raw.body) return problemAnswer(c, 400, 'invalid_request', { zh: '请将银行文件作为请求体发送', en: 'Send the bank file as the request body.' });
    const query = c.req.valid('query');
    const result = await importBankResults({
      ctx: serviceContext(c),
      input: { programmeId: c.req.valid('param').id, content: bodyChunks(c.req.raw.body), ...query },
    });
    if (result.replayed) c.header('Idempotency-Replayed', 'true');
    return c.json(result, result.replayed || result.dryRun ? 200 : 201);
  }),
  get('/bank-results', 'payout.read', {
    summary: 'Bank answers imported, newest first, with counts by outcome',
    request: { query: BankResultImportQuery },
    responses: { 200: jsonResponse('A page', BankResultImportPage) },
  }).runs(listBankResultImports),
  get('/bank-results/{id}', 'payout.read', {
    summary: 'One imported bank answer with every line and what was done with it',
    request: { params: Params },
    responses: { 200: jsonResponse('The import', BankResultImportOut) },
  }).runs(({ ctx, input }) => getBankResultImport({ ctx, input: { importId: input.id } })),
  post('/bank-line-matches', 'bank_line_match.propose', {
    idempotent: { operation: 'bank_line_match.propose' },
    summary: 'Propose matching a line of the bank’s answer to its payout by hand, with a reason (finance; maker; idempotent)',
    description: [
      'For a line an import kept as an exception that applied to no payout (`unmatched`, `ambiguous_match`, `amount_mismatch`): name the import and the line’s `position`, the payout by `payoutId` or `payoutReference`, and why (5 to 500 characters). Nothing moves yet: another finance user or an approver confirms it (POST /bank-line-matches/{id}/confirmation).',
      'The payout must be of the same programme (else 404 naming the field), for exactly the line’s amount (422 `hand_match_amount_differs`), and in a state the line’s kind applies to — a debit or a refusal: sent; a return: sent or settled (422 `hand_match_payout_state`). 422 `bank_line_not_matchable` for a line that applied or is not such an exception. 409 `bank_line_already_matched` / `payout_already_matched` when the line, or the payout for a line of this kind, already has an open or confirmed match.',
    ].join('\n\n'),
    request: { body: jsonBody(ProposeBankLineMatchBody) },
    responses: { 201: jsonResponse('Proposed', BankLineMatchOut) },
  }).runs(proposeBankLineMatch),
  post('/bank-line-matches/{id}/confirmation', 'bank_line_match.confirm', {
    idempotent: { operation: 'bank_line_match.confirm' },
    summary:
      'Confirm a hand match: the line settles, fails or returns the payout as an imported answer would (finance or approver, never the proposer; idempotent)',
    description:
      'In one transaction under the programme’s lock, with the payout locked: every rule of the proposal is checked again — the payout settled, failed or returned meanwhile, or the line applied: 409 `hand_match_stale`, nothing written — then the payout’s status, its instalment and the ledger (settled: Dr in_transit / Cr bank; failed: Dr in_transit / Cr payable; returned: Dr bank / Cr payable) are written by the same code as an imported line, and the line becomes `matched_by_hand`. 422 `maker_checker` for the user who proposed it; 409 `hand_match_already_decided` once decided. No body.',
    request: { params: Params },
    responses: { 200: jsonResponse('Confirmed and applied', BankLineMatchOut) },
  }).runs(({ ctx, input }) => confirmBankLineMatch({ ctx, input: { matchId: input.id } })),
  post('/bank-line-matches/{id}/rejection', 'bank_line_match.confirm', {
    idempotent: { operation: 'bank_line_match.reject' },
    summary: 'Reject a hand match with a reason: the line is free to be matched again (finance or approver; idempotent)',
    description: '409 `hand_match_already_decided` once decided. The proposer may withdraw its own proposal this way.',
    request: { params: Params, body: jsonBody(RejectBankLineMatchBody) },
    responses: { 200: jsonResponse('Rejected', BankLineMatchOut) },
  }).runs(({ ctx, input }) => rejectBankLineMatch({ ctx, input: { matchId: input.id, reason: input.reason } })),
  get('/programmes/{id}/bank-line-matches', 'payout.read', {
    summary: 'Hand matches of a programme’s bank lines: by default those waiting for a checker, oldest first',
    request: { params: Params, query: BankLineMatchQuery },
    responses: { 200: jsonResponse('The matches', BankLineMatchList) },
  }).runs(({ ctx, input }) =>
    listBankLineMatches({ ctx, input: { programmeId: input.id, status: input.status, ...(input.importId ? { importId: input.importId } : {}) } }),
  ),
  post('/instalments/{id}/cancellation', 'instalment.cancel', {
    summary: 'Do not pay an instalment again after its payout failed or came back: its money returns to the fund (finance)',
    description: '422 `instalment_not_cancellable` unless the instalment’s last payout failed or was returned and it is in no batch again.',
    request: { params: Params, body: jsonBody(CancelBody) },
    responses: { 200: jsonResponse('Cancelled', CancelledInstalmentOut) },
  }).runs(({ ctx, input }) => cancelInstalmentAfterFailure({ ctx, input: { instalmentId: input.id, reason: input.reason } })),
];
