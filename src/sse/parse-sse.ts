/** Second layer of SSE reading: lines to events, per the WHATWG event-stream rules. */
import { splitLines } from "./split-lines";

export interface SseEvent {
  /** The `event:` field; undefined means the default "message" type. */
  event: string | undefined;
  data: string;
}

/**
 * @example
 * for await (const { event, data } of parseSse(response.body!)) if (data !== "[DONE]") JSON.parse(data);
 */
export async function* parseSse(body: AsyncIterable<Uint8Array>): AsyncGenerator<SseEvent> {
  let event: string | undefined;
  let data: string[] = [];
  for await (const line of splitLines(body)) {
    if (line === "") {
      if (data.length > 0) yield { event, data: data.join("\n") };
      event = undefined;
      data = [];
      continue;
    }
    if (line.charCodeAt(0) === 58 /* ':' comment */) continue;
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? "" : line.slice(colon + 1);
    if (value.charCodeAt(0) === 32) value = value.slice(1);
    if (field === "data") data.push(value);
    else if (field === "event") event = value;
  }
  // A stream that ends without the final blank line still delivers its last event.
  if (data.length > 0) yield { event, data: data.join("\n") };
}
