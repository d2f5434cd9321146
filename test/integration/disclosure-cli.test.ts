// `npm run disclosure` as a child process on an embedded database in a temporary DATA_DIR: the files
// written with their hashes printed, the same bytes run after run, audited as the command line; a
// quarter not over or not a quarter refused with exit 2, naming --quarter, and nothing written.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations } from '../../src/db/migrations.ts';
import { canonicalJson } from '../../src/domain/canonical-json.ts';
import { sha256Hex } from '../../src/domain/sha256.ts';
import { makeProgramme, makeWorld } from '../support/fixtures.ts';
import { fundProgramme } from '../support/grants.ts';
import { runScript } from '../support/run-script.ts';
import { type EmbeddedDatabase, temporaryFolders, withEmbeddedDatabase } from '../support/cli-data-dir.ts';

const folders = temporaryFolders();
const tempDir = folders.make;
let dataDir: string;
let code: string;
const withDatabase = <T>(body: (db: EmbeddedDatabase) => Promise<T>) => withEmbeddedDatabase(dataDir, body);

const audits = () => withDatabase((db) => db.prisma.auditEvent.count({ where: { action: 'disclosure.produce' } }));

beforeAll(async () => {
  dataDir = tempDir('disclosure-cli-');
  await withDatabase(async (db) => {
    await applyMigrations(db.adapterFactory);
    const world = await makeWorld(db.prisma);
    const programme = await makeProgramme(world);
    code = programme.code;
    // Received on 1 September 2026: in the third quarter.
    await fundProgramme(world, programme.id, '12000.00');
  });
}, 240_000);

afterAll(folders.removeAll);

describe('npm run disclosure', { timeout: 240_000 }, () => {
  it('writes the report, prints its hashes, gives the same bytes again, and is audited', async () => {
    const [one, two] = [tempDir('disclosure-out-'), tempDir('disclosure-out-')];
    const first = await runScript('disclosure', ['--programme', code, '--quarter', '2026Q3', '--out', one], dataDir);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const name = `disclosure-${code}-2026Q3.json`;
    const bytes = readFileSync(join(one, name));
    expect(first.stdout).toContain(`sha256 ${sha256Hex(new Uint8Array(bytes))}`);
    const report = JSON.parse(bytes.toString('utf8'));
    expect(report.content.funds.receivedInQuarter).toBe('12000.00');
    expect(report.contentSha256).toBe(sha256Hex(canonicalJson(report.content)));
    expect(first.stdout).toContain(`content sha256 ${report.contentSha256}`);
    const second = await runScript('disclosure', ['--programme', code, '--quarter', '2026Q3', '--out', two], dataDir);
    expect(second.code).toBe(0);
    // Every format by default, each the same bytes as the run before (seconds apart: the XLSX's zip carries no clock).
    for (const ext of ['json', 'csv', 'xlsx']) {
      const file = `disclosure-${code}-2026Q3.${ext}`;
      expect(readFileSync(join(two, file)).equals(readFileSync(join(one, file))), file).toBe(true);
    }
    const csvOnly = tempDir('disclosure-out-');
    expect((await runScript('disclosure', ['--programme', code, '--quarter', '2026Q3', '--format', 'csv', '--out', csvOnly], dataDir)).code).toBe(0);
    expect(readdirSync(csvOnly)).toEqual([`disclosure-${code}-2026Q3.csv`]);
    expect(await audits()).toBe(3);
  });

  it('refuses a quarter not yet over and a text that is no quarter, naming --quarter, with nothing written', async () => {
    const out = tempDir('disclosure-out-');
    const before = await audits();
    const future = await runScript('disclosure', ['--programme', code, '--quarter', '2099Q1', '--out', out], dataDir);
    expect(future.code).toBe(2);
    expect(future.stderr).toContain('--quarter: ');
    expect(future.stderr).toContain('2099Q1');
    const wrong = await runScript('disclosure', ['--programme', code, '--quarter', '2026Q5', '--out', out], dataDir);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('--quarter: ');
    const nowhere = await runScript('disclosure', ['--programme', 'NO-SUCH', '--quarter', '2026Q3', '--out', out], dataDir);
    expect(nowhere.code).toBe(2);
    expect(nowhere.stderr).toContain('--programme NO-SUCH');
    expect(existsSync(out) ? readdirSync(out) : []).toEqual([]);
    expect(await audits()).toBe(before);
  });
});
