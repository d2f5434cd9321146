// Payout batches on pages: the list, a new batch for a cut-off, the batch with its totals, held
// instalments and payouts, its bank files (pain.001, 代发 CSV in UTF-8 or GBK), sending it and
// cancelling it. A batch of another programme is not found under this one.
import { Hono } from 'hono';
import { stream } from 'hono/streaming';
import { ConflictError, NotFoundError, RuleViolationError } from '../../domain/errors.ts';
import { randomToken } from '../../domain/random-token.ts';
import { may } from '../../domain/roles.ts';
import type { ServiceContext } from '../../services/context.ts';
import { type BankFileFormatValue, exportBatchFile } from '../../services/payouts/bank-files.ts';
import { getPayoutBatch, listPayoutBatches } from '../../services/payouts/batch-views.ts';
import { cancelPayoutBatch, createPayoutBatch, sendPayoutBatch } from '../../services/payouts/batches.ts';
import { listPayouts } from '../../services/payouts/payout-views.ts';
import { type ProgrammeView, getProgramme } from '../../services/programmes.ts';
import { requirePermission } from '../../services/scope.ts';
import type { Viewer } from '../layout.tsx';
import { BatchListPage, BatchPage, type NewBatchForm, NewBatchPage } from '../pages/finance-batches.tsx';
import { type FormRefusal, formText, refusalOf } from '../submit-once.ts';
import { type WebContext, type WebEnv, personalPage } from '../web-kit.tsx';
import { financeForm } from './finance-forms.ts';

const FORMATS: readonly BankFileFormatValue[] = ['pain001', 'daifa_csv_utf8', 'daifa_csv_gbk'];

/** The batch, only if it is of this programme (another programme's batch is not found here). */
async function batchOf(ctx: ServiceContext, programme: ProgrammeView, batchId: string) {
  const batch = await getPayoutBatch({ ctx, input: { batchId } });
  if (batch.programme.id !== programme.id) throw new NotFoundError('payout_batch');
  return batch;
}

/** The batch page, with the refusal of a form posted on it when there was one. */
async function batchPage(
  c: WebContext,
  ctx: ServiceContext,
  viewer: Viewer,
  programmeId: string,
  batchId: string,
  refused?: { refusal: FormRefusal; cancelReason?: string; overrideReason?: string },
) {
  // Read after the form's work: the balances and totals as it left them.
  const programme = await getProgramme({ ctx, input: { id: programmeId } });
  const batch = await batchOf(ctx, programme, batchId);
  const payouts = await listPayouts({ ctx, input: { batchId: batch.id, limit: 100, cursor: c.req.query('cursor') } });
  return c.html(
    <BatchPage
      viewer={viewer}
      programme={programme}
      batch={batch}
      payouts={payouts.items}
      nextCursor={payouts.nextCursor}
      refusal={refused?.refusal}
      actions={{
        mayExport: may(viewer.role, 'payout_batch.export_file'),
        maySend: may(viewer.role, 'payout_batch.send'),
        mayCancel: may(viewer.role, 'payout_batch.cancel'),
        sendKey: randomToken(),
        cancelKey: randomToken(),
        ...(refused?.cancelReason ? { cancelReason: refused.cancelReason } : {}),
        ...(refused?.overrideReason ? { overrideReason: refused.overrideReason } : {}),
      }}
    />,
    refused?.refusal.status ?? 200,
  );
}

