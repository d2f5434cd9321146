// npm run disclosure — the quarterly disclosure report (慈善项目实施情况公开) of a programme:
//
//   npm run disclosure -- --programme CODE --quarter 2026Q1 [--format json|csv|xlsx …] [--out DIR]
//
// Writes disclosure-CODE-QUARTER.<format> into DIR (default: the current folder), one file per format
// (default: every format), and prints each file's name and SHA-256 and the report's content hash.
// Against DATABASE_URL, else the embedded database in DATA_DIR (not in use by a running service).
// Produced as the command-line actor (a platform admin) through the same use case as the API, so
// the report is audited the same way. Exit codes: 0 written · 2 could not (bad arguments, a
// quarter not over, no such programme), with the reason on standard error.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { fieldMessageZh } from '../src/domain/error-catalogue.ts';
import { DomainError, ValidationError } from '../src/domain/errors.ts';
import { sha256Hex } from '../src/domain/sha256.ts';
import { DISCLOSURE_FORMATS, type DisclosureFormat, disclosureFile } from '../src/files/disclosure-files.ts';
import { produceDisclosure } from '../src/services/disclosure.ts';
import { COMMAND_LINE_ACTOR, commandLineContext } from './lib/command-line-actor.ts';
import { openConfiguredDatabase, runCli } from './lib/open-database.ts';

const USAGE = `用法 usage: npm run disclosure -- --programme CODE --quarter 2026Q1 [--format ${DISCLOSURE_FORMATS.join('|')} …] [--out DIR]`;

const isFormat = (text: string): text is DisclosureFormat => (DISCLOSURE_FORMATS as readonly string[]).includes(text);

runCli('disclosure', async () => {
  let values;
  try {
    ({ values } = parseArgs({
      args: process.argv.slice(2),
      strict: true,
      options: {
        programme: { type: 'string' },
        quarter: { type: 'string' },
        format: { type: 'string', multiple: true },
        out: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help || values.programme === undefined || values.quarter === undefined) {
    console.error(USAGE);
    return 2;
  }
  const formats = values.format ?? [...DISCLOSURE_FORMATS];
  const unknown = formats.filter((f) => !isFormat(f));
  if (unknown.length > 0) {
    console.error(`--format ${unknown.join(', ')}: 应为 must be one of ${DISCLOSURE_FORMATS.join(', ')}`);
    return 2;
  }
  const out = resolve(values.out ?? '.');
  const db = await openConfiguredDatabase();
  try {
    const programme = await db.prisma.programme.findUnique({ where: { code: values.programme }, select: { id: true } });
    if (!programme) {
      console.error(`--programme ${values.programme}: 没有此代码的项目 no programme with that code`);
      return 2;
    }
    const report = await produceDisclosure({
      ctx: commandLineContext(db, COMMAND_LINE_ACTOR, 'disclosure'),
      input: { programmeId: programme.id, quarter: values.quarter },
    });
    mkdirSync(out, { recursive: true });
    for (const format of formats as DisclosureFormat[]) {
      const file = await disclosureFile(report, format);
      writeFileSync(join(out, file.filename), file.bytes);
      console.log(`${join(out, file.filename)}  sha256 ${sha256Hex(file.bytes)}`);
    }
    console.log(
      `报告内容哈希 content sha256 ${report.contentSha256}  账本 ledger seq ${report.content.ledger.throughSeq ?? '-'} ${report.content.ledger.headHash ?? ''}`,
    );
    return 0;
  } catch (error) {
    if (error instanceof ValidationError) {
      for (const f of error.fields) console.error(`--${f.path}: ${fieldMessageZh(f.message)} (${f.message})`);
      return 2;
    }
    if (error instanceof DomainError) {
      const field = typeof error.details.field === 'string' ? `--${error.details.field}: ` : '';
      console.error(`${field}${error.messageZh} (${error.message})`);
      return 2;
    }
    throw error;
  } finally {
    await db.close();
  }
});
