/**
 * Tells which engine answers at a URL by the endpoints only it has: llama-server `/props`,
 * Ollama `/api/version`, LM Studio `/api/v0/models`, vLLM `/version`; any other server with
 * `/v1/models` is a generic OpenAI-compatible one. Also whether it speaks Anthropic
 * `/v1/messages` natively.
 */
import type { BackendKind } from "../config/config-choices";

export interface DetectedBackend {
  kind: BackendKind;
  /** True when `POST /v1/messages` exists (answers anything but 404/405). */
  hasNativeMessages: boolean;
}

interface ProbeOptions {
  timeoutMs: number;
  headers?: Record<string, string>;
}

/**
 * Resolves undefined when nothing answers at all.
 *
 * @example
 * const found = await detectBackendKind("http://127.0.0.1:8080", { timeoutMs: 800 });
 */
export async function detectBackendKind(baseUrl: string, options: ProbeOptions): Promise<DetectedBackend | undefined> {
  const get = (path: string) => probeJson(`${baseUrl}${path}`, options);
  const [props, ollama, lmstudio, vllmVersion, models] = await Promise.all([
    get("/props"),
    get("/api/version"),
    get("/api/v0/models"),
    get("/version"),
    get("/v1/models"),
  ]);
  let kind: BackendKind | undefined;
  if (props && ("default_generation_settings" in props || "build_info" in props)) kind = "llamacpp";
  else if (ollama && typeof ollama.version === "string") kind = "ollama";
  else if (lmstudio && Array.isArray(lmstudio.data)) kind = "lmstudio";
  else if (vllmVersion && typeof vllmVersion.version === "string" && ownedBy(models) === "vllm") kind = "vllm";
  else if (models && Array.isArray(models.data)) kind = "openai";
  if (!kind) return undefined;
  return { kind, hasNativeMessages: await probeNativeMessages(baseUrl, options) };
}

/** An empty `messages` array is invalid everywhere, so the probe never starts a generation. */
export async function probeNativeMessages(baseUrl: string, options: ProbeOptions): Promise<boolean> {
  try {
    const response = await fetch(`${baseUrl}/v1/messages`, {
      method: "POST",
      headers: { "content-type": "application/json", "anthropic-version": "2023-06-01", ...options.headers },
      body: JSON.stringify({ model: "anyclaude-probe", max_tokens: 1, messages: [] }),
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    await response.arrayBuffer();
    return response.status !== 404 && response.status !== 405;
  } catch {
    return false; // unreachable or timed out: treat as "no native endpoint"; the kind probe already found the server
  }
}

async function probeJson(url: string, options: ProbeOptions): Promise<Record<string, unknown> | undefined> {
  try {
    const response = await fetch(url, { headers: options.headers, signal: AbortSignal.timeout(options.timeoutMs) });
    if (!response.ok) {
      await response.arrayBuffer();
      return undefined;
    }
    const value: unknown = await response.json();
    return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined; // a probe that fails only means "not this kind of server"
  }
}

function ownedBy(models: Record<string, unknown> | undefined): unknown {
  const first = Array.isArray(models?.data) ? (models.data[0] as Record<string, unknown> | undefined) : undefined;
  return first?.owned_by;
}
