// The quarterly disclosure report's page and downloads for the foundation, its coordinator, auditors
// and admins. Handlers only call the use case and render; a quarter not over or not a quarter is
// said on the page (the use case writes nothing then); another organisation's programme is the 404 page.
import type { Hono } from 'hono';
import { Hono as HonoApp } from 'hono';
import { todayInChina } from '../../domain/dates.ts';
import { fieldMessageZh } from '../../domain/error-catalogue.ts';
import { DomainError, ValidationError } from '../../domain/errors.ts';
import { latestQuarterOver } from '../../domain/quarters.ts';
import type { DisclosureFormat } from '../../files/disclosure-files.ts';
import { disclosureProgramme, produceDisclosure, produceDisclosureFile } from '../../services/disclosure.ts';
import { DisclosurePage } from '../pages/disclosure.tsx';
import { type WebContext, type WebEnv, personalPage } from '../web-kit.tsx';

/** A refusal of the quarter, in words for the page; anything else is not the page's to explain. */
function refusalOf(error: unknown): string | null {
  if (error instanceof ValidationError) return error.fields.map((f) => `季度 ${fieldMessageZh(f.message)}`).join('；');
  if (error instanceof DomainError && error.kind === 'rule') return error.messageZh;
  return null;
}

/** The quarter in the address, else the last one that is over (what the page offers first). */
const quarterAsked = (c: WebContext): string => c.req.query('quarter') ?? latestQuarterOver(todayInChina()).label;

export function disclosurePages() {
  const web: Hono<WebEnv> = new HonoApp<WebEnv>();

  web.get('/programmes/:id/disclosure', (c) =>
    personalPage(c, async (ctx, viewer) => {
      const programme = await disclosureProgramme({ ctx, input: { programmeId: c.req.param('id') } });
      const quarter = quarterAsked(c);
      try {
        const report = await produceDisclosure({ ctx, input: { programmeId: programme.id, quarter } });
        return c.html(<DisclosurePage viewer={viewer} programme={programme} quarter={quarter} report={report} problem={null} />);
      } catch (error) {
        const problem = refusalOf(error);
        if (problem === null) throw error;
        return c.html(
          <DisclosurePage viewer={viewer} programme={programme} quarter={quarter} report={null} problem={problem} />,
          error instanceof ValidationError ? 400 : 422,
        );
      }
    }),
  );

  const download = (format: DisclosureFormat) => (c: WebContext) =>
    personalPage(c, async (ctx) => {
      const file = await produceDisclosureFile({ ctx, input: { programmeId: c.req.param('id') ?? '', quarter: quarterAsked(c), format } });
      return c.body(file.bytes as Uint8Array<ArrayBuffer>, 200, {
        'Content-Type': file.contentType,
        'Content-Disposition': `attachment; filename="${file.filename}"`,
      });
    });
  web.get('/programmes/:id/disclosure.csv', download('csv'));
  web.get('/programmes/:id/disclosure.xlsx', download('xlsx'));
  web.get('/programmes/:id/disclosure.json', download('json'));
  return web;
}
