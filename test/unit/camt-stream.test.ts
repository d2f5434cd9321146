// The camt reader as a stream: chunk boundaries anywhere (even inside a multi-byte character)
// change nothing, entries come out before the input is finished, and bad input is refused with a
// CamtFormatError that says where.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CamtFormatError, collectCamt, readCamt, type CamtEntryEvent, type CamtEvent } from '../../src/bank/camt/index.ts';
import { conformanceDir } from '../support/conformance.ts';

const camtDir = conformanceDir('camt');

async function* chunked(data: Uint8Array | string, size: number): AsyncGenerator<Uint8Array | string> {
  for (let i = 0; i < data.length; i += size) yield data.slice(i, i + size);
}

async function events(data: Uint8Array | string, size = 64 * 1024): Promise<CamtEvent[]> {
  const out: CamtEvent[] = [];
  for await (const e of readCamt(chunked(data, size))) out.push(e);
  return out;
}

async function failure(data: Uint8Array | string, size = 64 * 1024): Promise<CamtFormatError> {
  try {
    await events(data, size);
  } catch (err) {
    if (err instanceof CamtFormatError) return err;
    throw err;
  }
  throw new Error('expected a CamtFormatError, the input was accepted');
}

const NS53 = 'urn:iso:std:iso:20022:tech:xsd:camt.053.001.08';

function entry(over: { amt?: string; ccy?: string; cdi?: string; extra?: string; tx?: string } = {}): string {
  const amt = over.amt === undefined ? '<Amt Ccy="CNY">3500.00</Amt>' : over.amt;
  return `<Ntry>${amt}<CdtDbtInd>${over.cdi ?? 'DBIT'}</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>
    <BookgDt><DtTm>2025-09-30T23:30:00-05:00</DtTm></BookgDt><ValDt><Dt>2025-10-01</Dt></ValDt>
    <AcctSvcrRef>BANKREF-1</AcctSvcrRef>${over.extra ?? ''}
    <NtryDtls>${over.tx ?? ''}</NtryDtls></Ntry>`;
}

