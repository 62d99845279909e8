/**
 * Holds a request's admission (its place under the key's and the server's limits) until its
 * answer has gone out: at once for a JSON answer, at the end of the body for a stream, whichever
 * way that ends (completed, failed, or the client leaving).
 */

/**
 * @example
 * return releaseWhenSent(await handle(request), lease.release);
 */
export function releaseWhenSent(response: Response, release: () => void): Response {
  const body = response.body;
  if (body === null || !response.headers.get("content-type")?.startsWith("text/event-stream")) {
    release();
    return response;
  }
  const reader = body.getReader();
  // Pulled at the client's pace, chunk for chunk: the stream underneath keeps its backpressure.
  const held = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const next = await reader.read();
          if (next.done) {
            release();
            controller.close();
          } else {
            controller.enqueue(next.value);
          }
        } catch (error) {
          release();
          controller.error(error);
        }
      },
      cancel(reason) {
        release();
        return reader.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
  return new Response(held, { status: response.status, headers: response.headers });
}
