// Every camt file in test/fixtures/conformance/camt/ (the copies of ../shared/conformance/camt)
// against its expected reading. The folder is listed, not named file by file: a file added there is
// tested (or fails for want of an expected reading) without touching this test.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { CamtFormatError, calendarDateOf } from '../../src/bank/camt/index.ts';
import { readCamtFile } from '../../src/bank/node/read-camt-file.ts';
import { conformanceDir } from '../support/conformance.ts';

const camtDir = conformanceDir('camt');
const expectedDir = path.join(camtDir, 'expected');

const xmlFiles = existsSync(camtDir)
  ? readdirSync(camtDir)
      .filter((f) => f.endsWith('.xml'))
      .sort()
  : [];
const expectedFiles = existsSync(expectedDir)
  ? readdirSync(expectedDir)
      .filter((f) => f.endsWith('.expected.json'))
      .sort()
  : [];

const expectedPathOf = (xml: string): string => path.join(expectedDir, xml.replace(/\.xml$/, '.expected.json'));

interface ExpectedReading {
  messageId: string;
  records: unknown[];
}

function loadExpected(xml: string): ExpectedReading {
  const file = expectedPathOf(xml);
  if (!existsSync(file)) throw new Error(`${xml} has no expected reading at ${file}`);
  return JSON.parse(readFileSync(file, 'utf8')) as ExpectedReading;
}

/**
 * Compares every field the expected reading names, recursively: a field we do not produce is a
 * mismatch. Amounts compare as exact decimals (and must be strings, never numbers), fields named
 * ...date / ...Date as calendar dates ("2014-12-31T13:15:00+01:00" is the 31st); all else exactly.
 */
function mismatches(actual: unknown, expected: unknown, at: string, key = ''): string[] {
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return [`${at}: expected an array, got ${JSON.stringify(actual)}`];
    if (actual.length !== expected.length) return [`${at}: expected ${expected.length} items, got ${actual.length}`];
    return expected.flatMap((item, i) => mismatches(actual[i], item, `${at}[${i}]`, key));
  }
  if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object') return [`${at}: expected an object, got ${JSON.stringify(actual)}`];
    return Object.entries(expected).flatMap(([k, v]) =>
      k in actual ? mismatches((actual as Record<string, unknown>)[k], v, `${at}.${k}`, k) : [`${at}.${k}: field missing`],
    );
  }
  if (key === 'amount' && typeof expected === 'string') {
    if (typeof actual !== 'string') return [`${at}: amount must be a decimal string, got ${typeof actual}`];
    return new Decimal(actual).equals(new Decimal(expected)) ? [] : [`${at}: ${actual} ≠ ${expected}`];
  }
  if (/date$/i.test(key) && typeof expected === 'string') {
    const want = calendarDateOf(expected);
    if (want === undefined) return [`${at}: the expected value "${expected}" is not a date`];
    return typeof actual === 'string' && calendarDateOf(actual) === want ? [] : [`${at}: ${JSON.stringify(actual)} is not the date ${want}`];
  }
  return Object.is(actual, expected) ? [] : [`${at}: ${JSON.stringify(actual)} ≠ ${JSON.stringify(expected)}`];
}

describe('camt conformance folder', () => {
  it('exists and holds camt XML files with expected readings', () => {
    expect(existsSync(camtDir), `missing ${camtDir}`).toBe(true);
    expect(xmlFiles.length, `no *.xml in ${camtDir}`).toBeGreaterThan(0);
    expect(expectedFiles.length, `no *.expected.json in ${expectedDir}`).toBeGreaterThan(0);
  });

  it('has an expected reading for every XML file and an XML file for every expected reading', () => {
    const withoutExpected = xmlFiles.filter((f) => !existsSync(expectedPathOf(f)));
    const orphans = expectedFiles.filter((f) => !xmlFiles.includes(f.replace(/\.expected\.json$/, '.xml')));
    expect(withoutExpected).toEqual([]);
    expect(orphans).toEqual([]);
  });

  it("includes the README's must-reject file among the rejected ones", () => {
    // The README: camt053.v2.wrong.xml (group header, no statement) must be refused. Its expected
    // reading says records: [] (the peer parser's view); here no records means "must be refused".
    expect(xmlFiles).toContain('camt053.v2.wrong.xml');
    expect(loadExpected('camt053.v2.wrong.xml').records).toEqual([]);
  });
});

describe.each(xmlFiles)('%s', (xml) => {
  const expected = existsSync(expectedPathOf(xml)) ? loadExpected(xml) : undefined;

  if (expected !== undefined && expected.records.length === 0) {
    it('is rejected with a CamtFormatError that says what is missing', async () => {
      const error = await readCamtFile(path.join(camtDir, xml)).then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(error).toBeInstanceOf(CamtFormatError);
      expect((error as Error).message).toMatch(/no (statement|notification)/);
    });
    return;
  }

  it('reads the same records, balances and entries as the expected reading', async () => {
    if (expected === undefined) throw new Error(`${xml} has no expected reading at ${expectedPathOf(xml)}`);
    const doc = await readCamtFile(path.join(camtDir, xml));
    expect(mismatches(doc, expected, xml)).toEqual([]);
    expect(doc.messageType).toBe(xml.startsWith('camt054') ? 'camt.054' : 'camt.053');
  });
});
