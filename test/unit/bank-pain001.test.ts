// The pain.001.001.09 writer: the structure read back with saxes, byte-for-byte against a golden
// file, valid against the ISO 20022 schema, deterministic, refusing bad input and batches that do not
// add up (before the closing tags), and streaming.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SaxesParser } from 'saxes';
import { describe, expect, it } from 'vitest';
import { collectBankFile } from '../../src/bank/node/write-bank-file.ts';
import { BankFileError, PAIN001_NAMESPACE, totalsOf, writePain001, type BankPayout, type Pain001Header } from '../../src/bank/outgoing/index.ts';
import { money } from '../../src/domain/money.ts';
import { SMALL_TOTALS, asAsync, countingSource, generatedPayout, generatedTotals, painHeader, smallBatch } from '../fixtures/bank/payouts.ts';
import { findXsdValidator } from '../fixtures/bank/xsd-validator.ts';

const goldenDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/bank');

async function xmlOf(header: Pain001Header, payouts: Iterable<BankPayout> | AsyncIterable<BankPayout>, chunkChars?: number): Promise<Buffer> {
  return (await collectBankFile(writePain001(header, payouts, { chunkChars }))).content;
}

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

interface ParsedPain {
  namespace: string | undefined;
  /** Text of every leaf element, by its path below CstmrCdtTrfInitn, in document order. */
  texts: Map<string, string[]>;
  currencies: string[];
}

/** Reads the document back with a real XML parser: escaping mistakes would show up as parse errors or wrong text. */
function parse(xml: Buffer): ParsedPain {
  const parser = new SaxesParser({ xmlns: true });
  const stack: string[] = [];
  const texts = new Map<string, string[]>();
  const currencies: string[] = [];
  let namespace: string | undefined;
  let text = '';
  parser.on('opentag', (tag) => {
    if (stack.length === 0) namespace = tag.uri;
    stack.push(tag.local);
    text = '';
    const ccy = tag.attributes.Ccy;
    if (ccy !== undefined && typeof ccy !== 'string') currencies.push(ccy.value);
  });
  parser.on('text', (t) => {
    text += t;
  });
  parser.on('closetag', () => {
    const key = stack.slice(2).join('/');
    if (text.trim() !== '') texts.set(key, [...(texts.get(key) ?? []), text]);
    text = '';
    stack.pop();
  });
  parser.on('error', (err) => {
    throw err;
  });
  parser.write(xml.toString('utf8')).close();
  return { namespace, texts, currencies };
}

async function failure(run: () => Promise<unknown>): Promise<BankFileError> {
  try {
    await run();
  } catch (err) {
    if (err instanceof BankFileError) return err;
    throw err;
  }
  throw new Error('expected a BankFileError, the batch was accepted');
}

