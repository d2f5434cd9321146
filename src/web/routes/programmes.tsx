// Programmes and their money, for every role that may read them (a foundation sees the programmes
// it funds, a department those it administers, an auditor those its engagement covers): the
// dashboard, the transfers, the grant register and its downloads, the payouts, the journal.
// Another organisation's programme, or a record of it, answers the same 404 page as none at all.
import { Hono } from 'hono';
import { formatAcademicYear, parseAcademicYear } from '../../domain/academic-year.ts';
import { ForbiddenError } from '../../domain/errors.ts';
import { type Action, may } from '../../domain/roles.ts';
import type { PayoutStatus } from '../../domain/status-labels.ts';
import type { ServiceContext } from '../../services/context.ts';
import { exportGrantRegister } from '../../services/grant-register-files.ts';
import { listGrantRegister } from '../../services/grant-register.ts';
import { programmeGrantSummary } from '../../services/grant-views.ts';
import { getGrant } from '../../services/grants.ts';
import { programmeCohortOutcomes } from '../../services/cohort-outcomes.ts';
import { programmeEmpowermentFigures } from '../../services/empowerment-figures.ts';
import { programmeFundingTotal } from '../../services/funding-receipts.ts';
import { programmeFundingUse } from '../../services/funding-use.ts';
import { getLedgerTransaction, listLedgerTransactions } from '../../services/ledger-queries.ts';
import { listPayouts } from '../../services/payouts/payout-views.ts';
import { programmeMoney } from '../../services/programme-money.ts';
import { type ProgrammeView, getProgramme, listProgrammes } from '../../services/programmes.ts';
import { barChartSvg } from '../charts.ts';
import type { Viewer } from '../layout.tsx';
import { NotFoundPage } from '../pages/not-found.tsx';
import { FundingPage } from '../pages/programme-funding.tsx';
import { type GrantFilters, GrantPage, GrantRegisterPage } from '../pages/programme-grants.tsx';
import { LEDGER_KINDS, LedgerPage, LedgerTransactionPage } from '../pages/programme-ledger.tsx';
import { PAYOUT_FILTERS, PayoutsPage } from '../pages/programme-payouts.tsx';
import { ProgrammeListPage, ProgrammePage } from '../pages/programmes.tsx';
import { type WebContext, type WebEnv, personalPage } from '../web-kit.tsx';

/** A query value only if it is one of the choices the page offers; anything else is no filter. */
function choice<T extends string>(value: string | undefined, choices: readonly T[]): T | undefined {
  return choices.find((c) => c === value);
}

/** The academic years a programme runs, oldest first, as the filters offer them. */
function yearsOf(programme: ProgrammeView): string[] {
  const first = parseAcademicYear(programme.firstAcademicYear);
  const last = parseAcademicYear(programme.lastAcademicYear);
  if (!first.ok || !last.ok) return [];
  const years: string[] = [];
  for (let y = first.value.startYear; y <= last.value.startYear; y++) years.push(formatAcademicYear(y));
  return years;
}

/** What a role may see beside the page's own content (links and sections appear only when they lead somewhere). */
const mayDo = (viewer: Viewer, action: Action) => may(viewer.role, action);

/** The service's answer, or null when the role may not read it (the page then leaves that section out). */
async function ifPermitted<T>(read: () => Promise<T>): Promise<T | null> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof ForbiddenError) return null;
    throw error;
  }
}

async function dashboardCharts(summary: Awaited<ReturnType<typeof programmeGrantSummary>>) {
  const byYear = await barChartSvg({
    categories: summary.years.map((y) => y.academicYear ?? ''),
    series: [
      { name: '承诺金额', values: summary.years.map((y) => y.committed) },
      { name: '已发放', values: summary.years.map((y) => y.paid) },
    ],
    unit: 'yuan',
  });
  const regions = summary.cumulative.byRegion;
  const byRegion = await barChartSvg({
    categories: regions.map((r) => r.regionName.replace(/^青海省/, '')),
    series: [{ name: '受助学生', values: regions.map((r) => String(r.studentsFunded)) }],
    unit: 'count',
    across: true,
  });
  return { byYear, byRegion };
}

