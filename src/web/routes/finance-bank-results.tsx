// The bank's answer on pages: uploading it (multipart, up to 64 MiB, read in chunks), the imports
// made, one import with its lines and exceptions, and the decision on a payout that came back —
// cancel its instalment (the money back to the fund); otherwise the next batch retries it.
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { NotFoundError, RuleViolationError, ValidationError } from '../../domain/errors.ts';
import { randomToken } from '../../domain/random-token.ts';
import { may } from '../../domain/roles.ts';
import { bodyChunks } from '../../http/files.ts';
import { formDataOf } from '../../http/reconciliation-upload.ts';
import { BANK_RESULTS_MAX_BYTES } from '../../http/routes/payouts.ts';
import type { ServiceContext } from '../../services/context.ts';
import { isHandMatchable, outcomeForKind } from '../../domain/bank-line-matches.ts';
import type { BankResultKind, PayoutStatus } from '../../domain/payouts.ts';
import { MATCHABLE_PER_AMOUNT, listBankLineMatches, listMatchablePayouts } from '../../services/payouts/bank-line-match-views.ts';
import { confirmBankLineMatch, proposeBankLineMatch, rejectBankLineMatch } from '../../services/payouts/bank-line-matches.ts';
import { type BankResultImportView, getBankResultImport, listBankResultImports } from '../../services/payouts/bank-result-views.ts';
import { type BankResultFormat, importBankResults } from '../../services/payouts/bank-results.ts';
import { cancelInstalmentAfterFailure } from '../../services/payouts/instalment-cancel.ts';
import { listPayouts } from '../../services/payouts/payout-views.ts';
import { CSV_PRESET_NAMES } from '../../bank/statement-csv/index.ts';
import { listOverduePayouts } from '../../services/payouts/overdue-transit.ts';
import { type ProgrammeView, getProgramme } from '../../services/programmes.ts';
import { requirePermission } from '../../services/scope.ts';
import type { Viewer } from '../layout.tsx';
import {
  BankFileTooLargePage,
  BankResultListPage,
  BankResultPage,
  type ListedException,
  type UploadForm,
  UploadBankResultPage,
} from '../pages/finance-bank-results.tsx';
import type { HandMatches } from '../pages/finance-hand-matches.tsx';
import { type FormRefusal, formText } from '../submit-once.ts';
import { type WebContext, type WebEnv, personalPage } from '../web-kit.tsx';
import { financeForm } from './finance-forms.ts';

const FORMATS: readonly BankResultFormat[] = ['auto', 'camt.054', 'camt.053', 'csv', 'statement-csv'];
const ENCODINGS = ['auto', 'utf-8', 'gbk'] as const;

/** The upload page's path: routes.tsx lets it past the pages' 64 KiB form limit. */
export const BANK_RESULT_UPLOAD_PATH = /^\/programmes\/[^/]+\/bank-results\/new$/;

const uploadLimit = bodyLimit({ maxSize: BANK_RESULTS_MAX_BYTES + 1024 * 1024, onError: (c) => c.html(<BankFileTooLargePage />, 413) });

/** The payouts that came back and wait for a decision, each with its own cancel form's key. */
async function toActOn(ctx: ServiceContext, viewer: Viewer, programmeId: string, importId: string) {
  const page = await listPayouts({ ctx, input: { programmeId, toActOn: true, limit: 200 } });
  return {
    importId,
    payouts: page.items,
    keys: Object.fromEntries(page.items.map((p) => [p.instalmentId, randomToken()])),
    mayCancel: may(viewer.role, 'instalment.cancel'),
    mayUnmask: may(viewer.role, 'student.unmask'),
  };
}

/** The import, only if it is of this programme. */
async function importOf(ctx: ServiceContext, programme: ProgrammeView, importId: string) {
  const result = await getBankResultImport({ ctx, input: { importId } });
  if (result.programmeId !== programme.id) throw new NotFoundError('bank_result_import');
  return result;
}

/**
 * The lines of the import that may be matched by hand (no open proposal yet), each with the payouts
 * it could be, and the import's proposals waiting for a checker, each form with its own key.
 */
