import { z } from '@hono/zod-openapi';
import { getFundingReceipt, listFundingReceipts, recordFundingReceipt, reverseFundingReceipt } from '../../services/funding-receipts.ts';
import { jsonBody, jsonResponse, routeGroup } from '../define-route.ts';
import { Uuid } from '../schemas/common.ts';
import { FundingReceiptOut, FundingReceiptPage, FundingReceiptQuery, RecordFundingReceiptBody, ReverseBody } from '../schemas/programmes.ts';

const { get, post } = routeGroup({ tags: ['Funding receipts'] });
const ProgrammeParams = z.object({ programmeId: Uuid });
const ReceiptParams = ProgrammeParams.extend({ receiptId: Uuid });

export const fundingReceiptRoutes = [
  post('/programmes/{programmeId}/funding-receipts', 'funding_receipt.record', {
    idempotent: { operation: 'funding_receipt.record' },
    summary: 'Record money received from the foundation: posts Dr bank / Cr fund (finance; idempotent)',
    request: { params: ProgrammeParams, body: jsonBody(RecordFundingReceiptBody) },
    responses: { 201: jsonResponse('Recorded', FundingReceiptOut) },
  }).runs(recordFundingReceipt),
  post('/programmes/{programmeId}/funding-receipts/{receiptId}/reversal', 'funding_receipt.reverse', {
    idempotent: { operation: 'funding_receipt.reverse' },
    summary: 'Reverse a receipt recorded in error: posts the mirror transaction, linked to it (finance; idempotent)',
    request: { params: ReceiptParams, body: jsonBody(ReverseBody) },
    responses: { 200: jsonResponse('Reversed', FundingReceiptOut) },
  }).runs(reverseFundingReceipt),
  get('/programmes/{programmeId}/funding-receipts', 'funding_receipt.read', {
    summary: 'Receipts of a programme, newest first',
    request: { params: ProgrammeParams, query: FundingReceiptQuery },
    responses: { 200: jsonResponse('A page', FundingReceiptPage) },
  }).runs(listFundingReceipts),
  get('/programmes/{programmeId}/funding-receipts/{receiptId}', 'funding_receipt.read', {
    summary: 'One receipt',
    request: { params: ReceiptParams },
    responses: { 200: jsonResponse('The receipt', FundingReceiptOut) },
  }).runs(getFundingReceipt),
];
