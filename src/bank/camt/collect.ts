// The whole message in memory, in the shape of the conformance files' expected.json (plus the
// optional fields). For small files, tests and tools; large files should iterate readCamt.
// Opening a file by its path is Node's business: ../node/read-camt-file.ts.
import { CamtFormatError } from './errors.ts';
import { readCamt } from './read-camt.ts';
import type { CamtDocument, CamtRecord } from './types.ts';

export async function collectCamt(source: AsyncIterable<Uint8Array | string>): Promise<CamtDocument> {
  let doc: CamtDocument | undefined;
  let record: CamtRecord | undefined;
  for await (const event of readCamt(source)) {
    switch (event.type) {
      case 'header': {
        const { type: _type, ...header } = event;
        doc = { ...header, records: [] };
        break;
      }
      case 'statement': {
        const { type: _type, index: _index, ...statement } = event;
        record = { ...statement, entries: [] };
        doc?.records.push(record);
        break;
      }
      case 'entry': {
        const { type: _type, statementId: _statementId, ...entry } = event;
        record?.entries.push(entry);
        break;
      }
      case 'statement-end':
        record = undefined;
        break;
    }
  }
  // readCamt refuses a message without header or statement; this guard only informs the types.
  if (doc === undefined) throw new CamtFormatError('the message has no group header');
  return doc;
}