async function handMatches(
  ctx: ServiceContext,
  viewer: Viewer,
  programmeId: string,
  result: BankResultImportView,
  refused?: HandMatches['refused'],
): Promise<HandMatches> {
  const proposals = (await listBankLineMatches({ ctx, input: { programmeId, importId: result.id, status: 'proposed' } })).items;
  const taken = new Set(proposals.map((m) => m.position));
  const open = (result.lines ?? []).filter((l) => isHandMatchable(l.outcome) && !taken.has(l.position));
  const mayPropose = may(viewer.role, 'bank_line_match.propose');
  const payouts = mayPropose ? await listMatchablePayouts({ ctx, input: { programmeId, amounts: [...new Set(open.map((l) => l.amount))].slice(0, 200) } }) : [];
  const lines = open.map((l) => {
    // A payout already in an open proposal for a line of this kind is not offered again.
    const fitting = payouts.filter(
      (p) =>
        p.amount === l.amount &&
        outcomeForKind(l.kind as BankResultKind, p.status as PayoutStatus) !== null &&
        !proposals.some((m) => m.payout.id === p.id && m.line.kind === l.kind),
    );
    // The import's own candidates (amount, payee and date fit: src/domain/bank-line-matching.ts)
    // come first when some of them can still take the line; else every payout of the amount.
    const suggested = new Set((l.candidates ?? []).map((c) => c.payoutId));
    const best = fitting.filter((p) => suggested.has(p.id));
    const offered = best.length > 0 ? best : fitting;
    return { ...l, candidates: offered.length > MATCHABLE_PER_AMOUNT ? null : offered };
  });
  const keys: Record<string, string> = {};
  for (const l of lines) keys[`line-${l.position}`] = randomToken();
  for (const m of proposals) {
    keys[`confirm-${m.id}`] = randomToken();
    keys[`reject-${m.id}`] = randomToken();
  }
  return {
    importId: result.id,
    lines,
    proposals,
    mayPropose,
    mayConfirm: may(viewer.role, 'bank_line_match.confirm'),
    userId: ctx.actor.userId,
    keys,
    ...(refused ? { refused } : {}),
  };
}

type Refused = { refusal: FormRefusal; instalmentId: string } | { refusal: FormRefusal; handForm: string; values: Record<string, string> };

async function importPage(c: WebContext, ctx: ServiceContext, viewer: Viewer, programmeId: string, importId: string, refused?: Refused) {
  const programme = await getProgramme({ ctx, input: { id: programmeId } });
  const result = await importOf(ctx, programme, importId);
  const act = {
    ...(await toActOn(ctx, viewer, programme.id, result.id)),
    ...(refused && 'instalmentId' in refused ? { refused: { instalmentId: refused.instalmentId, errors: refused.refusal.errors ?? {} } } : {}),
  };
  const hand = await handMatches(
    ctx,
    viewer,
    programme.id,
    result,
    refused && 'handForm' in refused ? { form: refused.handForm, errors: refused.refusal.errors ?? {}, values: refused.values } : undefined,
  );
  const refusal = refused?.refusal;
  return c.html(<BankResultPage viewer={viewer} programme={programme} result={result} act={act} hand={hand} refusal={refusal} />, refusal?.status ?? 200);
}

/** The upload's file as the use case reads it, or a 400 naming the field. */
function uploadedFile(form: FormData): File {
  const file = form.get('file');
  if (!(file instanceof File) || (file.name === '' && file.size === 0)) {
    throw new ValidationError([{ path: 'file', message: 'must be a file (a name and its bytes)' }]);
  }
  if (file.size === 0) throw new ValidationError([{ path: 'file', message: 'must not be empty' }]);
  return file;
}

/** The name the import keeps: the base name, without control characters, at most 200 characters. */
function fileNameOf(file: File): string | undefined {
  const name = file.name
    .replace(/^.*[/\\]/, '')
    .replace(/\p{Cc}/gu, '')
    .slice(0, 200);
  return name || undefined;
}

