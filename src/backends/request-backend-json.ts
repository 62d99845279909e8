/** A small JSON round trip to a backend (model lists, token counts, probes), errors as ProxyError. */
import type { TimeoutsConfig } from "../config/config-schema";
import type { ConversationMemo } from "../json/conversation-memo";
import { type BackendSettings, buildAuthHeaders } from "./backend-settings";
import { fetchBackend } from "./fetch-backend";
import { parseBackendJson } from "./parse-backend-json";

export interface JsonRequestOptions {
  /** POSTed as JSON when present; GET otherwise. */
  body?: object;
  signal?: AbortSignal;
  timeouts?: Pick<TimeoutsConfig, "firstByteMs" | "totalMs">;
  /** Where the JSON of the body's frozen parts is remembered (see fetchBackend). */
  memo?: ConversationMemo;
}

/**
 * @example
 * const page = await requestBackendJson(settings, "/v1/models");
 */
export async function requestBackendJson(
  settings: BackendSettings,
  path: string,
  options: JsonRequestOptions = {},
): Promise<Record<string, unknown>> {
  const { readText } = await fetchBackend({
    backendId: settings.id,
    url: `${settings.baseUrl}${path}`,
    body: options.body,
    headers: buildAuthHeaders(settings),
    timeouts: options.timeouts ?? settings.timeouts,
    signal: options.signal,
    memo: options.memo,
  });
  return parseBackendJson(settings.id, await readText(), path);
}
