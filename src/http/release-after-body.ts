// Releases what a response needed (its database connection) only once its body has been sent to
// the end. A handler returns as soon as a streamed body (a pain.001 file, a CSV export) starts;
// closing the connection then would cut the file short. Runtime-neutral (web streams).

/**
 * The same response, whose body passes through unchanged, and `done`: settled when the body has
 * been read to its end, failed or been cancelled, after `release` ran. Without a body, `release`
 * runs at once.
 */
export function releaseAfterBody(response: Response, release: () => Promise<void>): { response: Response; done: Promise<void> } {
  if (!response.body) return { response, done: release() };
  const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
  // pipeTo rejects when the reader cancels (a client that hung up): the connection is released all the same.
  const done = response.body
    .pipeTo(writable)
    .catch(() => undefined)
    .then(release);
  return { response: new Response(readable, response), done };
}