export function financeBankResultPages(options: { trustProxy: boolean }) {
  const web = new Hono<WebEnv>();

  web.get('/programmes/:id/bank-results', (c) =>
    personalPage(c, async (ctx, viewer) => {
      const programme = await getProgramme({ ctx, input: { id: c.req.param('id') } });
      const page = await listBankResultImports({ ctx, input: { programmeId: programme.id, limit: 50, cursor: c.req.query('cursor') } });
      return c.html(
        <BankResultListPage
          viewer={viewer}
          programme={programme}
          imports={page.items}
          nextCursor={page.nextCursor}
          mayImport={may(viewer.role, 'bank_result.import')}
          overdue={may(viewer.role, 'payout.follow_up') ? await listOverduePayouts({ ctx, input: { programmeId: programme.id } }) : undefined}
        />,
      );
    }),
  );

  web.get('/programmes/:id/bank-results/new', (c) =>
    personalPage(c, async (ctx, viewer) => {
      const programme = await getProgramme({ ctx, input: { id: c.req.param('id') } });
      requirePermission(ctx.actor, 'bank_result.import');
      return c.html(<UploadBankResultPage viewer={viewer} programme={programme} formKey={randomToken()} form={{}} />);
    }),
  );

  web.post('/programmes/:id/bank-results/new', uploadLimit, (c) =>
    personalPage(c, async (ctx, viewer) => {
      const programme = await getProgramme({ ctx, input: { id: c.req.param('id') } });
      requirePermission(ctx.actor, 'bank_result.import');
      const form = await formDataOf(c.req.raw);
      const sent: UploadForm = {
        format: FORMATS.find((f) => f === form.get('format')) ?? 'auto',
        encoding: ENCODINGS.find((e) => e === form.get('encoding')) ?? 'auto',
        acceptExceptions: form.get('acceptExceptions') === 'true',
        preset: CSV_PRESET_NAMES.find((p) => p === form.get('preset')),
        account: typeof form.get('account') === 'string' ? (form.get('account') as string).trim() : '',
      };
      const again = (refusal: FormRefusal, exceptions?: ListedException[]) =>
        c.html(
          <UploadBankResultPage viewer={viewer} programme={programme} formKey={randomToken()} form={sent} refusal={refusal} exceptions={exceptions} />,
          refusal.status,
        );
      const body = { csrf: form.get('csrf'), formKey: form.get('formKey') };
      return financeForm(c, ctx, viewer, { ...options, action: 'bank_result.import', form: 'bank_result.import', body, again }, async () => {
        const file = uploadedFile(form);
        try {
          const result = await importBankResults({
            ctx,
            input: {
              programmeId: programme.id,
              content: bodyChunks(file.stream()),
              format: sent.format as BankResultFormat,
              encoding: sent.encoding as (typeof ENCODINGS)[number],
              fileName: fileNameOf(file),
              acceptExceptions: sent.acceptExceptions ?? false,
              // The preset is read only for an account-history CSV; the account only when given.
              ...(sent.format === 'statement-csv' && sent.preset ? { preset: sent.preset } : {}),
              ...(sent.account ? { account: sent.account } : {}),
            },
          });
          return { location: `/programmes/${programme.id}/bank-results/${result.import.id}` };
        } catch (error) {
          // The lines that would be exceptions, listed above the form so the officer can decide to
          // import the rest anyway; the page has a new key, so the same file can be sent again.
          if (error instanceof RuleViolationError && error.code === 'bank_file_exceptions') {
            const exceptions = (error.details.exceptions ?? []) as ListedException[];
            return { response: await again({ status: 422, notice: error.messageZh, code: error.code }, exceptions) };
          }
          throw error;
        }
      });
    }),
  );

  web.get('/programmes/:id/bank-results/:importId', (c) =>
    personalPage(c, (ctx, viewer) => importPage(c, ctx, viewer, c.req.param('id'), c.req.param('importId'))),
  );

  // The decision on a payout that came back, from the import page (where the officer reads the
  // bank's answer): back there afterwards, the row gone and the fund grown. Only a payout of this
  // programme still waiting for a decision is found here.
  web.post('/programmes/:id/bank-results/:importId/instalments/:instalmentId/cancel', (c) =>
    personalPage(c, async (ctx, viewer) => {
      const programme = await getProgramme({ ctx, input: { id: c.req.param('id') } });
      const result = await importOf(ctx, programme, c.req.param('importId'));
      const instalmentId = c.req.param('instalmentId');
      const body = await c.req.parseBody();
      return financeForm(
        c,
        ctx,
        viewer,
        {
          ...options,
          action: 'instalment.cancel',
          form: 'instalment.cancel',
          body,
          again: (refusal) => importPage(c, ctx, viewer, programme.id, result.id, { refusal, instalmentId }),
        },
        async () => {
          // Checked once the form is claimed: a repeated post finds the payout decided already and
          // is sent where the first one went.
          const waiting = await listPayouts({ ctx, input: { programmeId: programme.id, toActOn: true, limit: 200 } });
          if (!waiting.items.some((p) => p.instalmentId === instalmentId)) throw new NotFoundError('instalment');
          await cancelInstalmentAfterFailure({ ctx, input: { instalmentId, reason: formText(body, 'reason') } });
          return { location: `/programmes/${programme.id}/bank-results/${result.id}` };
        },
      );
    }),
  );

  // A hand match of a line, from the import page: proposed by one finance officer, then confirmed
  // or rejected by another (or an approver) in the list below the lines; back there each time.
  web.post('/programmes/:id/bank-results/:importId/lines/:position/match', (c) =>
    personalPage(c, async (ctx, viewer) => {
      const programme = await getProgramme({ ctx, input: { id: c.req.param('id') } });
      const result = await importOf(ctx, programme, c.req.param('importId'));
      const position = c.req.param('position');
      const body = await c.req.parseBody();
      const values = { payoutReference: formText(body, 'payoutReference', 35), reason: formText(body, 'reason') };
      return financeForm(
        c,
        ctx,
        viewer,
        {
          ...options,
          action: 'bank_line_match.propose',
          form: 'bank_line_match.propose',
          body,
          again: (refusal) => importPage(c, ctx, viewer, programme.id, result.id, { refusal, handForm: `line-${position}`, values }),
        },
        async () => {
          await proposeBankLineMatch({ ctx, input: { importId: result.id, position, payoutReference: values.payoutReference, reason: values.reason } });
          return { location: `/programmes/${programme.id}/bank-results/${result.id}` };
        },
      );
    }),
  );

  for (const decision of ['confirm', 'reject'] as const) {
    web.post(`/programmes/:id/bank-results/:importId/matches/:matchId/${decision}`, (c) =>
      personalPage(c, async (ctx, viewer) => {
        const programme = await getProgramme({ ctx, input: { id: c.req.param('id') } });
        const result = await importOf(ctx, programme, c.req.param('importId'));
        const matchId = c.req.param('matchId');
        const body = await c.req.parseBody();
        const values = { reason: formText(body, 'reason') };
        return financeForm(
          c,
          ctx,
          viewer,
          {
            ...options,
            action: 'bank_line_match.confirm',
            form: `bank_line_match.${decision}`,
            body,
            again: (refusal) => importPage(c, ctx, viewer, programme.id, result.id, { refusal, handForm: `${decision}-${matchId}`, values }),
          },
          async () => {
            // Only a match of this import is decided here: another's id finds nothing.
            const waiting = await listBankLineMatches({ ctx, input: { programmeId: programme.id, importId: result.id, status: 'proposed' } });
            if (!waiting.items.some((m) => m.id === matchId)) throw new NotFoundError('bank_line_match');
            if (decision === 'confirm') await confirmBankLineMatch({ ctx, input: { matchId } });
            else await rejectBankLineMatch({ ctx, input: { matchId, reason: values.reason } });
            return { location: `/programmes/${programme.id}/bank-results/${result.id}` };
          },
        );
      }),
    );
  }

  return web;
}
