// The payload of an embedded database's backup: a line with the sequences (JSON), then per table a
// line with its name and a line with its rows (table-rows.ts), gzip-compressed. The rows stay the
// text PostgreSQL wrote, so a restore hands them back to PostgreSQL unparsed.
import type { SequenceState, TableRows } from './table-rows.ts';

export interface TableRowsContent {
  tables: TableRows[];
  sequences: SequenceState[];
}

async function collect(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

export async function encodeTableRowsPayload(content: TableRowsContent): Promise<Uint8Array> {
  const lines = [JSON.stringify({ sequences: content.sequences })];
  for (const t of content.tables) lines.push(t.name, t.rowsJson);
  const text = new Blob([`${lines.join('\n')}\n`]).stream();
  return collect(text.pipeThrough(new CompressionStream('gzip')));
}

export async function decodeTableRowsPayload(payload: Uint8Array): Promise<TableRowsContent> {
  const text = await new Response(new Blob([payload]).stream().pipeThrough(new DecompressionStream('gzip'))).text();
  const lines = text.split('\n');
  const { sequences } = JSON.parse(lines[0] ?? '') as { sequences: SequenceState[] };
  const tables: TableRows[] = [];
  for (let i = 1; i + 1 < lines.length; i += 2) tables.push({ name: lines[i] as string, rowsJson: lines[i + 1] as string });
  return { tables, sequences };
}
