// The auditor's desk: both hash chains verified from the first transaction, with the head each
// ends on and when the check ran. A role without the right sees the same 404 page as for nothing.
import { Hono } from 'hono';
import { verifyAuditTrail } from '../../services/audit-events.ts';
import { verifyWholeLedger } from '../../services/ledger-queries.ts';
import { VerificationPage } from '../pages/verification.tsx';
import { type WebEnv, personalPage } from '../web-kit.tsx';

export function auditorPages() {
  const web = new Hono<WebEnv>();

  // Auditors engaged on every programme (and admins): both chains recomputed, from transaction 1.
  web.get('/verification', (c) =>
    personalPage(c, async (ctx, viewer) => {
      const checkedAt = new Date();
      const ledger = await verifyWholeLedger({ ctx });
      const audit = await verifyAuditTrail({ ctx });
      return c.html(<VerificationPage viewer={viewer} checkedAt={checkedAt} ledger={ledger} audit={audit} />);
    }),
  );

  return web;
}