export function financeBatchPages(options: { trustProxy: boolean }) {
  const web = new Hono<WebEnv>();

  web.get('/programmes/:id/payout-batches', (c) =>
    personalPage(c, async (ctx, viewer) => {
      const programme = await getProgramme({ ctx, input: { id: c.req.param('id') } });
      const page = await listPayoutBatches({ ctx, input: { programmeId: programme.id, limit: 50, cursor: c.req.query('cursor') } });
      return c.html(
        <BatchListPage
          viewer={viewer}
          programme={programme}
          batches={page.items}
          nextCursor={page.nextCursor}
          mayCreate={may(viewer.role, 'payout_batch.create')}
        />,
      );
    }),
  );

  web.get('/programmes/:id/payout-batches/new', (c) =>
    personalPage(c, async (ctx, viewer) => {
      const programme = await getProgramme({ ctx, input: { id: c.req.param('id') } });
      requirePermission(ctx.actor, 'payout_batch.create');
      return c.html(<NewBatchPage viewer={viewer} programme={programme} formKey={randomToken()} form={{}} />);
    }),
  );

  web.post('/programmes/:id/payout-batches/new', (c) =>
    personalPage(c, async (ctx, viewer) => {
      const programme = await getProgramme({ ctx, input: { id: c.req.param('id') } });
      const body = await c.req.parseBody();
      const form: NewBatchForm = { cutoffOn: formText(body, 'cutoffOn', 40), requestedExecutionOn: formText(body, 'requestedExecutionOn', 40) };
      return financeForm(
        c,
        ctx,
        viewer,
        {
          ...options,
          action: 'payout_batch.create',
          form: 'payout_batch.create',
          body,
          again: async (refusal) =>
            c.html(<NewBatchPage viewer={viewer} programme={programme} formKey={randomToken()} form={form} refusal={refusal} />, refusal.status),
        },
        async () => {
          try {
            const batch = await createPayoutBatch({
              ctx,
              input: {
                programmeId: programme.id,
                cutoffOn: form.cutoffOn ?? '',
                ...(form.requestedExecutionOn ? { requestedExecutionOn: form.requestedExecutionOn } : {}),
              },
            });
            return { location: `/programmes/${programme.id}/payout-batches/${batch.id}` };
          } catch (error) {
            // Nothing payable, but instalments due were held back: say how many, so that the
            // officer knows why the batch is empty (no batch is made to list them on).
            const held = error instanceof RuleViolationError && error.code === 'nothing_due' ? Number(error.details.held ?? 0) : 0;
            if (held === 0) throw error;
            const notice = `${(error as RuleViolationError).messageZh}；另有 ${held} 期已到期但暂缓发放（学生休学，或资格、学籍状态不允许发放），可在资助名单中查看各期状态。`;
            return {
              response: await c.html(
                <NewBatchPage
                  viewer={viewer}
                  programme={programme}
                  formKey={randomToken()}
                  form={form}
                  refusal={{ status: 422, notice, code: 'nothing_due' }}
                />,
                422,
              ),
            };
          }
        },
      );
    }),
  );

  web.get('/programmes/:id/payout-batches/:batchId', (c) =>
    personalPage(c, (ctx, viewer) => batchPage(c, ctx, viewer, c.req.param('id'), c.req.param('batchId'))),
  );

  // The bank file: whole accounts and names, so finance only; every download is an audit event.
  web.get('/programmes/:id/payout-batches/:batchId/bank-file', (c) =>
    personalPage(c, async (ctx, viewer) => {
      const programme = await getProgramme({ ctx, input: { id: c.req.param('id') } });
      requirePermission(ctx.actor, 'payout_batch.export_file');
      const batch = await batchOf(ctx, programme, c.req.param('batchId'));
      // pain.001 unless another format is asked for, as the API answers.
      const asked = c.req.query('format') ?? 'pain001';
      const format = FORMATS.find((f) => f === asked);
      if (!format) throw new NotFoundError('payout_batch');
      try {
        const file = await exportBatchFile({ ctx, input: { batchId: batch.id, format } });
        c.header('Content-Type', file.contentType);
        c.header('Content-Disposition', `attachment; filename="${file.fileName}"`);
        c.header('Content-Length', String(file.bytes));
        return stream(c, async (out) => {
          for await (const chunk of file.chunks()) await out.write(chunk);
        });
      } catch (error) {
        // A cancelled batch, a programme without its payout account: said on the batch page.
        if (error instanceof ConflictError || error instanceof RuleViolationError) {
          return batchPage(c, ctx, viewer, programme.id, batch.id, { refusal: refusalOf(error) as FormRefusal });
        }
        throw error;
      }
    }),
  );

  web.post('/programmes/:id/payout-batches/:batchId/send', (c) =>
    personalPage(c, async (ctx, viewer) => {
      const programme = await getProgramme({ ctx, input: { id: c.req.param('id') } });
      const batch = await batchOf(ctx, programme, c.req.param('batchId'));
      const body = await c.req.parseBody();
      // The override form names its reason; the plain "mark sent" form has none.
      const overrideReason = typeof body.overrideReason === 'string' ? body.overrideReason : undefined;
      return financeForm(
        c,
        ctx,
        viewer,
        {
          ...options,
          action: 'payout_batch.send',
          form: 'payout_batch.send',
          body,
          again: (refusal) => batchPage(c, ctx, viewer, programme.id, batch.id, { refusal, ...(overrideReason ? { overrideReason } : {}) }),
        },
        async () => {
          const exportOverride = overrideReason === undefined ? {} : { exportOverride: { reason: overrideReason } };
          await sendPayoutBatch({ ctx, input: { batchId: batch.id, ...exportOverride } });
          return { location: `/programmes/${programme.id}/payout-batches/${batch.id}` };
        },
      );
    }),
  );

  web.post('/programmes/:id/payout-batches/:batchId/cancel', (c) =>
    personalPage(c, async (ctx, viewer) => {
      const programme = await getProgramme({ ctx, input: { id: c.req.param('id') } });
      const batch = await batchOf(ctx, programme, c.req.param('batchId'));
      const body = await c.req.parseBody();
      const reason = formText(body, 'reason');
      return financeForm(
        c,
        ctx,
        viewer,
        {
          ...options,
          action: 'payout_batch.cancel',
          form: 'payout_batch.cancel',
          body,
          again: (refusal) => batchPage(c, ctx, viewer, programme.id, batch.id, { refusal, cancelReason: reason }),
        },
        async () => {
          await cancelPayoutBatch({ ctx, input: { batchId: batch.id, reason } });
          return { location: `/programmes/${programme.id}/payout-batches/${batch.id}` };
        },
      );
    }),
  );

  return web;
}
