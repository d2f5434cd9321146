// The finance officer's transfers: recording one the foundation made into the programme's account,
// and reversing one recorded in error. Both land on the programme's funding page, which lists the
// transfer (or its reversal) with the fund it left.
import { Hono } from 'hono';
import { randomToken } from '../../domain/random-token.ts';
import { getFundingReceipt, recordFundingReceipt, reverseFundingReceipt } from '../../services/funding-receipts.ts';
import { getProgramme } from '../../services/programmes.ts';
import { requirePermission } from '../../services/scope.ts';
import { NewReceiptPage, type ReceiptForm, ReverseReceiptPage } from '../pages/finance-funding.tsx';
import { formText } from '../submit-once.ts';
import { type WebEnv, personalPage } from '../web-kit.tsx';
import { financeForm } from './finance-forms.ts';

export function financeFundingPages(options: { trustProxy: boolean }) {
  const web = new Hono<WebEnv>();

  web.get('/programmes/:id/funding/new', (c) =>
    personalPage(c, async (ctx, viewer) => {
      const programme = await getProgramme({ ctx, input: { id: c.req.param('id') } });
      requirePermission(ctx.actor, 'funding_receipt.record');
      return c.html(<NewReceiptPage viewer={viewer} programme={programme} formKey={randomToken()} form={{}} />);
    }),
  );

  web.post('/programmes/:id/funding/new', (c) =>
    personalPage(c, async (ctx, viewer) => {
      const programme = await getProgramme({ ctx, input: { id: c.req.param('id') } });
      const body = await c.req.parseBody();
      const form: ReceiptForm = {
        amount: formText(body, 'amount', 40),
        receivedOn: formText(body, 'receivedOn', 40),
        bankReference: formText(body, 'bankReference', 100),
        note: formText(body, 'note'),
      };
      return financeForm(
        c,
        ctx,
        viewer,
        {
          ...options,
          action: 'funding_receipt.record',
          form: 'funding_receipt.record',
          body,
          again: async (refusal) =>
            c.html(<NewReceiptPage viewer={viewer} programme={programme} formKey={randomToken()} form={form} refusal={refusal} />, refusal.status),
        },
        async () => {
          await recordFundingReceipt({
            ctx,
            input: {
              programmeId: programme.id,
              remitterId: programme.funder.id,
              amount: form.amount ?? '',
              receivedOn: form.receivedOn ?? '',
              bankReference: form.bankReference ?? '',
              ...(form.note ? { note: form.note } : {}),
            },
          });
          return { location: `/programmes/${programme.id}/funding` };
        },
      );
    }),
  );

  web.get('/programmes/:id/funding/:receiptId/reverse', (c) =>
    personalPage(c, async (ctx, viewer) => {
      const programme = await getProgramme({ ctx, input: { id: c.req.param('id') } });
      requirePermission(ctx.actor, 'funding_receipt.reverse');
      const receipt = await getFundingReceipt({ ctx, input: { programmeId: programme.id, receiptId: c.req.param('receiptId') } });
      return c.html(<ReverseReceiptPage viewer={viewer} programme={programme} receipt={receipt} formKey={randomToken()} form={{}} />);
    }),
  );

  web.post('/programmes/:id/funding/:receiptId/reverse', (c) =>
    personalPage(c, async (ctx, viewer) => {
      const programme = await getProgramme({ ctx, input: { id: c.req.param('id') } });
      const receipt = await getFundingReceipt({ ctx, input: { programmeId: programme.id, receiptId: c.req.param('receiptId') } });
      const body = await c.req.parseBody();
      const form = { reason: formText(body, 'reason'), eventDate: formText(body, 'eventDate', 40) };
      return financeForm(
        c,
        ctx,
        viewer,
        {
          ...options,
          action: 'funding_receipt.reverse',
          form: 'funding_receipt.reverse',
          body,
          again: async (refusal) =>
            c.html(
              <ReverseReceiptPage viewer={viewer} programme={programme} receipt={receipt} formKey={randomToken()} form={form} refusal={refusal} />,
              refusal.status,
            ),
        },
        async () => {
          await reverseFundingReceipt({
            ctx,
            input: { programmeId: programme.id, receiptId: receipt.id, reason: form.reason, ...(form.eventDate ? { eventDate: form.eventDate } : {}) },
          });
          return { location: `/programmes/${programme.id}/funding` };
        },
      );
    }),
  );

  return web;
}
