import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { getFundingReceipt, listFundingReceipts, recordFundingReceipt, reverseFundingReceipt } from '../../services/funding-receipts.ts';
import { serviceContext } from '../context.ts';
import type { AppEnv } from '../env.ts';
import { runIdempotent } from '../idempotency.ts';
import { IdempotencyKeyHeader, Uuid, errorResponses, security } from '../schemas/common.ts';
import { FundingReceiptOut, FundingReceiptPage, FundingReceiptQuery, RecordFundingReceiptBody, ReverseBody } from '../schemas/programmes.ts';

const tags = ['Funding receipts'];
const ProgrammeParams = z.object({ programmeId: Uuid });
const ReceiptParams = ProgrammeParams.extend({ receiptId: Uuid });

const record = createRoute({
  method: 'post',
  path: '/programmes/{programmeId}/funding-receipts',
  tags,
  security,
  summary: 'Record money received from the foundation: posts Dr bank / Cr fund (finance; idempotent)',
  request: {
    params: ProgrammeParams,
    headers: IdempotencyKeyHeader,
    body: { required: true, content: { 'application/json': { schema: RecordFundingReceiptBody } } },
  },
  responses: { 201: { description: 'Recorded', content: { 'application/json': { schema: FundingReceiptOut } } }, ...errorResponses },
});

const reverse = createRoute({
  method: 'post',
  path: '/programmes/{programmeId}/funding-receipts/{receiptId}/reversal',
  tags,
  security,
  summary: 'Reverse a receipt recorded in error: posts the mirror transaction, linked to it (finance; idempotent)',
  request: {
    params: ReceiptParams,
    headers: IdempotencyKeyHeader,
    body: { required: true, content: { 'application/json': { schema: ReverseBody } } },
  },
  responses: { 200: { description: 'Reversed', content: { 'application/json': { schema: FundingReceiptOut } } }, ...errorResponses },
});

const list = createRoute({
  method: 'get',
  path: '/programmes/{programmeId}/funding-receipts',
  tags,
  security,
  summary: 'Receipts of a programme, newest first',
  request: { params: ProgrammeParams, query: FundingReceiptQuery },
  responses: { 200: { description: 'A page', content: { 'application/json': { schema: FundingReceiptPage } } }, ...errorResponses },
});

const get = createRoute({
  method: 'get',
  path: '/programmes/{programmeId}/funding-receipts/{receiptId}',
  tags,
  security,
  summary: 'One receipt',
  request: { params: ReceiptParams },
  responses: { 200: { description: 'The receipt', content: { 'application/json': { schema: FundingReceiptOut } } }, ...errorResponses },
});

export const fundingReceiptRoutes = new OpenAPIHono<AppEnv>()
  .openapi(record, async (c) => {
    const { programmeId } = c.req.valid('param');
    const body = c.req.valid('json');
    return runIdempotent(c, {
      operation: `funding_receipt.record:${programmeId}`,
      body,
      run: (ctx) => recordFundingReceipt({ ctx, input: { ...body, programmeId } }),
      present: (receipt) => ({ status: 201, body: receipt }),
    }) as never;
  })
  .openapi(reverse, async (c) => {
    const { programmeId, receiptId } = c.req.valid('param');
    const body = c.req.valid('json');
    return runIdempotent(c, {
      operation: `funding_receipt.reverse:${receiptId}`,
      body,
      run: (ctx) => reverseFundingReceipt({ ctx, input: { ...body, programmeId, receiptId } }),
      present: (receipt) => ({ status: 200, body: receipt }),
    }) as never;
  })
  .openapi(list, async (c) =>
    c.json(await listFundingReceipts({ ctx: serviceContext(c), input: { ...c.req.valid('query'), ...c.req.valid('param') } }), 200),
  )
  .openapi(get, async (c) => c.json(await getFundingReceipt({ ctx: serviceContext(c), input: c.req.valid('param') }), 200));
