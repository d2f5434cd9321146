// A CSV mapping by preset name or config file path, as the command line names it. Apart from
// config.ts because it reads the file with node:fs; config.ts resolves presets and parsed JSON.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { csvPreset, resolveCsvMapping } from '../statement-csv/config.ts';
import { CsvMappingError } from '../statement-csv/errors.ts';
import type { CsvMapping } from '../statement-csv/mapping.ts';
import { CSV_PRESETS, CSV_PRESET_NAMES } from '../statement-csv/presets.ts';

/**
 * A preset name, or the path of a JSON config file. A value that names a preset is the preset,
 * even if a file of that name exists: write "./icbc" for the file.
 */
export async function loadCsvMapping(presetOrFile: string): Promise<CsvMapping> {
  if (Object.hasOwn(CSV_PRESETS, presetOrFile)) return csvPreset(presetOrFile);
  let raw: string;
  try {
    raw = await readFile(presetOrFile, 'utf8');
  } catch (err) {
    throw new CsvMappingError(`"${presetOrFile}" is neither a CSV mapping preset (${CSV_PRESET_NAMES.join(', ')}) nor a readable config file`, [], {
      cause: err,
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(raw.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new CsvMappingError(`CSV mapping ${presetOrFile} is not valid JSON: ${(err as Error).message}`, [], { cause: err });
  }
  return resolveCsvMapping(json, presetOrFile, path.basename(presetOrFile).replace(/\.json$/i, ''));
}
