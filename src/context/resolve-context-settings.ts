/**
 * The context settings of one attempt: the global `context` section, then its route's entry,
 * then its model group's, and the window from the config's override or what the engine reports.
 */
import type { ContextConfig } from "../config/context-config-schema";
import type { ContextSettings } from "./fit-request-to-window";
import { resolveTargetWindow } from "./resolve-target-window";

export interface ContextTarget {
  /** The route that chose the target (`default`, `opus`, `background`, ...). */
  route: string;
  group?: string;
  backendId: string;
  model: string;
  /** The window the engine reports (backend `contextWindow` already applied), when known. */
  reportedWindow?: number;
}

export type ResolvedContextSettings = ContextSettings & { summarizer?: string; clientWindow?: number };

/**
 * Undefined when the window is unknown: nothing can be planned, and the request goes as it is.
 *
 * @example
 * resolveContextSettings(config.context, { route: "opus", backendId: "llama", model: "qwen3", reportedWindow: 16_384 });
 * // => { window: 16384, policy: "trim", outputReserveTokens: 8192, lowWater: 0.65, recentTurns: 2 }
 */
export function resolveContextSettings(config: ContextConfig, target: ContextTarget): ResolvedContextSettings | undefined {
  const window = resolveTargetWindow(config.windows, target.backendId, { id: target.model, contextWindow: target.reportedWindow })?.window;
  if (window === undefined) return undefined;
  const { windows: _windows, routes, ...global } = config;
  const settings: ResolvedContextSettings = { ...global, window };
  for (const name of [target.route, target.group]) {
    const override = name === undefined ? undefined : routes[name];
    if (override === undefined) continue;
    for (const [key, value] of Object.entries(override)) if (value !== undefined) Object.assign(settings, { [key]: value });
  }
  return settings;
}
