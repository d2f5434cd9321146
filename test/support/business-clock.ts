// Every test runs on the same business day, so fixtures written for the 2026-2027 academic year
// (eligibility, grants, late approval) keep their meaning whenever the suite is run.
import { setBusinessClock } from '../../src/domain/dates.ts';

export const TEST_TODAY = '2026-11-26';
setBusinessClock(() => new Date(`${TEST_TODAY}T04:00:00.000Z`));
