/**
 * What a fake backend answers to one scripted request (an SSE stream, a JSON body, raw text, or a
 * fault), and how that answer is written on the wire. Shared by the OpenAI and Anthropic fakes.
 */

/**
 * One piece of an SSE stream. A string is written verbatim (`"data: [DONE]\n\n"`, a `":\n\n"`
 * keep-alive, a deliberately broken frame); a frame's `data` is JSON-encoded unless it is a string.
 */
export type SseItem = string | SseFrame | SsePause;
export interface SseFrame {
  event?: string;
  data: unknown;
}
interface SsePause {
  pauseMs: number;
}

/** How a stream finishes: cleanly, by a reset connection, or by going silent with the socket open. */
export type StreamEnd = "close" | "cut" | "stall";

export type FakeReply =
  | { type: "sse"; items: SseItem[]; end?: StreamEnd; status?: number; headers?: Record<string, string> }
  | { type: "json"; body: unknown; status?: number; headers?: Record<string, string> }
  | { type: "text"; body: string; status?: number; headers?: Record<string, string> }
  /** Accepts the request and never answers: no status line, no byte, until the client leaves. */
  | { type: "hang" };

const encoder = new TextEncoder();
const CUT_SETTLE_MS = 10;

/**
 * Bun sends the status line together with the first body chunk, so a stream that stalls or pauses
 * before its first item looks like a hang to the client.
 *
 * @example
 * return renderFakeReply({ type: "sse", items: [{ data: chunk }, "data: [DONE]\n\n"] }, request.signal);
 */
export async function renderFakeReply(reply: FakeReply, signal: AbortSignal): Promise<Response> {
  switch (reply.type) {
    case "json":
      return new Response(JSON.stringify(reply.body), {
        status: reply.status ?? 200,
        headers: { "content-type": "application/json", ...reply.headers },
      });
    case "text":
      return new Response(reply.body, {
        status: reply.status ?? 200,
        headers: { "content-type": "text/plain; charset=utf-8", ...reply.headers },
      });
    case "sse":
      return new Response(streamSseItems(reply.items, reply.end ?? "close", signal), {
        status: reply.status ?? 200,
        headers: { "content-type": "text/event-stream", "cache-control": "no-cache", ...reply.headers },
      });
    case "hang":
      await untilAborted(signal);
      // Nobody reads this: the client is gone or the fake is stopping and drops every socket.
      return new Response(null, { status: 499 });
  }
}

/** @example formatSseItem({ event: "ping", data: { type: "ping" } }) // "event: ping\ndata: {...}\n\n" */
export function formatSseItem(item: string | SseFrame): string {
  if (typeof item === "string") return item;
  const data = typeof item.data === "string" ? item.data : JSON.stringify(item.data);
  return `${item.event === undefined ? "" : `event: ${item.event}\n`}data: ${data}\n\n`;
}

function streamSseItems(items: SseItem[], end: StreamEnd, signal: AbortSignal): ReadableStream<Uint8Array> {
  let next = 0;
  let cancelled = false;
  // Erroring the stream resets the socket; with no reason given, Bun logs no stack trace. A stream
  // cut short by the fake stopping is reset too: it must never look like a clean end.
  const reset = (controller: ReadableStreamDefaultController<Uint8Array>) => {
    if (!cancelled) controller.error();
  };
  return new ReadableStream<Uint8Array>(
    {
      // One item per pull (and no read-ahead), so a pause really sits between two writes.
      async pull(controller) {
        while (next < items.length) {
          const item = items[next++]!;
          if (typeof item !== "string" && "pauseMs" in item) {
            await sleepUnlessAborted(item.pauseMs, signal);
            if (signal.aborted) return reset(controller);
            continue;
          }
          controller.enqueue(encoder.encode(formatSseItem(item)));
          return;
        }
        if (end === "close") return controller.close();
        // Bun drops bytes it has not flushed yet when the socket is reset, so a cut waits for
        // the last write to leave; otherwise the client would lose frames the script sent.
        if (end === "cut") await sleepUnlessAborted(CUT_SETTLE_MS, signal);
        else await untilAborted(signal);
        reset(controller);
      },
      cancel() {
        cancelled = true;
      },
    },
    { highWaterMark: 0 },
  );
}

function untilAborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener("abort", () => resolve(), { once: true }));
}

function sleepUnlessAborted(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const onAbort = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
