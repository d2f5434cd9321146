// Puts the demo's county list (county-list.ts) beside the demo's data as two workbooks: the list as
// a county sends it, and the same list with three mistakes. Written when the demo is loaded, for
// the caseworker's intake page (/students/import). Node only: it writes files.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { academicYearContaining } from '../domain/academic-year.ts';
import { todayInChina } from '../domain/dates.ts';
import { tableXlsx } from '../files/table-xlsx.ts';
import { countyListRow, countyListStudents, countyListTable, withMistakes } from './county-list.ts';

export const COUNTY_LIST_FILES = { clean: 'demo-county-list.xlsx', mistakes: 'demo-county-list.mistakes.xlsx' } as const;

/** Writes both workbooks into `dir`; returns their paths. */
export async function writeDemoCountyLists(dir: string, today = todayInChina()): Promise<string[]> {
  const year = academicYearContaining(today)?.startYear ?? 2026;
  const rows = countyListStudents(today, year).map(countyListRow);
  const written: string[] = [];
  for (const [file, list] of [
    [COUNTY_LIST_FILES.clean, rows],
    [COUNTY_LIST_FILES.mistakes, withMistakes(rows)],
  ] as const) {
    const path = join(dir, file);
    writeFileSync(path, await tableXlsx(countyListTable(list)));
    written.push(path);
  }
  return written;
}