export function programmePages() {
  const web = new Hono<WebEnv>();

  web.get('/programmes', (c) =>
    personalPage(c, async (ctx, viewer) => {
      const page = await listProgrammes({ ctx, input: { limit: 200 } });
      return c.html(<ProgrammeListPage viewer={viewer} programmes={page.items} />);
    }),
  );

  web.get('/programmes/:id', (c) =>
    personalPage(c, async (ctx, viewer) => {
      const id = c.req.param('id');
      // Six reads, each checking scope itself: asked at once, so that on a PostgreSQL server they
      // run side by side on the pool's connections instead of one after another.
      const [programme, summary, funding, money, empowerment, outcomes] = await Promise.all([
        getProgramme({ ctx, input: { id } }),
        programmeGrantSummary({ ctx, input: { programmeId: id } }),
        ifPermitted(() => programmeFundingTotal({ ctx, input: { programmeId: id } })),
        ifPermitted(() => programmeMoney({ ctx, input: { programmeId: id } })),
        ifPermitted(() => programmeEmpowermentFigures({ ctx, input: { programmeId: id } })),
        ifPermitted(() => programmeCohortOutcomes({ ctx, input: { programmeId: id } })),
      ]);
      return c.html(
        <ProgrammePage
          viewer={viewer}
          programme={programme}
          summary={summary}
          received={funding?.received ?? null}
          money={money}
          charts={await dashboardCharts(summary)}
          mayExport={mayDo(viewer, 'grant.export')}
          empowerment={empowerment}
          cohorts={outcomes?.cohorts ?? null}
        />,
      );
    }),
  );

  web.get('/programmes/:id/funding', (c) =>
    personalPage(c, async (ctx, viewer) => {
      const programme = await getProgramme({ ctx, input: { id: c.req.param('id') } });
      const use = await programmeFundingUse({ ctx, input: { programmeId: programme.id } });
      return c.html(
        <FundingPage
          viewer={viewer}
          programme={programme}
          use={use}
          mayReadLedger={mayDo(viewer, 'ledger.read')}
          mayRecord={mayDo(viewer, 'funding_receipt.record')}
          mayReverse={mayDo(viewer, 'funding_receipt.reverse')}
        />,
      );
    }),
  );

  web.get('/programmes/:id/grants', (c) =>
    personalPage(c, async (ctx, viewer) => {
      const programme = await getProgramme({ ctx, input: { id: c.req.param('id') } });
      const years = yearsOf(programme);
      const filters: GrantFilters = { year: choice(c.req.query('year'), years), status: choice(c.req.query('status'), ['approved', 'ended'] as const) };
      const page = await listGrantRegister({
        ctx,
        input: { programmeId: programme.id, academicYear: filters.year, status: filters.status, limit: 50, cursor: c.req.query('cursor') },
      });
      return c.html(
        <GrantRegisterPage
          viewer={viewer}
          programme={programme}
          years={years}
          filters={filters}
          rows={page.items}
          nextCursor={page.nextCursor}
          mayExport={mayDo(viewer, 'grant.export')}
        />,
      );
    }),
  );

  // Downloads: the same rows as the register, every page of them; each download is audited.
  const download = (format: 'csv' | 'xlsx') => (c: WebContext) =>
    personalPage(c, async (ctx: ServiceContext) => {
      const programme = await getProgramme({ ctx, input: { id: c.req.param('id') ?? '' } });
      const file = await exportGrantRegister({
        ctx,
        input: {
          programmeId: programme.id,
          academicYear: choice(c.req.query('academicYear'), yearsOf(programme)),
          status: choice(c.req.query('status'), ['approved', 'ended'] as const),
          format,
          encoding: choice(c.req.query('encoding'), ['utf-8', 'gbk'] as const) ?? 'utf-8',
        },
      });
      return c.body(file.bytes as Uint8Array<ArrayBuffer>, 200, {
        'Content-Type': file.contentType,
        'Content-Disposition': `attachment; filename="${file.filename}"`,
      });
    });
  web.get('/programmes/:id/grants.csv', download('csv'));
  web.get('/programmes/:id/grants.xlsx', download('xlsx'));

  web.get('/programmes/:id/grants/:grantId', (c) =>
    personalPage(c, async (ctx, viewer) => {
      const programme = await getProgramme({ ctx, input: { id: c.req.param('id') } });
      const grant = await getGrant({ ctx, input: { id: c.req.param('grantId') } });
      // A grant of another programme is not found under this one.
      if (grant.programme.id !== programme.id || (grant.status !== 'approved' && grant.status !== 'ended')) {
        return c.html(<NotFoundPage viewer={viewer} />, 404);
      }
      const payouts = await listPayouts({ ctx, input: { programmeId: programme.id, studentId: grant.student.id, limit: 200 } });
      return c.html(
        <GrantPage
          viewer={viewer}
          programme={programme}
          grant={grant}
          payouts={payouts.items.filter((p) => p.grantId === grant.id)}
          mayReadLedger={mayDo(viewer, 'ledger.read')}
        />,
      );
    }),
  );

  web.get('/programmes/:id/payouts', (c) =>
    personalPage(c, async (ctx, viewer) => {
      const programme = await getProgramme({ ctx, input: { id: c.req.param('id') } });
      const status = choice<PayoutStatus>(c.req.query('status'), PAYOUT_FILTERS);
      const page = await listPayouts({ ctx, input: { programmeId: programme.id, status, limit: 50, cursor: c.req.query('cursor') } });
      return c.html(<PayoutsPage viewer={viewer} programme={programme} status={status} payouts={page.items} nextCursor={page.nextCursor} />);
    }),
  );

  web.get('/programmes/:id/ledger', (c) =>
    personalPage(c, async (ctx, viewer) => {
      const programme = await getProgramme({ ctx, input: { id: c.req.param('id') } });
      const kind = choice(c.req.query('kind'), LEDGER_KINDS);
      const page = await listLedgerTransactions({ ctx, input: { programmeId: programme.id, kind, limit: 50, cursor: c.req.query('cursor') } });
      return c.html(<LedgerPage viewer={viewer} programme={programme} kind={kind} transactions={page.items} nextCursor={page.nextCursor} />);
    }),
  );

  web.get('/programmes/:id/ledger/:transactionId', (c) =>
    personalPage(c, async (ctx, viewer) => {
      const programme = await getProgramme({ ctx, input: { id: c.req.param('id') } });
      const transaction = await getLedgerTransaction({ ctx, input: { programmeId: programme.id, transactionId: c.req.param('transactionId') } });
      return c.html(<LedgerTransactionPage viewer={viewer} programme={programme} transaction={transaction} />);
    }),
  );

  return web;
}
