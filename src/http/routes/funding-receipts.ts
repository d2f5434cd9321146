import { z } from '@hono/zod-openapi';
import { getFundingReceipt, listFundingReceipts, recordFundingReceipt, reverseFundingReceipt } from '../../services/funding-receipts.ts';
import { serviceContext } from '../context.ts';
import { defineRoute, jsonBody, jsonResponse } from '../define-route.ts';
import { runIdempotent } from '../idempotency.ts';
import { Uuid } from '../schemas/common.ts';
import { FundingReceiptOut, FundingReceiptPage, FundingReceiptQuery, RecordFundingReceiptBody, ReverseBody } from '../schemas/programmes.ts';

const tags = ['Funding receipts'];
const ProgrammeParams = z.object({ programmeId: Uuid });
const ReceiptParams = ProgrammeParams.extend({ receiptId: Uuid });

const record = defineRoute(
  {
    method: 'post',
    path: '/programmes/{programmeId}/funding-receipts',
    action: 'funding_receipt.record',
    idempotent: true,
    tags,
    summary: 'Record money received from the foundation: posts Dr bank / Cr fund (finance; idempotent)',
    request: { params: ProgrammeParams, body: jsonBody(RecordFundingReceiptBody) },
    responses: { 201: jsonResponse('Recorded', FundingReceiptOut) },
  },
  async (c) => {
    const { programmeId } = c.req.valid('param');
    const body = c.req.valid('json');
    return runIdempotent(c, {
      operation: `funding_receipt.record:${programmeId}`,
      body,
      run: (ctx) => recordFundingReceipt({ ctx, input: { ...body, programmeId } }),
      present: (receipt) => ({ status: 201, body: receipt }),
    });
  },
);

const reverse = defineRoute(
  {
    method: 'post',
    path: '/programmes/{programmeId}/funding-receipts/{receiptId}/reversal',
    action: 'funding_receipt.reverse',
    idempotent: true,
    tags,
    summary: 'Reverse a receipt recorded in error: posts the mirror transaction, linked to it (finance; idempotent)',
    request: { params: ReceiptParams, body: jsonBody(ReverseBody) },
    responses: { 200: jsonResponse('Reversed', FundingReceiptOut) },
  },
  async (c) => {
    const { programmeId, receiptId } = c.req.valid('param');
    const body = c.req.valid('json');
    return runIdempotent(c, {
      operation: `funding_receipt.reverse:${receiptId}`,
      body,
      run: (ctx) => reverseFundingReceipt({ ctx, input: { ...body, programmeId, receiptId } }),
      present: (receipt) => ({ status: 200, body: receipt }),
    });
  },
);

const list = defineRoute(
  {
    method: 'get',
    path: '/programmes/{programmeId}/funding-receipts',
    action: 'funding_receipt.read',
    tags,
    summary: 'Receipts of a programme, newest first',
    request: { params: ProgrammeParams, query: FundingReceiptQuery },
    responses: { 200: jsonResponse('A page', FundingReceiptPage) },
  },
  async (c) => c.json(await listFundingReceipts({ ctx: serviceContext(c), input: { ...c.req.valid('query'), ...c.req.valid('param') } }), 200),
);

const get = defineRoute(
  {
    method: 'get',
    path: '/programmes/{programmeId}/funding-receipts/{receiptId}',
    action: 'funding_receipt.read',
    tags,
    summary: 'One receipt',
    request: { params: ReceiptParams },
    responses: { 200: jsonResponse('The receipt', FundingReceiptOut) },
  },
  async (c) => c.json(await getFundingReceipt({ ctx: serviceContext(c), input: c.req.valid('param') }), 200),
);

export const fundingReceiptRoutes = [record, reverse, list, get];