function statement(body: string, header = '<GrpHdr><MsgId>MSG-1</MsgId><CreDtTm>2025-10-02T08:00:00+08:00</CreDtTm></GrpHdr>', ns = NS53): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="${ns}"><BkToCstmrStmt>${header}
<Stmt><Id>STMT-1</Id><Acct><Id><IBAN>CN0000000000000000001</IBAN></Id><Ccy>CNY</Ccy></Acct>
<Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy="CNY">540000.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2025-09-30</Dt></Dt></Bal>
${body}
</Stmt></BkToCstmrStmt></Document>`;
}

const returnTx = `<TxDtls><Refs><EndToEndId>PAYOUT-2025-000123</EndToEndId><UETR>255ae394-9965-4438-ac86-f406feada396</UETR></Refs>
  <Amt Ccy="CNY">3500.00</Amt><CdtDbtInd>CRDT</CdtDbtInd>
  <RltdPties><Dbtr><Pty><Nm>青海省民政厅</Nm></Pty></Dbtr><Cdtr><Pty><Nm>张晓梅</Nm></Pty></Cdtr>
  <CdtrAcct><Id><Othr><Id>6222020200112233445</Id></Othr></Id></CdtrAcct></RltdPties>
  <RmtInf><Ustrd>青山陪伴助学金 2025-2026 第一期</Ustrd></RmtInf>
  <RtrInf><Rsn><Cd>AC04</Cd></Rsn><AddtlInf>账户已销户 closed account</AddtlInf></RtrInf></TxDtls>`;

const sample = statement(
  entry({ tx: '<TxDtls><Refs><EndToEndId>PAYOUT-2025-000122</EndToEndId></Refs></TxDtls>' }) +
    entry({ amt: '<Amt Ccy="CNY">3500.12345</Amt>', cdi: 'CRDT', extra: '<AddtlNtryInf>退汇 return</AddtlNtryInf>', tx: returnTx }),
);

describe('readCamt chunking', () => {
  const files = ['camt053.v8.xml', 'camt054.v4.xml', 'camt053.v2.multi.statement.xml'];

  it.each(files)('%s read in 7-byte chunks equals the whole-file reading', async (file) => {
    const bytes = readFileSync(path.join(camtDir, file));
    const whole = await events(bytes, bytes.length);
    expect(whole.length).toBeGreaterThan(2);
    expect(await events(bytes, 7)).toEqual(whole);
  });

  it('splits inside multi-byte UTF-8 characters without harm (1..13-byte chunks, bytes and strings)', async () => {
    const bytes = new TextEncoder().encode(sample);
    const whole = await events(bytes, bytes.length);
    for (const size of [1, 2, 3, 5, 7, 13]) expect(await events(bytes, size)).toEqual(whole);
    expect(await events(sample, 7)).toEqual(whole);
  });

  it('emits header, statement (with balances) before its entries, then statement-end', async () => {
    const types = (await events(sample, 7)).map((e) => e.type);
    expect(types).toEqual(['header', 'statement', 'entry', 'entry', 'statement-end']);
    const [, stmt] = await events(sample);
    expect(stmt).toMatchObject({ type: 'statement', id: 'STMT-1', currency: 'CNY', balances: [{ type: 'OPBD', amount: '540000.00' }] });
  });

  it('yields entries before the source is exhausted (it streams)', async () => {
    const many = statement(Array.from({ length: 3000 }, () => entry()).join('\n'));
    const bytes = new TextEncoder().encode(many);
    let pulled = 0;
    const total = Math.ceil(bytes.length / 4096);
    async function* counting(): AsyncGenerator<Uint8Array> {
      for await (const c of chunked(bytes, 4096)) {
        pulled++;
        yield c as Uint8Array;
      }
    }
    let pulledAtFirstEntry = -1;
    let entries = 0;
    for await (const e of readCamt(counting())) {
      if (e.type !== 'entry') continue;
      if (pulledAtFirstEntry < 0) pulledAtFirstEntry = pulled;
      entries++;
    }
    expect(entries).toBe(3000);
    expect(pulledAtFirstEntry).toBeLessThan(3);
    expect(total).toBeGreaterThan(100);
  });
});

describe('readCamt fields', () => {
  it("keeps amounts as written, dates as the bank's calendar dates, and what reconciliation needs", async () => {
    const doc = await collectCamt(chunked(sample, 7));
    const [first, second] = doc.records[0]?.entries ?? [];
    expect(first).toMatchObject({
      amount: '3500.00',
      currency: 'CNY',
      creditDebit: 'DBIT',
      reversal: false,
      status: 'BOOK',
      // 23:30 at -05:00 is already October 1st in UTC; the bank booked it on September 30th.
      bookingDate: '2025-09-30',
      bookingDateTime: '2025-09-30T23:30:00-05:00',
      valueDate: '2025-10-01',
      accountServicerReference: 'BANKREF-1',
      endToEndIds: ['PAYOUT-2025-000122'],
    });
    expect(second?.amount).toBe('3500.12345');
    expect(second?.additionalInfo).toBe('退汇 return');
    expect(second?.transactions).toEqual([
      {
        endToEndId: 'PAYOUT-2025-000123',
        uetr: '255ae394-9965-4438-ac86-f406feada396',
        amount: '3500.00',
        currency: 'CNY',
        creditDebit: 'CRDT',
        debtor: { name: '青海省民政厅' },
        creditor: { name: '张晓梅', account: '6222020200112233445' },
        remittanceLines: ['青山陪伴助学金 2025-2026 第一期'],
        creditorReferences: [],
        returnReason: 'AC04',
        returnInfo: ['账户已销户 closed account'],
      },
    ]);
  });

  it('reads the UETR and the batch transactions of the conformance files', async () => {
    const uetr = await events(readFileSync(path.join(camtDir, 'camt054.v8-with-UETR.xml')));
    expect((uetr.find((e) => e.type === 'entry') as CamtEntryEvent).transactions[0]?.uetr).toBe('255ae394-9965-4438-ac86-f406feada396');
    const batch = (await events(readFileSync(path.join(camtDir, 'camt054.v8.xml')))).find((e) => e.type === 'entry') as CamtEntryEvent;
    expect(batch.transactions.map((t) => [t.endToEndId, t.amount, t.creditor?.name, t.creditor?.account])).toEqual([
      ['UXC06170000006PI00001EE00001', '3.1', 'Example Creditor 3 - V1', 'CH4112345003131313131'],
      ['UXC06170000006PI00001EE00002', '3.2', 'Example Creditor 3 - V2', 'CH7212345003232323232'],
      ['UXC06170000006PI00001EE00002', '3.2', 'Example Creditor 3 - V3', 'CH7212345003232323232'],
    ]);
    expect(batch.additionalInfo).toBe('Order');
    expect(batch.bankTransactionCode).toBe('PMNT/ICDT/DMCT');
  });

  it('accepts a prefixed namespace, a BOM and a declared single-byte encoding', async () => {
    const prefixed = sample.replace('<Document xmlns=', '<c:Document xmlns:c=').replace(/<(\/?)(?!\?|c:)/g, '<$1c:');
    expect((await collectCamt(chunked(prefixed, 7))).records[0]?.entries).toHaveLength(2);
    const bom = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(sample)]);
    expect(await events(bom, 5)).toEqual(await events(sample));
    const latin1 = statement(entry({ extra: '<AddtlNtryInf>Caf\u00e9</AddtlNtryInf>' })).replace('UTF-8', 'ISO-8859-1');
    const latin1Bytes = Uint8Array.from(latin1, (c) => c.charCodeAt(0));
    const doc = await collectCamt(chunked(latin1Bytes, 3));
    expect(doc.records[0]?.entries[0]?.additionalInfo).toBe('Café');
  });
});

describe('readCamt refuses bad input with a CamtFormatError', () => {
  const header = '<GrpHdr><MsgId>MSG-1</MsgId><CreDtTm>2025-10-02T08:00:00+08:00</CreDtTm></GrpHdr>';
  const cases: [string, string, RegExp][] = [
    ['empty input', '', /empty/],
    ['not XML', 'amount;date\n3500.00;2025-10-01\n', /not well-formed XML/],
    ['truncated XML', sample.slice(0, sample.length - 40), /not well-formed XML/],
    ['a wrong root element', '<Statement xmlns="urn:x"/>', /root element is <Statement>/],
    ['a pain.001 namespace', '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"><CstmrCdtTrfInitn/></Document>', /not camt\.053 or camt\.054/],
    ['a camt.052 namespace', '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.052.001.02"/>', /not camt\.053 or camt\.054/],
    ['no namespace', '<Document><BkToCstmrStmt/></Document>', /namespace "" is not camt/],
    ['a message element that does not fit the namespace', `<Document xmlns="${NS53}"><BkToCstmrDbtCdtNtfctn/></Document>`, /expected BkToCstmrStmt/],
    ['a missing group header', statement(entry(), ''), /Stmt comes before any group header/],
    ['a group header only', `<Document xmlns="${NS53}"><BkToCstmrStmt>${header}</BkToCstmrStmt></Document>`, /no statement \(Stmt\)/],
    ['no GrpHdr at all', `<Document xmlns="${NS53}"><BkToCstmrStmt></BkToCstmrStmt></Document>`, /no group header/],
    ['a GrpHdr without MsgId', statement(entry(), '<GrpHdr><CreDtTm>2025-10-02T08:00:00Z</CreDtTm></GrpHdr>'), /GrpHdr has no MsgId/],
    ['an entry without amount', statement(entry({ amt: '' })), /Ntry\[1\]: .*|Ntry has no Amt/],
    ['a comma amount', statement(entry({ amt: '<Amt Ccy="CNY">3500,00</Amt>' })), /amount "3500,00" is not a plain/],
    ['a negative amount', statement(entry({ amt: '<Amt Ccy="CNY">-3500.00</Amt>' })), /amount "-3500.00"/],
    ['six decimals', statement(entry({ amt: '<Amt Ccy="CNY">1.123456</Amt>' })), /more than 5 decimals/],
    ['an empty amount', statement(entry({ amt: '<Amt Ccy="CNY"></Amt>' })), /amount "" is not/],
    ['an amount without currency', statement(entry({ amt: '<Amt>3500.00</Amt>' })), /Ntry\/Amt\/@Ccy/],
    ['an unknown CdtDbtInd', statement(entry({ cdi: 'CRED' })), /CdtDbtInd "CRED" is neither CRDT nor DBIT/],
    ['an impossible date', statement(entry().replace('2025-10-01', '2025-02-30')), /ValDt\/Dt "2025-02-30"/],
    ['a bad reversal flag', statement(entry({ extra: '<RvslInd>yes</RvslInd>' })), /RvslInd "yes"/],
    ['an entry without status', statement(entry().replace('<Sts><Cd>BOOK</Cd></Sts>', '')), /Ntry has no Sts/],
    ['a statement without account', statement(entry()).replace(/<Acct>.*?<\/Acct>/, ''), /Stmt has no account/],
  ];

  it.each(cases)('%s', async (_name, xml, message) => {
    const err = await failure(xml, 7);
    expect(err.name).toBe('CamtFormatError');
    expect(err.message).toMatch(message);
  });

  it('names the element and line of a bad entry', async () => {
    const err = await failure(statement(`${entry()}\n${entry({ amt: '<Amt Ccy="CNY">12.3.4</Amt>' })}`), 7);
    expect(err.element).toBe('BkToCstmrStmt/Stmt[1]/Ntry[2]/Amt');
    expect(err.line).toBeGreaterThan(5);
    expect(err.message).toMatch(/at BkToCstmrStmt\/Stmt\[1\]\/Ntry\[2\]\/Amt, line \d+:\d+/);
  });

  it('refuses bytes that are not valid UTF-8', async () => {
    const bytes = new TextEncoder().encode(statement(entry({ extra: '<AddtlNtryInf>X</AddtlNtryInf>' })));
    const bad = new Uint8Array(bytes);
    bad[bytes.indexOf(0x58)] = 0xff; // the "X"
    expect((await failure(bad, 7)).message).toMatch(/not valid utf-8/);
  });
});

describe('readCamt: statement sequence numbers and pagination', () => {
  const paged = (pgntn: string, stmtExtra: string) =>
    `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="${NS53}"><BkToCstmrStmt><GrpHdr><MsgId>MSG-P2</MsgId><CreDtTm>2025-10-02T08:00:00+08:00</CreDtTm>${pgntn}</GrpHdr>
