/** Second layer of SSE reading: lines to events, per the WHATWG event-stream rules. */
import { LineDecoder } from "./line-decoder";

export interface SseEvent {
  /** The `event:` field; undefined means the default "message" type. */
  event: string | undefined;
  data: string;
}

export class SseDecoder {
  private readonly lines = new LineDecoder();
  private event: string | undefined;
  private data: string[] = [];

  /**
   * @example
   * new SseDecoder().push(new TextEncoder().encode("event: ping\ndata: {}\n\n")); // [{ event: "ping", data: "{}" }]
   */
  push(chunk: Uint8Array): SseEvent[] {
    return this.takeEvents(this.lines.push(chunk), false);
  }

  /** A stream that ends without the final blank line still delivers its last event. */
  flush(): SseEvent[] {
    return this.takeEvents(this.lines.flush(), true);
  }

  private takeEvents(lines: string[], end: boolean): SseEvent[] {
    const events: SseEvent[] = [];
    for (const line of lines) {
      if (line === "") {
        if (this.data.length > 0) events.push({ event: this.event, data: this.data.join("\n") });
        this.event = undefined;
        this.data = [];
        continue;
      }
      if (line.charCodeAt(0) === 58 /* ':' comment */) continue;
      const colon = line.indexOf(":");
      const field = colon === -1 ? line : line.slice(0, colon);
      let value = colon === -1 ? "" : line.slice(colon + 1);
      if (value.charCodeAt(0) === 32) value = value.slice(1);
      if (field === "data") this.data.push(value);
      else if (field === "event") this.event = value;
    }
    if (end && this.data.length > 0) {
      events.push({ event: this.event, data: this.data.join("\n") });
      this.data = [];
    }
    return events;
  }
}
