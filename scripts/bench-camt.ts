// Benchmark for the streaming camt reader (not a test): writes a camt.054 with N entries to a
// temporary file, streams it through readCamt, and prints entries/s and memory. Memory should stay
// flat as N grows; if peak RSS grows with N, something is holding the document.
//
//   npx tsx scripts/bench-camt.ts [entries=200000] [--keep]
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { Decimal } from 'decimal.js';
import { readCamt, signedAmount } from '../src/bank/camt/index.ts';
import { startMemorySampler } from './lib/memory-sampler.ts';

const entries = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 200_000);
const keep = process.argv.includes('--keep');
const NS = 'urn:iso:std:iso:20022:tech:xsd:camt.054.001.08';

function entryXml(i: number): string {
  // Payouts (DBIT) with an occasional return (CRDT, RtrInf), Chinese names, realistic nesting.
  const returned = i % 50 === 49;
  const amount = `${3000 + (i % 2001)}.${String(i % 100).padStart(2, '0')}`;
  const e2e = `QS2025-${String(i).padStart(9, '0')}`;
  return `<Ntry><NtryRef>${i}</NtryRef><Amt Ccy="CNY">${amount}</Amt><CdtDbtInd>${returned ? 'CRDT' : 'DBIT'}</CdtDbtInd>
<Sts><Cd>BOOK</Cd></Sts><BookgDt><DtTm>2025-10-01T10:15:00+08:00</DtTm></BookgDt><ValDt><Dt>2025-10-01</Dt></ValDt>
<AcctSvcrRef>BK${i}</AcctSvcrRef><BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>ICDT</Cd><SubFmlyCd>DMCT</SubFmlyCd></Fmly></Domn></BkTxCd>
<NtryDtls><TxDtls><Refs><InstrId>I${i}</InstrId><EndToEndId>${e2e}</EndToEndId><UETR>255ae394-9965-4438-ac86-${String(i).padStart(12, '0')}</UETR></Refs>
<Amt Ccy="CNY">${amount}</Amt><CdtDbtInd>${returned ? 'CRDT' : 'DBIT'}</CdtDbtInd>
<RltdPties><Dbtr><Pty><Nm>青海省民政厅</Nm></Pty></Dbtr><DbtrAcct><Id><Othr><Id>6222000000000000001</Id></Othr></Id></DbtrAcct>
<Cdtr><Pty><Nm>学生${i}</Nm><PstlAdr><Ctry>CN</Ctry></PstlAdr></Pty></Cdtr><CdtrAcct><Id><Othr><Id>62220202${String(i).padStart(11, '0')}</Id></Othr></Id></CdtrAcct></RltdPties>
<RmtInf><Ustrd>青山陪伴助学金 2025-2026 第一期</Ustrd></RmtInf>${returned ? '<RtrInf><Rsn><Cd>AC04</Cd></Rsn></RtrInf>' : ''}
</TxDtls></NtryDtls></Ntry>
`;
}

async function generate(file: string): Promise<void> {
  const out = createWriteStream(file);
  const write = async (s: string): Promise<void> => {
    if (!out.write(s)) await once(out, 'drain');
  };
  await write(`<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="${NS}"><BkToCstmrDbtCdtNtfctn><GrpHdr><MsgId>BENCH-1</MsgId><CreDtTm>2025-10-01T18:00:00+08:00</CreDtTm></GrpHdr>
<Ntfctn><Id>NTF-1</Id><Acct><Id><Othr><Id>6222000000000000001</Id></Othr></Id><Ccy>CNY</Ccy></Acct>
`);
  let batch = '';
  for (let i = 0; i < entries; i++) {
    batch += entryXml(i);
    if (batch.length > 256 * 1024) {
      await write(batch);
      batch = '';
    }
  }
  await write(`${batch}</Ntfctn></BkToCstmrDbtCdtNtfctn></Document>\n`);
  out.end();
  await once(out, 'finish');
}

const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

async function main(): Promise<void> {
  const dir = await mkdtemp(path.join(tmpdir(), 'bench-camt-'));
  const file = path.join(dir, 'camt054.xml');
  try {
    let t = performance.now();
    await generate(file);
    const size = (await stat(file)).size;
    console.log(`generated ${entries.toLocaleString('en')} entries, ${mb(size)} in ${((performance.now() - t) / 1000).toFixed(1)} s: ${file}`);

    const memory = startMemorySampler(25);
    const { rssBefore, sample } = memory;

    t = performance.now();
    let count = 0;
    let net = new Decimal(0);
    let returns = 0;
    for await (const event of readCamt(createReadStream(file, { highWaterMark: 64 * 1024 }))) {
      if (event.type !== 'entry') continue;
      count++;
      net = net.plus(signedAmount(event.amount, event.creditDebit));
      if (event.transactions[0]?.returnReason !== undefined) returns++;
      if ((count & 0x3fff) === 0) sample();
    }
    const seconds = (performance.now() - t) / 1000;
    const { peakRss, peakHeap } = memory.stop();
    if (count !== entries) throw new Error(`read ${count} entries, wrote ${entries}`);

    console.log(`read ${count.toLocaleString('en')} entries (${returns} returns, net ${net.toFixed(2)} CNY) in ${seconds.toFixed(2)} s`);
    console.log(`throughput: ${Math.round(count / seconds).toLocaleString('en')} entries/s, ${(size / 1024 / 1024 / seconds).toFixed(1)} MB/s`);
    console.log(
      `memory: RSS before read ${mb(rssBefore)}, peak RSS sampled ${mb(peakRss)}, peak heap used ${mb(peakHeap)}, maxRSS (whole process) ${mb(process.resourceUsage().maxRSS * 1024)}`,
    );
  } finally {
    if (!keep) await rm(dir, { recursive: true, force: true });
  }
}

await main();
