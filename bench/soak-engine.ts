/**
 * The engine behind bench/soak.ts, run as its own process so its work stays out of the proxy's
 * figures: a llama-server look-alike whose every chat completion carries `soak:<scenario>:<id>`
 * and is answered, or failed, as that scenario says (see SOAK_SCENARIOS). It remembers the ids it
 * answered to the end, so the soak can tell a lost answer from one the engine never gave.
 *
 *   bun bench/soak-engine.ts   # prints "soak engine listening on http://127.0.0.1:PORT"
 */
import { llamaServerChunks, llamaServerCompletion } from "../test/support/fake-openai-chunks";
import { serveLlamaServerLookAlike } from "./serve-llama-server-look-alike";
import { findSoakMarker, type SoakMarker } from "./soak-scenarios";

const MODEL = "soak-model";
const USAGE = { promptTokens: 30, completionTokens: 4 };
const encoder = new TextEncoder();
/** Ids whose complete answer was written; GET /soak/completed lists them. */
const completed = new Set<string>();
/** Attempts seen per id, for the scenarios that fail once and then answer. */
const attempts = new Map<string, number>();

function replyFor(marker: SoakMarker, stream: boolean, signal: AbortSignal): Response | Promise<Response> {
  const { scenario, id } = marker;
  const attempt = (attempts.get(id) ?? 0) + 1;
  attempts.set(id, attempt);
  const answer = scenario === "tool" ? { toolCalls: [{ name: "Bash", args: { command: `echo ${id}` } }] } : { text: `echo ${id}` };
  const failFirst = attempt === 1 && (scenario === "5xx-once" || scenario === "429-once");
  if (scenario === "5xx" || (failFirst && scenario === "5xx-once")) return errorReply(503, "Loading model");
  if (scenario === "429" || (failFirst && scenario === "429-once")) return errorReply(429, "busy", { "retry-after": "1" });
  if (scenario === "hang") return untilAborted(signal).then(() => new Response(null, { status: 499 }));
  if (!stream && !["reset", "stall", "malformed"].includes(scenario)) {
    attempts.delete(id);
    completed.add(id);
    return Response.json(llamaServerCompletion({ ...answer, usage: USAGE }, { model: MODEL }));
  }
  const frames = llamaServerChunks({ ...answer, usage: USAGE, pieces: 3 }, { model: MODEL }).map(
    (chunk) => `data: ${JSON.stringify(chunk)}\n\n`,
  );
  if (scenario === "reset") return sseResponse(frames.slice(0, 3), { end: "reset", signal });
  if (scenario === "stall") return sseResponse(frames.slice(0, 3), { end: "stall", signal });
  if (scenario === "malformed")
    return sseResponse([frames[0]!, 'data: {"choices":[{"delta":{"content":"half\n\n', "data: [DONE]\n\n"], { signal });
  return sseResponse([...frames, "data: [DONE]\n\n"], {
    signal,
    pauseMs: scenario === "drip" ? () => 50 + Math.random() * 250 : undefined,
    onComplete: () => {
      attempts.delete(id);
      completed.add(id);
    },
  });
}

function errorReply(status: number, message: string, headers: Record<string, string> = {}): Response {
  return Response.json({ error: { code: status, message, type: "unavailable_error" } }, { status, headers });
}

interface SseOptions {
  signal: AbortSignal;
  end?: "close" | "reset" | "stall";
  pauseMs?: () => number;
  onComplete?: () => void;
}

/** One frame per pull, so pauses sit between writes and a reset follows what was written. */
function sseResponse(frames: string[], options: SseOptions): Response {
  let next = 0;
  const body = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (next < frames.length) {
          if (next > 0 && options.pauseMs) await Bun.sleep(options.pauseMs());
          controller.enqueue(encoder.encode(frames[next++]!));
          return;
        }
        if ((options.end ?? "close") === "close") {
          controller.close();
          options.onComplete?.();
          return;
        }
        // Bun drops unflushed bytes on a reset: let the last frame leave first.
        if (options.end === "reset") await Bun.sleep(10);
        else await untilAborted(options.signal);
        controller.error();
      },
    },
    { highWaterMark: 0 },
  );
  return new Response(body, { headers: { "content-type": "text/event-stream", "cache-control": "no-cache" } });
}

function untilAborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener("abort", () => resolve(), { once: true }));
}

serveLlamaServerLookAlike("soak engine", MODEL, (request, path) => {
  if (request.method === "POST" && path === "/v1/chat/completions") {
    return request.text().then((body) => {
      const marker = findSoakMarker(body);
      if (!marker)
        return Response.json({ error: { code: 400, message: "no soak marker", type: "invalid_request_error" } }, { status: 400 });
      return replyFor(marker, body.includes('"stream":true'), request.signal);
    });
  }
  if (request.method === "GET" && path === "/soak/completed") return Response.json([...completed]);
  return undefined;
});
