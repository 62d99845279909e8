/** SSE events from any byte stream as a simple loop, through the proxy's own decoder: for tests and benchmarks. */
import { SseDecoder, type SseEvent } from "../../src/sse/sse-decoder";

/**
 * @example
 * for await (const { event, data } of parseSse(response.body!)) if (data !== "[DONE]") JSON.parse(data);
 */
export async function* parseSse(body: AsyncIterable<Uint8Array>): AsyncGenerator<SseEvent> {
  const decoder = new SseDecoder();
  for await (const chunk of body) yield* decoder.push(chunk);
  yield* decoder.flush();
}
