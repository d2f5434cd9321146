// Back-pressure: past the bound on requests in flight, a request is answered at once with 503 and
// Retry-After, and nothing of it runs; the health probe is always answered; below the bound again,
// requests are served.
import { describe, expect, it } from 'vitest';
import { InFlightLimit } from '../../src/http/in-flight-limit.ts';
import { newKey } from '../support/http.ts';
import { makeProgramme } from '../support/fixtures.ts';
import { useTestApp } from '../support/test-app.ts';

const limit = new InFlightLimit(2);
const t = useTestApp({ inFlight: limit });

describe('requests past the bound on requests in flight', () => {
  it('are refused at once with 503, Retry-After and a problem naming the wait; nothing is written; below the bound they pass', async () => {
    const programme = await makeProgramme(t.world);
    // Two requests being worked on (held here as the middleware holds them).
    expect(limit.tryEnter() && limit.tryEnter()).toBe(true);
    const receipts = await t.db.prisma.fundingReceipt.count();
    const body = { remitterId: t.world.foundation.id, amount: '100.00', receivedOn: '2025-09-01', bankReference: 'SHED-1' };
    const refused = await t.as.finance.post(`/api/v1/programmes/${programme.id}/funding-receipts`, body, { idempotencyKey: newKey() });
    expect(refused.status).toBe(503);
    expect(refused.headers.get('Retry-After')).toBe('1');
    expect(refused.headers.get('Content-Type')).toContain('application/problem+json');
    expect(refused.json).toMatchObject({ status: 503, code: 'overloaded' });
    expect(refused.json.detail).toContain('服务繁忙');
    expect(await t.db.prisma.fundingReceipt.count()).toBe(receipts);
    expect(limit.shed).toBeGreaterThanOrEqual(1);
    // The health probe is answered whatever the load.
    expect((await t.anonymous.get('/healthz')).status).toBe(200);

    limit.leave();
    const served = await t.as.finance.get(`/api/v1/programmes/${programme.id}`);
    expect(served.status).toBe(200);
    // The served request left the count as it found it.
    expect(limit.inFlight).toBe(1);
    limit.leave();
  });

  it('bound is a whole number of at least one', () => {
    expect(() => new InFlightLimit(0)).toThrow(RangeError);
    expect(() => new InFlightLimit(1.5)).toThrow(RangeError);
  });
});
