/** SSE events from any byte stream, for callers that want a simple loop (tests, tools). */
import { SseDecoder, type SseEvent } from "./sse-decoder";

export type { SseEvent } from "./sse-decoder";

/**
 * @example
 * for await (const { event, data } of parseSse(response.body!)) if (data !== "[DONE]") JSON.parse(data);
 */
export async function* parseSse(body: AsyncIterable<Uint8Array>): AsyncGenerator<SseEvent> {
  const decoder = new SseDecoder();
  for await (const chunk of body) yield* decoder.push(chunk);
  yield* decoder.flush();
}
