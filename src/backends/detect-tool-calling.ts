/**
 * Asks an engine whether a model calls tools natively: Ollama lists `tools` among a model's
 * capabilities (`POST /api/show`); llama-server reports what its chat template supports
 * (`GET /props`, `chat_template_caps.supports_tool_calls`, or the template itself on older
 * builds). Other engines cannot tell.
 */
import type { BackendSettings } from "./backend-settings";
import { buildAuthHeaders } from "./backend-settings";

export type DetectedToolCalling = "native" | "prompt" | undefined;

const PROBE_TIMEOUT_MS = 5_000;

/**
 * Resolves undefined when the engine cannot tell; throws when it could not be asked.
 *
 * @example
 * await detectToolCalling(settings, "qwen3:0.6b"); // "native"
 */
export async function detectToolCalling(settings: BackendSettings, model: string): Promise<DetectedToolCalling> {
  const headers = { "content-type": "application/json", ...buildAuthHeaders(settings) };
  const signal = AbortSignal.timeout(PROBE_TIMEOUT_MS);
  if (settings.kind === "ollama") {
    const response = await fetch(`${settings.baseUrl}/api/show`, { method: "POST", headers, body: JSON.stringify({ model }), signal });
    const show = (await readJson(response)) as { capabilities?: unknown; template?: unknown } | undefined;
    if (Array.isArray(show?.capabilities)) return show.capabilities.includes("tools") ? "native" : "prompt";
    return typeof show?.template === "string" ? (show.template.includes(".Tools") ? "native" : "prompt") : undefined;
  }
  if (settings.kind === "llamacpp") {
    const props = (await readJson(await fetch(`${settings.baseUrl}/props`, { headers, signal }))) as
      | { chat_template_caps?: { supports_tool_calls?: unknown }; chat_template?: unknown }
      | undefined;
    const supports = props?.chat_template_caps?.supports_tool_calls;
    if (typeof supports === "boolean") return supports ? "native" : "prompt";
    return typeof props?.chat_template === "string" ? (/tool/i.test(props.chat_template) ? "native" : "prompt") : undefined;
  }
  return undefined;
}

async function readJson(response: Response): Promise<unknown> {
  if (!response.ok) {
    await response.arrayBuffer();
    return undefined;
  }
  return response.json();
}
