// Files in and out of the JSON API. Downloads (CSV lists, bank files, reports) are answered from a
// service's bytes or chunks, streamed so that a large file is never held whole; an upload (a bank's
// answer) reaches its service as chunks of the request body.
import type { Context } from 'hono';

/** Streams `chunks` as a response body. */
export function streamOf(chunks: AsyncIterable<Uint8Array>): ReadableStream<Uint8Array> {
  const iterator = chunks[Symbol.asyncIterator]();
  return new ReadableStream({
    async pull(controller) {
      const next = await iterator.next();
      if (next.done) controller.close();
      else controller.enqueue(next.value);
    },
    async cancel() {
      await iterator.return?.();
    },
  });
}

/** The request body as chunks; an empty body is none. */
export async function* bodyChunks(body: ReadableStream<Uint8Array> | null): AsyncGenerator<Uint8Array> {
  if (!body) return;
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    yield value;
  }
}

export interface FileLabel {
  contentType: string;
  /** The name a browser saves it under. */
  name: string;
  /** Shown in the browser rather than saved. */
  inline?: boolean;
}

/** Answers a file (200): its text, bytes or chunks, with its media type, name and any further headers. */
export function fileAnswer(
  c: Context,
  content: string | Uint8Array | AsyncIterable<Uint8Array>,
  label: FileLabel,
  headers: Record<string, string> = {},
): Response {
  const body = typeof content === 'string' ? content : content instanceof Uint8Array ? (content as Uint8Array<ArrayBuffer>) : streamOf(content);
  return c.body(body, 200, {
    'Content-Type': label.contentType,
    'Content-Disposition': `${label.inline ? 'inline' : 'attachment'}; filename="${label.name}"`,
    ...headers,
  });
}