<Stmt><Id>STMT-1</Id>${stmtExtra}<Acct><Id><IBAN>CN0000000000000000001</IBAN></Id><Ccy>CNY</Ccy></Acct>
<Bal><Tp><CdOrPrtry><Cd>ITBD</Cd></CdOrPrtry></Tp><Amt Ccy="CNY">540000.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2025-09-30</Dt></Dt></Bal>
</Stmt></BkToCstmrStmt></Document>`;

  it('reads MsgPgntn, StmtPgntn, ElctrncSeqNb and LglSeqNb', async () => {
    const got = await events(
      paged(
        '<MsgPgntn><PgNb>2</PgNb><LastPgInd>true</LastPgInd></MsgPgntn>',
        '<StmtPgntn><PgNb>3</PgNb><LastPgInd>false</LastPgInd></StmtPgntn><ElctrncSeqNb>0042</ElctrncSeqNb><LglSeqNb>7</LglSeqNb>',
      ),
    );
    expect(got[0]).toMatchObject({ type: 'header', page: { number: 2, last: true } });
    expect(got[1]).toMatchObject({ type: 'statement', electronicSequence: '42', legalSequence: '7', page: { number: 3, last: false } });
  });

  it('leaves them out when the bank gives none, and refuses ones that are not numbers', async () => {
    const plain = await events(statement(''));
    expect(plain[0]).not.toHaveProperty('page');
    expect(plain[1]).not.toHaveProperty('electronicSequence');
    expect((await failure(paged('', '<ElctrncSeqNb>4a</ElctrncSeqNb>'))).message).toMatch(/ElctrncSeqNb "4a" is not a whole number/);
    expect((await failure(paged('<MsgPgntn><PgNb>0</PgNb><LastPgInd>true</LastPgInd></MsgPgntn>', ''))).message).toMatch(/PgNb "0" is not a page number/);
    expect((await failure(paged('<MsgPgntn><PgNb>1</PgNb><LastPgInd>maybe</LastPgInd></MsgPgntn>', ''))).message).toMatch(/LastPgInd "maybe"/);
  });
});
