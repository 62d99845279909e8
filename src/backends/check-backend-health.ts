/**
 * The router's periodic health probe, asked in each engine's cheapest dialect: llama-server and
 * vLLM `/health` (llama-server answers 503 while it loads the model), Ollama `/api/tags`, any
 * other server `/v1/models`. A probe never starts a generation.
 */
import type { BackendKind } from "../config/config-choices";
import { type BackendSettings, buildAuthHeaders } from "./backend-settings";
import { fetchBackend } from "./fetch-backend";

/** The path probed for each kind of engine. */
export function selectHealthPath(kind: BackendKind): string {
  switch (kind) {
    case "llamacpp":
    case "vllm":
      return "/health";
    case "ollama":
      return "/api/tags";
    default:
      return "/v1/models";
  }
}

/**
 * Resolves when the engine answered 2xx within `timeoutMs`; otherwise throws the ProxyError that
 * says why (refused, timed out, 503 "Loading model", ...).
 *
 * @example
 * await checkBackendHealth(settings, { timeoutMs: 2_000 });
 */
export async function checkBackendHealth(settings: BackendSettings, options: { timeoutMs: number; signal?: AbortSignal }): Promise<void> {
  const { readText } = await fetchBackend({
    backendId: settings.id,
    url: `${settings.baseUrl}${selectHealthPath(settings.kind)}`,
    method: "GET",
    headers: buildAuthHeaders(settings),
    timeouts: { firstByteMs: options.timeoutMs, totalMs: options.timeoutMs },
    signal: options.signal,
  });
  // Read the body so the connection goes back to the pool instead of lingering half-read.
  await readText();
}