describe('writePain001 structure', () => {
  it('has the group header, one PmtInf and one CdtTrfTxInf per payout with the right values', async () => {
    const doc = parse(await xmlOf(painHeader(), smallBatch()));
    const t = (key: string) => doc.texts.get(key) ?? [];
    expect(doc.namespace).toBe(PAIN001_NAMESPACE);
    expect(t('GrpHdr/MsgId')).toEqual(['QS2025T1-MSG1']);
    expect(t('GrpHdr/CreDtTm')).toEqual(['2025-09-01T09:30:00+08:00']);
    expect(t('GrpHdr/NbOfTxs')).toEqual(['3']);
    expect(t('GrpHdr/CtrlSum')).toEqual(['10500.00']);
    expect(t('GrpHdr/InitgPty/Nm')).toEqual(['青山陪伴助学基金会']);
    expect(t('PmtInf/PmtMtd')).toEqual(['TRF']);
    expect(t('PmtInf/NbOfTxs')).toEqual(['3']);
    expect(t('PmtInf/CtrlSum')).toEqual(['10500.00']);
    expect(t('PmtInf/ReqdExctnDt/Dt')).toEqual(['2025-09-02']);
    expect(t('PmtInf/DbtrAcct/Id/Othr/Id')).toEqual(['28010001040012345']);
    expect(t('PmtInf/DbtrAgt/FinInstnId/BICFI')).toEqual(['ABOCCNBJ280']);
    expect(t('PmtInf/DbtrAgt/FinInstnId/ClrSysMmbId/MmbId')).toEqual(['103851000008']);
    expect(t('PmtInf/CdtTrfTxInf/PmtId/EndToEndId')).toEqual(['QS2025T1-000001', 'QS2025T1-000002', 'QS2025T1-000003']);
    expect(t('PmtInf/CdtTrfTxInf/Amt/InstdAmt')).toEqual(['3500.00', '3500.50', '3499.50']);
    expect(doc.currencies).toEqual(['CNY', 'CNY', 'CNY']);
    expect(t('PmtInf/CdtTrfTxInf/Cdtr/Nm')).toEqual(['张晓梅', '王"小"明, <二> & 三', '买买提·艾力']);
    expect(t('PmtInf/CdtTrfTxInf/CdtrAcct/Id/Othr/Id')).toEqual(['6222020200112233445', '6228480012345678901', '6217000000000000001']);
    expect(t('PmtInf/CdtTrfTxInf/CdtrAgt/FinInstnId/Nm')).toEqual(['中国农业银行西宁城中支行', 'Bank of China, "Xining"']);
    expect(t('PmtInf/CdtTrfTxInf/RmtInf/Ustrd')).toEqual(['助学金 2025-2026 第1期', '助学金, 2025-2026 第1期 (补发)', '助学金 2025-2026 第1期']);
    // The declared sum is the exact sum of the amounts read back.
    const sum = t('PmtInf/CdtTrfTxInf/Amt/InstdAmt').reduce((acc, a) => acc.plus(a), money(0));
    expect(sum.toFixed(2)).toBe(t('GrpHdr/CtrlSum')[0]);
  });

  it('matches the golden file byte for byte (UTF-8, no BOM, LF, two-space indent)', async () => {
    const xml = await xmlOf(painHeader(), smallBatch());
    const golden = readFileSync(path.join(goldenDir, 'pain001-small.xml'));
    expect(xml.toString('utf8')).toBe(golden.toString('utf8'));
    expect(xml.equals(golden)).toBe(true);
    expect(xml.subarray(0, 5).toString()).toBe('<?xml');
  });

  it('escapes the five XML specials and leaves Chinese text as UTF-8', async () => {
    const xml = (await xmlOf(painHeader(), smallBatch())).toString('utf8');
    expect(xml).toContain('<Nm>王&quot;小&quot;明, &lt;二&gt; &amp; 三</Nm>');
    expect(xml).toContain('<Nm>买买提·艾力</Nm>');
    expect(xml).not.toMatch(/&#/);
  });

  it('writes optional parts only when given: InitgPty/Id, BtchBookg, ChrgBr, IBAN', async () => {
    const header = painHeader();
    const bare = (await xmlOf({ ...header, initiatingParty: { name: '基金会' } }, smallBatch())).toString('utf8');
    expect(bare).not.toContain('<BtchBookg>');
    expect(bare).not.toContain('<ChrgBr>');
    expect(bare).not.toContain('<OrgId>');
    const full = (
      await xmlOf(
        {
          ...header,
          batchBooking: true,
          chargeBearer: 'SLEV',
          debtor: { ...header.debtor, account: 'DE89370400440532013000', accountScheme: 'iban' },
        },
        smallBatch(),
      )
    ).toString('utf8');
    expect(full).toContain('<BtchBookg>true</BtchBookg>');
    expect(full).toContain('<ChrgBr>SLEV</ChrgBr>');
    expect(full).toContain('<IBAN>DE89370400440532013000</IBAN>');
  });
});

describe('writePain001 against the pain.001.001.09 XSD', async () => {
  const validator = await findXsdValidator();
  if (validator === undefined) {
    console.warn(
      'bank-pain001: schema tests skipped: needs pain.001.001.09.xsd (PAIN001_XSD, ../shared/conformance/xsd/, test/fixtures/conformance/xsd/ or test/fixtures/xsd/) and a validator (npm xmllint-wasm)',
    );
  }

  it.skipIf(validator === undefined)(`the small batch and its variants are valid (${validator?.name ?? 'no validator'})`, async () => {
    const header = painHeader();
    const variants: Buffer[] = [
      await xmlOf(header, smallBatch()),
      await xmlOf({ ...header, initiatingParty: { name: 'X' }, remittanceInfo: undefined }, smallBatch()),
      await xmlOf(
        {
          ...header,
          batchBooking: false,
          chargeBearer: 'DEBT',
          debtor: { ...header.debtor, account: 'DE89370400440532013000', accountScheme: 'iban', agent: { name: '银行' } },
        },
        smallBatch(),
      ),
    ];
    for (const xml of variants) expect(await validator!.validate(xml)).toEqual([]);
  });

  it.skipIf(validator === undefined)('a generated batch of 1,000 payouts is valid', async () => {
    const payouts = Array.from({ length: 1000 }, (_, i) => generatedPayout(i + 1));
    const xml = await xmlOf(painHeader(generatedTotals(1000)), payouts);
    expect(await validator!.validate(xml)).toEqual([]);
  });

  it.skipIf(validator === undefined)('the validator is not vacuous: a document with an empty CdtrAcct/Id is refused', async () => {
    const xml = (await xmlOf(painHeader(), smallBatch())).toString('utf8').replace(/<Othr>\s*<Id>6217000000000000001<\/Id>\s*<\/Othr>/, '');
    const errors = await validator!.validate(Buffer.from(xml, 'utf8'));
    expect(errors.length).toBeGreaterThan(0);
  });
});

describe('writePain001 determinism', () => {
  it('gives identical bytes (same SHA-256) for the same input, whatever the chunk size and source kind', async () => {
    const reference = sha256(await xmlOf(painHeader(), smallBatch()));
    expect(sha256(await xmlOf(painHeader(), smallBatch()))).toBe(reference);
    expect(sha256(await xmlOf(painHeader(), asAsync(smallBatch()), 7))).toBe(reference);
    expect(sha256(await xmlOf(painHeader(), smallBatch(), 1))).toBe(reference);
    const { sha256: collected } = await collectBankFile(writePain001(painHeader(), smallBatch()));
    expect(collected).toBe(reference);
  });

  it('takes Money values as well as strings, with the same bytes', async () => {
    const payouts = smallBatch().map((p) => ({ ...p, amount: money(p.amount as string) }));
    expect(sha256(await xmlOf(painHeader({ count: 3, controlSum: '10500' }), payouts))).toBe(sha256(await xmlOf(painHeader(), smallBatch())));
  });

  it('totalsOf computes what the header declares', () => {
    expect(totalsOf(smallBatch().map((p) => p.amount))).toEqual(SMALL_TOTALS);
  });
});

describe('writePain001 refuses batches that do not add up, before the closing tags', () => {
  async function partial(header: Pain001Header, payouts: BankPayout[]): Promise<{ error: BankFileError; text: string }> {
    const chunks: Uint8Array[] = [];
    const error = await failure(async () => {
      for await (const chunk of writePain001(header, payouts, { chunkChars: 1 })) chunks.push(chunk);
    });
    return { error, text: Buffer.concat(chunks).toString('utf8') };
  }

  it('one payout fewer than declared', async () => {
    const { error, text } = await partial(painHeader(), smallBatch().slice(0, 2));
    expect(error.message).toMatch(/declared with 3 payouts and has 2/);
    expect(text).toContain('QS2025T1-000002');
    expect(text).not.toContain('</Document>');
  });

  it('one payout more than declared (fails at that payout)', async () => {
    const { error, text } = await partial(painHeader({ count: 2, controlSum: '7000.50' }), smallBatch());
    expect(error.message).toMatch(/declared with 2 payouts and has more/);
    expect(error.index).toBe(3);
    expect(text).not.toContain('QS2025T1-000003');
    expect(text).not.toContain('</Document>');
  });

  it('a control sum off by one fen', async () => {
    const { error, text } = await partial(painHeader({ count: 3, controlSum: '10500.01' }), smallBatch());
    expect(error.message).toMatch(/declared to sum to 10500\.01 and its payouts sum to 10500\.00/);
    expect(text).toContain('QS2025T1-000003');
    expect(text).not.toContain('</PmtInf>');
  });

  it('a reference used twice', async () => {
    const payouts = smallBatch();
    payouts[2] = { ...payouts[2]!, reference: payouts[0]!.reference };
    const { error } = await partial(painHeader(), payouts);
    expect(error.message).toMatch(/used by an earlier payout/);
    expect(error.index).toBe(3);
  });
});

describe('writePain001 refuses bad input with the payout and field, never the whole account or name', () => {
  const cases: [string, Partial<BankPayout>, RegExp, string][] = [
    ['a reference over 35 characters', { reference: 'Q'.repeat(36) }, /reference/, 'reference'],
    ['a reference with "/"', { reference: 'QS/1' }, /reference/, 'reference'],
    ['three decimals', { amount: '3500.001' }, /not a valid amount \(scale\)/, 'amount'],
    ['a JS number', { amount: 3500 as unknown as string }, /never a JS number/, 'amount'],
    ['zero', { amount: '0.00' }, /not positive/, 'amount'],
    ['a negative amount', { amount: '-1.00' }, /not positive/, 'amount'],
    ['a name with a line break', { payeeName: '张\n三' }, /control/, 'payeeName'],
    ['a name with a zero-width space', { payeeName: '张\u200b三' }, /invisible/, 'payeeName'],
    ['a name with a trailing ideographic space', { payeeName: '张三\u3000' }, /white space/, 'payeeName'],
    ['an empty name', { payeeName: '' }, /empty/, 'payeeName'],
    ['an account with spaces', { payeeAccount: '6222 0202 0011 2233 445' }, /not an account number/, 'payeeAccount'],
    ['a bank with nothing in it', { payeeBank: {} }, /at least a name, a BIC/, 'payeeBank'],
    ['a malformed BIC', { payeeBank: { bic: 'ABC' } }, /not a BIC/, 'payeeBank.bic'],
  ];

  it.each(cases)('%s', async (_what, change, message, field) => {
    const payouts = smallBatch();
    payouts[1] = { ...payouts[1]!, ...change };
    const error = await failure(() => xmlOf(painHeader(), payouts));
    expect(error.message).toMatch(message);
    expect(error.index).toBe(2);
    expect(error.field).toBe(field);
    expect(error.message).not.toContain('6222 0202 0011 2233 445');
    expect(error.message).not.toContain('张\n三');
  });

  it('masks the account number in the message', async () => {
    const payouts = smallBatch();
    payouts[0] = { ...payouts[0]!, payeeAccount: '6222020200112233445 ' };
    const error = await failure(() => xmlOf(painHeader(), payouts));
    expect(error.message).not.toContain('6222020200112233445');
    expect(error.message).toContain('3445');
  });

  it.each([
    ['messageId', { messageId: 'MSG 1' }],
    ['createdAt', { createdAt: '2025-09-01 09:30' }],
    ['createdAt', { createdAt: '2025-02-29T09:30:00+08:00' }],
    ['requestedExecutionDate', { requestedExecutionDate: '2025-9-2' }],
    ['totals.count', { totals: { count: 0, controlSum: '1.00' } }],
    ['totals.controlSum', { totals: { count: 3, controlSum: '10500.001' } }],
  ] as [string, Partial<Pain001Header>][])('a bad header %s', async (field, change) => {
    const error = await failure(() => xmlOf({ ...painHeader(), ...change }, smallBatch()));
    expect(error.field).toBe(`header.${field}`);
  });

  it('a debtor without its bank', async () => {
    const header = painHeader();
    const error = await failure(() => xmlOf({ ...header, debtor: { ...header.debtor, agent: undefined as never } }, smallBatch()));
    expect(error.field).toBe('header.debtor.agent');
  });
});

describe('writePain001 streams', () => {
  it('10,000 payouts: the first chunk comes before the source is exhausted, and it never reads far ahead', async () => {
    const n = 10_000;
    const { source, pulled } = countingSource(n);
    const pulledAtChunk: number[] = [];
    let bytes = 0;
    for await (const chunk of writePain001(painHeader(generatedTotals(n)), source)) {
      pulledAtChunk.push(pulled());
      bytes += chunk.byteLength;
    }
    expect(pulledAtChunk[0]).toBeLessThan(200);
    const steps = pulledAtChunk.slice(1).map((p, i) => p - pulledAtChunk[i]!);
    expect(Math.max(...steps)).toBeLessThan(200); // ~64 Ki characters per chunk, ~800 per payout
    expect(pulledAtChunk.at(-1)).toBe(n);
    expect(pulledAtChunk.length).toBeGreaterThan(50);
    expect(bytes).toBeGreaterThan(n * 500);
  });

  it('a consumer that stops early stops the source too', async () => {
    const { source, pulled } = countingSource(10_000);
    for await (const _chunk of writePain001(painHeader(generatedTotals(10_000)), source)) break;
    expect(pulled()).toBeLessThan(200);
    expect((await source.next()).done).toBe(true);
  });
});
