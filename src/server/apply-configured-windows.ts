/**
 * The router's view of each backend as /health, /api/backends and /v1/models show it: every
 * model's window the one its requests are fitted to (the config's `context.windows` over the
 * engine's), with where it came from.
 */
import type { ContextConfig } from "../config/context-config-schema";
import { resolveTargetWindow } from "../context/resolve-target-window";
import type { BackendStatus } from "../router/backend-pool";

/**
 * @example
 * applyConfiguredWindows(router.statuses(), config.context.windows);
 * // [{ id: "llama", models: [{ id: "qwen3", contextWindow: 8192, contextWindowSource: "context.windows qwen3" }], ... }]
 */
export function applyConfiguredWindows(statuses: BackendStatus[], windows: ContextConfig["windows"]): BackendStatus[] {
  if (Object.keys(windows).length === 0) return statuses;
  return statuses.map((status) => ({
    ...status,
    models: status.models?.map((model) => {
      const resolved = resolveTargetWindow(windows, status.id, model);
      return resolved === undefined ? model : { ...model, contextWindow: resolved.window, contextWindowSource: resolved.source };
    }),
  }));
}
