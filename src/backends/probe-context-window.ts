/**
 * Asks an engine which context window it runs a model with (read-context-window.ts reads the
 * answers). Not yet wired into the router: the context step will ask it per target, and again
 * when an engine restarts with another `-c`.
 */
import type { BackendSettings } from "./backend-settings";
import {
  type ContextWindowReading,
  readLlamaServerWindow,
  readLmStudioWindow,
  readOllamaWindow,
  readVllmWindow,
} from "./read-context-window";
import { requestBackendJson } from "./request-backend-json";

const PROBE_TIMEOUT_MS = 5_000;

/**
 * The window, or undefined when the engine does not say (OpenAI, Anthropic, an old build). A
 * configured `contextWindow` wins without asking. Failures to reach the engine are thrown as
 * ProxyError, as for any other request.
 *
 * @example
 * await probeContextWindow(settings, "qwen3-coder-30b-a3b", signal); // { window: 16384, source: "llama-server /props n_ctx per slot" }
 */
export async function probeContextWindow(
  settings: BackendSettings,
  model: string,
  signal?: AbortSignal,
): Promise<ContextWindowReading | undefined> {
  if (settings.contextWindow !== undefined) return { window: settings.contextWindow, source: "config contextWindow" };
  const get = (path: string, body?: object) =>
    requestBackendJson(settings, path, { body, signal, timeouts: { firstByteMs: PROBE_TIMEOUT_MS, totalMs: PROBE_TIMEOUT_MS } });
  switch (settings.kind) {
    case "llamacpp":
      return readLlamaServerWindow(await get("/props"));
    case "ollama": {
      const [show, running] = await Promise.all([get("/api/show", { model }), get("/api/ps")]);
      return readOllamaWindow(show, running, model);
    }
    case "lmstudio":
      return readLmStudioWindow(await get("/api/v0/models"), model);
    case "vllm":
      return readVllmWindow(await get("/v1/models"), model);
    default:
      return undefined;
  }
}
