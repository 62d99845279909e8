/**
 * What the streaming and fault integration tests share: the real server (test/support's
 * `startProxy`) in front of one backend, without retries, with deadlines short enough that a fault
 * test takes well under a second, and the client side (post a request, read the frames it gets back).
 */
import type { TimeoutsConfig } from "../../src/config/config-schema";
import type { ErrorBody } from "../../src/protocol/anthropic/errors";
import type { MessageStreamEvent } from "../../src/protocol/anthropic/stream-events";
import { parseSse } from "../support/parse-sse";
import { type StartedProxy, startProxy } from "../support/start-proxy";

export interface ProxyForOptions {
  mode: "translate" | "native";
  timeouts?: Partial<TimeoutsConfig>;
  pingIntervalMs?: number;
}

/** Error messages name the backend by this id. */
const BACKEND_ID = "local";

/** Long enough for a busy 2-core machine, short enough that a deadline test is quick. */
const TEST_TIMEOUTS: TimeoutsConfig = { firstByteMs: 400, idleMs: 400, totalMs: 10_000 };

/**
 * Kind and mode are given, so nothing is probed: a backend stopped after start-up stays the
 * same Backend, and its failure is what the request sees.
 *
 * @example
 * const proxy = await startProxyFor(backend.url, { mode: "translate" });
 * const response = await postMessage(proxy, { stream: true });
 */
export function startProxyFor(backendUrl: string, options: ProxyForOptions): Promise<StartedProxy> {
  const backend = {
    id: BACKEND_ID,
    url: backendUrl,
    kind: options.mode === "native" ? ("anthropic" as const) : ("llamacpp" as const),
    mode: options.mode,
    timeouts: { ...TEST_TIMEOUTS, ...options.timeouts },
  };
  // One attempt: these tests check what one backend's failure looks like to the client;
  // retries and fallback have their own suite (router-faults.test.ts).
  return startProxy({ server: { pingIntervalMs: options.pingIntervalMs ?? 60_000 }, retry: { maxAttempts: 1 } }, [backend]);
}

/** @example const response = await postMessage(proxy, { stream: true }, { signal }); */
export function postMessage(proxy: { url: string }, overrides: Record<string, unknown> = {}, init: RequestInit = {}): Promise<Response> {
  const request = { model: "claude-sonnet-5-5", max_tokens: 256, messages: [{ role: "user", content: "Say hi." }], ...overrides };
  return fetch(`${proxy.url}/v1/messages`, {
    method: "POST",
    headers: { "content-type": "application/json", "anthropic-version": "2023-06-01" },
    body: JSON.stringify(request),
    ...init,
  });
}

/** One frame as the client parsed it: the `event:` name and the JSON payload. */
export interface ClientFrame {
  event: string | undefined;
  data: MessageStreamEvent | ErrorBody;
}

/** Reads frames as they arrive; resolves only when the proxy ends the stream. */
export async function* readFramesLive(response: Response): AsyncGenerator<ClientFrame> {
  for await (const frame of parseSse(response.body!)) yield { event: frame.event, data: JSON.parse(frame.data) };
}

/** The whole stream; a stream the proxy never ends shows up as a test timeout. */
export async function readFrames(response: Response): Promise<ClientFrame[]> {
  return Array.fromAsync(readFramesLive(response));
}

/** Anthropic's error body exactly (no other keys), its request id the one in the header. */
export function expectedErrorBody(type: string, requestId: string | null, message: unknown): unknown {
  return { type: "error", error: { type, message }, request_id: requestId };
}

/** Resolves when the signal aborts; a test awaiting a signal that never aborts times out. */
export function untilAborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener("abort", () => resolve(), { once: true }));
}
