/** A backend's settings after probing: every `auto` in its config replaced by what was found. */

import type { BackendKind, BackendMode, ThinkingStyle } from "../config/config-choices";
import type { TimeoutsConfig } from "../config/config-schema";

export interface BackendSettings {
  id: string;
  kind: BackendKind;
  mode: BackendMode;
  /** Root URL without a trailing `/` or `/v1`. */
  baseUrl: string;
  apiKey?: string;
  timeouts: TimeoutsConfig;
  thinkingStyle: ThinkingStyle;
  /** Models named in config; when absent the backend's own list is used. */
  models?: string[];
  contextWindow?: number;
}

/** How each engine family takes the reasoning switch on its OpenAI-compatible endpoint. */
export function selectThinkingStyle(kind: BackendKind): ThinkingStyle {
  return kind === "llamacpp" || kind === "vllm" ? "chat_template_kwargs" : "reasoning_effort";
}

/** Auth headers in the dialect the backend speaks; never logged. */
export function buildAuthHeaders(settings: BackendSettings): Record<string, string> {
  if (!settings.apiKey) return {};
  if (settings.mode === "native") return { "x-api-key": settings.apiKey, authorization: `Bearer ${settings.apiKey}` };
  return { authorization: `Bearer ${settings.apiKey}` };
}
