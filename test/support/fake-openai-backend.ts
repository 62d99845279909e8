/**
 * A scripted OpenAI-compatible engine on loopback: `POST /v1/chat/completions` answers from the
 * test's script, discovery routes answer as the chosen kind (llama-server by default). Error
 * bodies follow llama-server (`{error:{code, message, type}}`, observed and read in its source).
 */
import { type FakeBackend, type FakeBackendOptions, type FakeScript, startFakeBackend } from "./fake-backend-server";
import type { FakeReply, SseItem, StreamEnd } from "./fake-reply";

export interface FakeOpenAIBackend extends Omit<FakeBackend, "setScript"> {
  /** Replaces the chat-completions script (and restarts its queue). */
  setScript(script: FakeScript): void;
}

/**
 * @example
 * const backend = startFakeOpenAIBackend([openAIStream(llamaServerChunks({ text: "Hi" }))]);
 * // point the proxy at backend.url, then inspect backend.requestsTo("/v1/chat/completions")
 * await backend.stop();
 */
export function startFakeOpenAIBackend(script: FakeScript, options: Omit<FakeBackendOptions, "routes"> = {}): FakeOpenAIBackend {
  const backend = startFakeBackend({ ...options, routes: { "/v1/chat/completions": script } });
  return { ...backend, setScript: (next) => backend.setScript("/v1/chat/completions", next) };
}

/**
 * An SSE reply from chunk objects, raw strings and pauses; a clean end appends `data: [DONE]`
 * as every OpenAI-compatible engine does.
 *
 * @example
 * openAIStream([...textChunks("Hel", 1), { pauseMs: 50 }, ...textChunks("lo", 1)], { end: "cut" })
 */
export function openAIStream(
  chunks: Array<object | string>,
  options: { end?: StreamEnd; done?: boolean; headers?: Record<string, string> } = {},
): FakeReply {
  const end = options.end ?? "close";
  const items: SseItem[] = chunks.map((item) => (typeof item === "string" || "pauseMs" in item ? (item as SseItem) : { data: item }));
  if (end === "close" && options.done !== false) items.push("data: [DONE]\n\n");
  return { type: "sse", items, end, headers: options.headers };
}

/** @example openAIJson(llamaServerCompletion({ text: "Hi" })) */
export function openAIJson(body: unknown, status = 200, headers?: Record<string, string>): FakeReply {
  return { type: "json", body, status, headers };
}

/**
 * llama-server's error body; the type follows its status (400 invalid_request_error,
 * 503 unavailable_error, ...) unless given.
 *
 * @example
 * openAIError(503, "Loading model")
 * openAIError(429, "busy", { headers: { "retry-after": "2" } })
 */
export function openAIError(status: number, message: string, options: { type?: string; headers?: Record<string, string> } = {}): FakeReply {
  return {
    type: "json",
    status,
    headers: options.headers,
    body: { error: { code: status, message, type: options.type ?? llamaErrorType(status) } },
  };
}

/**
 * The mid-stream error frame llama-server writes when generation fails after the first byte.
 *
 * @example
 * openAIStream([roleChunk(), openAIStreamError("context shift is disabled")], { done: false })
 */
export function openAIStreamError(message: string, status = 500): object {
  return { error: { code: status, message, type: llamaErrorType(status) } };
}

/**
 * llama-server's 400 when the prompt does not fit the slot's context (observed, and in
 * tools/server at llama.cpp 80fb11a): type `exceed_context_size_error` with both counts.
 *
 * @example
 * openAIJson(llamaServerContextOverflow(44_361, 4_096), 400)
 */
export function llamaServerContextOverflow(promptTokens = 44_361, contextTokens = 4_096) {
  return {
    error: {
      code: 400,
      message: `request (${promptTokens} tokens) exceeds the available context size (${contextTokens} tokens), try increasing it`,
      type: "exceed_context_size_error",
      n_prompt_tokens: promptTokens,
      n_ctx: contextTokens,
    },
  };
}

function llamaErrorType(status: number): string {
  switch (status) {
    case 400:
      return "invalid_request_error";
    case 401:
      return "authentication_error";
    case 403:
      return "permission_error";
    case 404:
      return "not_found_error";
    case 501:
      return "not_supported_error";
    case 503:
      return "unavailable_error";
    default:
      return "server_error";
  }
}
