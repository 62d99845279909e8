/**
 * The window a target's requests are fitted to: the config's `context.windows` (by
 * `backendId/model`, then by model name) over what the engine listed. One lookup shared by the
 * context step and by what shows the window (/health, /v1/models, doctor), so they never disagree.
 */
import type { ContextConfig } from "../config/context-config-schema";

export interface TargetWindow {
  window: number;
  /** Where it came from: the config key, or the engine's own answer. */
  source: string;
}

/**
 * Undefined when neither the config nor the engine says.
 *
 * @example
 * resolveTargetWindow({ "llama/qwen3": 8192 }, "llama", { id: "qwen3", contextWindow: 16384 });
 * // => { window: 8192, source: "context.windows llama/qwen3" }
 */
export function resolveTargetWindow(
  windows: ContextConfig["windows"],
  backendId: string,
  model: { id: string; contextWindow?: number; contextWindowSource?: string },
): TargetWindow | undefined {
  for (const key of [`${backendId}/${model.id}`, model.id]) {
    const configured = windows[key];
    if (configured !== undefined) return { window: configured, source: `context.windows ${key}` };
  }
  if (model.contextWindow === undefined) return undefined;
  return { window: model.contextWindow, source: model.contextWindowSource ?? "engine" };
}
