// The demo's county list (src/demo/county-list.ts), written as the service writes it when the demo
// is loaded: the clean workbook checks with six students to create and no error; the one with
// mistakes has exactly its three mistakes found, by row, cell and code; none of its students is
// already on the demo's file.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { countyListStudents } from '../../src/demo/county-list.ts';
import { plannedIntakes, yearInProgressIntake, yearInProgressReviewDay } from '../../src/demo/history.ts';
import { COUNTY_LIST_FILES, writeDemoCountyLists } from '../../src/demo/write-county-list.ts';
import { parseIdentityNumber } from '../../src/domain/identity-number.ts';
import { useTestApp } from '../support/test-app.ts';

const t = useTestApp();
const TODAY = '2026-12-07';
const dir = mkdtempSync(join(tmpdir(), 'county-list-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function check(file: string) {
  const res = await t.app.request('/api/v1/students/imports?dryRun=true', {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${t.world.users.caseworker.token}`,
      'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    },
    body: readFileSync(join(dir, file)),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as { counts: Record<string, number>; rows: { row: number; errors: { cell: string; code: string }[] }[] };
}

describe('the demo county list', () => {
  it('holds six new students with valid identity numbers, none on the demo’s file', () => {
    const students = countyListStudents(TODAY, 2026);
    expect(students).toHaveLength(6);
    for (const s of students) expect(parseIdentityNumber(s.identityNumber, TODAY).ok).toBe(true);
    const planned = plannedIntakes();
    const used = new Set([...planned.first, ...planned.second].map((s) => s.name));
    const onFile = [...planned.first, ...planned.second, ...yearInProgressIntake(2026, yearInProgressReviewDay(TODAY, 2026), used)];
    const known = new Set(onFile.map((s) => s.identityNumber));
    expect(students.filter((s) => known.has(s.identityNumber))).toEqual([]);
    expect(new Set(students.map((s) => s.identityNumber)).size).toBe(6);
  });

  it('checks clean as written, and the copy with mistakes shows exactly its three', async () => {
    const written = await writeDemoCountyLists(dir, TODAY);
    expect(written.map((p) => p.slice(dir.length + 1))).toEqual([COUNTY_LIST_FILES.clean, COUNTY_LIST_FILES.mistakes]);
    const clean = await check(COUNTY_LIST_FILES.clean);
    expect(clean.counts).toMatchObject({ rows: 6, create: 6, error: 0 });
    const mistakes = await check(COUNTY_LIST_FILES.mistakes);
    expect(mistakes.counts).toMatchObject({ rows: 6, create: 4, error: 2 });
    const found = mistakes.rows.flatMap((r) => r.errors.map((e) => e.code));
    expect(found.sort()).toEqual(['account_holder_not_student', 'gender_mismatch', 'graduation_not_after_admission']);
  });
});
