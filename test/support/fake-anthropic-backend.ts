/**
 * A scripted engine that speaks Anthropic Messages natively (as recent llama-server, Ollama
 * >= 0.14, LM Studio >= 0.4.1 and vLLM do): `POST /v1/messages` and
 * `POST /v1/messages/count_tokens` answer from scripts, discovery routes as the chosen kind
 * (a plain Anthropic-style server by default). Error bodies follow Anthropic's public API docs.
 */
import type { AnthropicErrorType } from "../../src/protocol/anthropic/errors";
import { type FakeBackend, type FakeBackendOptions, type FakeScript, startFakeBackend } from "./fake-backend-server";
import { countFakeTokens } from "./fake-chat-template";
import type { FakeReply, SseItem, StreamEnd } from "./fake-reply";

export interface FakeAnthropicBackend extends Omit<FakeBackend, "setScript"> {
  /** Replaces the /v1/messages script (and restarts its queue). */
  setScript(script: FakeScript): void;
  setCountTokensScript(script: FakeScript): void;
}

export interface FakeAnthropicOptions extends Omit<FakeBackendOptions, "routes"> {
  /** Defaults to `{input_tokens: countFakeTokens(raw request body)}`. */
  countTokens?: FakeScript;
}

/**
 * @example
 * const backend = startFakeAnthropicBackend([anthropicStream(anthropicMessageEvents({ blocks: [{ type: "text", text: "Hi" }] }))]);
 * await backend.stop();
 */
export function startFakeAnthropicBackend(script: FakeScript, options: FakeAnthropicOptions = {}): FakeAnthropicBackend {
  const { countTokens, ...engine } = options;
  const backend = startFakeBackend({
    kind: "anthropic",
    ...engine,
    routes: {
      "/v1/messages": script,
      "/v1/messages/count_tokens": countTokens ?? ((request) => anthropicJson({ input_tokens: countFakeTokens(request.rawBody) })),
    },
  });
  return {
    ...backend,
    setScript: (next) => backend.setScript("/v1/messages", next),
    setCountTokensScript: (next) => backend.setScript("/v1/messages/count_tokens", next),
  };
}

/**
 * An SSE reply, one `event:` frame per event named after its `type`; strings and pauses pass through.
 *
 * @example
 * anthropicStream([...events.slice(0, 3), { pauseMs: 50 }, ...events.slice(3)], { end: "stall" })
 */
export function anthropicStream(
  events: Array<{ type: string } | string | { pauseMs: number }>,
  options: { end?: StreamEnd; headers?: Record<string, string> } = {},
): FakeReply {
  const items: SseItem[] = events.map((event) =>
    typeof event === "string" || "pauseMs" in event ? event : { event: event.type, data: event },
  );
  return { type: "sse", items, end: options.end ?? "close", headers: options.headers };
}

/**
 * Replays a recorded SSE transcript frame by frame; `frames` keeps only the first N (with
 * `end: "cut"` that is a connection lost mid-message).
 *
 * @example
 * anthropicTranscript(await Bun.file("test/fixtures/claude-code-2.1.332/capture-server_sse-response_tool_use.txt").text())
 */
export function anthropicTranscript(text: string, options: { frames?: number; end?: StreamEnd } = {}): FakeReply {
  const frames = splitSseFrames(text);
  return { type: "sse", items: frames.slice(0, options.frames ?? frames.length), end: options.end ?? "close" };
}

/** @example splitSseFrames("event: ping\ndata: {}\n\n") // ["event: ping\ndata: {}\n\n"] */
export function splitSseFrames(text: string): string[] {
  return text
    .replace(/\r\n?/g, "\n")
    .split(/\n\n+/)
    .filter((frame) => frame.trim() !== "")
    .map((frame) => `${frame}\n\n`);
}

/** @example anthropicJson(anthropicMessageBody({ blocks: [{ type: "text", text: "Hi" }] })) */
export function anthropicJson(body: unknown, status = 200, headers?: Record<string, string>): FakeReply {
  return { type: "json", body, status, headers };
}

/**
 * @example
 * anthropicError(529, "overloaded_error", "Overloaded")
 * anthropicError(429, "rate_limit_error", "slow down", { "retry-after": "1" })
 */
export function anthropicError(status: number, type: AnthropicErrorType, message: string, headers?: Record<string, string>): FakeReply {
  return { type: "json", status, headers, body: errorBody(type, message) };
}

/**
 * The `event: error` frame a server sends when a stream fails after its first byte.
 *
 * @example
 * anthropicStream([...events.slice(0, 4), anthropicStreamError("overloaded_error", "Overloaded")])
 */
export function anthropicStreamError(type: AnthropicErrorType, message: string): { type: string } {
  return errorBody(type, message);
}

function errorBody(type: AnthropicErrorType, message: string) {
  return { type: "error", error: { type, message }, request_id: "req_fake000000000000000000" };
}
