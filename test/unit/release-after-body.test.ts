// A response's database connection is released only after its body has been read to the end: a
// streamed file arrives whole, and a client that hangs up still releases it.
import { describe, expect, it } from 'vitest';
import { releaseAfterBody } from '../../src/http/release-after-body.ts';

/** A body of `chunks` chunks of 64 KiB, produced slowly, noting how many were produced. */
function slowBody(chunks: number, produced: { count: number }): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      await new Promise((resolve) => setTimeout(resolve, 1));
      if (produced.count === chunks) return controller.close();
      produced.count++;
      controller.enqueue(new Uint8Array(64 * 1024).fill(produced.count % 256));
    },
  });
}

describe('releaseAfterBody', () => {
  it('passes a streamed body through whole and releases only after its last byte', async () => {
    const produced = { count: 0 };
    let releasedAfter = -1;
    const { response, done } = releaseAfterBody(
      new Response(slowBody(20, produced), { status: 201, headers: { 'Content-Type': 'application/xml' } }),
      async () => {
        releasedAfter = produced.count;
      },
    );
    expect(response.status).toBe(201);
    expect(response.headers.get('Content-Type')).toBe('application/xml');
    const bytes = new Uint8Array(await response.arrayBuffer());
    await done;
    expect(bytes.length).toBe(20 * 64 * 1024);
    expect(bytes[bytes.length - 1]).toBe(20);
    expect(releasedAfter).toBe(20);
  });

  it('releases when the reader cancels half way', async () => {
    const produced = { count: 0 };
    let released = false;
    const { response, done } = releaseAfterBody(new Response(slowBody(1000, produced)), async () => {
      released = true;
    });
    const reader = response.body!.getReader();
    await reader.read();
    await reader.cancel();
    await done;
    expect(released).toBe(true);
    expect(produced.count).toBeLessThan(1000);
  });

  it('releases at once when there is no body', async () => {
    let released = false;
    const { response, done } = releaseAfterBody(new Response(null, { status: 204 }), async () => {
      released = true;
    });
    await done;
    expect(response.status).toBe(204);
    expect(released).toBe(true);
  });
});
