// The bank check's CSV mapping as the command line names it (a preset, or a JSON config file),
// loaded before the check runs; a mapping that cannot be used is a check that could not run.
import { sniffSource } from '../../bank/results/sniff.ts';
import { loadCsvMapping } from '../../bank/node/load-csv-mapping.ts';
import { CsvMappingError, type CsvMapping } from '../../bank/statement-csv/index.ts';
import { CheckCouldNotRun } from '../check-types.ts';
import type { ByteSource } from '../sources.ts';

export async function loadStatementMapping(presetOrFile: string): Promise<CsvMapping> {
  try {
    return await loadCsvMapping(presetOrFile);
  } catch (error) {
    if (error instanceof CsvMappingError) throw new CheckCouldNotRun(`CSV mapping ${presetOrFile}: ${error.message}`, { file: presetOrFile });
    throw error;
  }
}

/**
 * The mapping for these statements. One that cannot be loaded is refused only when a statement is
 * a bank CSV export, the only kind that reads it: a run on camt.053 statements alone never needed
 * it (undefined then).
 */
export async function loadMappingFor(presetOrFile: string, statements: readonly ByteSource[]): Promise<CsvMapping | undefined> {
  try {
    return await loadStatementMapping(presetOrFile);
  } catch (error) {
    for (const statement of statements) if (await isCsv(statement)) throw error;
    return undefined;
  }
}

/** Whether a statement is a bank CSV export rather than XML (unreadable: no; the bank check says why). */
async function isCsv(statement: ByteSource): Promise<boolean> {
  try {
    const sniffed = await sniffSource(statement.open());
    for await (const _ of sniffed.source) break; // lets a file close
    return sniffed.kind === 'text';
  } catch {
    return false;
  }
}
