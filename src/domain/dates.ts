// Conversions between ISO dates (YYYY-MM-DD, checked in calendar-date.ts) and the driver's Date values.
/** The date a Date falls on in UTC, as YYYY-MM-DD (how `date` columns come back from the driver). */
export function toIsoDate(value: Date): string {
  return value.toISOString().slice(0, 10);
}

export function dateFromIso(text: string): Date {
  return new Date(`${text}T00:00:00.000Z`);
}

/**
 * What "now" is for business rules (dates in the future, the academic year in progress, late
 * approval). Record timestamps stay on the real clock. The test suite fixes this clock so that
 * rules tied to an academic year keep meaning the same thing next year.
 */
let businessClock: () => Date = () => new Date();

export function setBusinessClock(clock: () => Date): void {
  businessClock = clock;
}

/** Today in China (UTC+8, no daylight saving): the programme's business dates are Beijing dates. */
export function todayInChina(now: Date = businessClock()): string {
  return toIsoDate(new Date(now.getTime() + 8 * 3600_000));
}
