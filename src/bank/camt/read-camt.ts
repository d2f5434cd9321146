// Streaming reader: chunks in, CamtEvents out, one chunk at a time. The consumer pulls; nothing
// is read from the source until the events of the previous chunk have been taken, so a 1 GB file
// is never in memory, only one chunk and the entry being built.
import { SaxesParser } from 'saxes';
import { decodeXmlChunks } from './decode.ts';
import { CamtFormatError } from './errors.ts';
import { CamtMachine } from './machine.ts';
import { NamespaceResolver } from './namespaces.ts';
import type { CamtEvent } from './types.ts';

/**
 * Reads a camt.053 or camt.054 message. Events come in document order: one `header`, then per
 * statement a `statement` (before its first entry), its `entry` events and a `statement-end`.
 *
 * Errors are CamtFormatError and may come after events were already yielded (a stream cannot be
 * judged before its end): act on the events only once the iteration has finished without error.
 */
export async function* readCamt(source: AsyncIterable<Uint8Array | string>): AsyncGenerator<CamtEvent> {
  // position: line/column for error messages. Namespaces are resolved by NamespaceResolver (see
  // why there), so prefixed documents (<ns2:Document>) and foreign-namespace extensions are still
  // told apart by URI, not by how the bank spelled the prefix.
  const parser = new SaxesParser({ xmlns: false, position: true });
  const machine = new CamtMachine(() => ({ line: parser.line, column: parser.column }));
  const namespaces = new NamespaceResolver();
  let depth = 0;

  parser.on('attribute', (attr) => namespaces.attribute(attr.name, attr.value));
  parser.on('opentag', (tag) => {
    namespaces.open(depth++);
    const name = tag.name;
    const colon = name.indexOf(':');
    if (colon < 0) {
      machine.open(name, namespaces.defaultUri, tag.attributes);
      return;
    }
    const uri = namespaces.uriOf(name.slice(0, colon));
    if (uri === undefined) return machine.fail(`the prefix of <${name}> is not declared`);
    machine.open(name.slice(colon + 1), uri, tag.attributes);
  });
  parser.on('text', (text) => machine.onText(text));
  parser.on('cdata', (text) => machine.onText(text));
  parser.on('closetag', () => {
    machine.close();
    namespaces.close(--depth);
  });
  parser.on('error', (err) => {
    // saxes writes "line:column: message"; keep its words, make it ours, with the position once.
    const reason = err.message.replace(/^\d+:\d+: /, '');
    throw new CamtFormatError(`not well-formed XML: ${reason}`, { line: parser.line, column: parser.column }, { cause: err });
  });

  let sawText = false;
  for await (const text of decodeXmlChunks(source)) {
    if (!sawText && text.trim().length > 0) sawText = true;
    parser.write(text);
    if (machine.events.length > 0) yield* drain(machine.events);
  }
  if (!sawText) throw new CamtFormatError('the input is empty');
  parser.close();
  machine.finish();
  if (machine.events.length > 0) yield* drain(machine.events);
}

/** Hands out the queued events and empties the queue (the machine keeps pushing into it). */
function drain(queue: CamtEvent[]): CamtEvent[] {
  return queue.splice(0, queue.length);
}
