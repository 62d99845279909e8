/**
 * Turns one configured backend into settings the backends can use: reads its API key, probes
 * the server when kind or mode is `auto`, and names it.
 */
import type { BackendConfig } from "../config/config-schema";
import { readSecret, SecretUnavailableError } from "../config/read-secret";
import { type BackendSettings, selectThinkingStyle } from "./backend-settings";
import { detectBackendKind } from "./detect-backend-kind";

/** A backend's config cannot work as written (missing key file or variable): start-up stops. */
export class BackendSetupError extends Error {}

/** Nothing answered the probe: the engine may simply not be up yet. */
export class BackendUnreachableError extends Error {}

export interface ResolveOptions {
  env: Record<string, string | undefined>;
  probeTimeoutMs: number;
}

/**
 * @example
 * const settings = await resolveBackendSettings({ url: "http://127.0.0.1:8080", kind: "auto", mode: "auto", ... }, { env: process.env, probeTimeoutMs: 800 });
 */
export async function resolveBackendSettings(config: BackendConfig, options: ResolveOptions): Promise<BackendSettings> {
  const apiKey = readApiKey(config, options.env);
  const headers = apiKey ? { authorization: `Bearer ${apiKey}`, "x-api-key": apiKey } : undefined;
  const needsProbe = config.kind === "auto" || config.mode === "auto";
  const detected = needsProbe ? await detectBackendKind(config.url, { timeoutMs: options.probeTimeoutMs, headers }) : undefined;
  if (needsProbe && !detected) {
    throw new BackendUnreachableError(
      `no engine answered at ${config.url} (probed /props, /api/version, /api/v0/models, /version, /v1/models); set kind and mode to skip probing`,
    );
  }
  const kind = config.kind === "auto" ? detected!.kind : config.kind;
  const mode = config.mode !== "auto" ? config.mode : kind === "anthropic" || detected?.hasNativeMessages ? "native" : "translate";
  return {
    id: config.id ?? nameBackend(kind, config.url),
    kind,
    mode,
    baseUrl: config.url,
    apiKey,
    timeouts: config.timeouts,
    thinkingStyle: config.thinking === "auto" ? selectThinkingStyle(kind) : config.thinking,
    models: config.models,
    contextWindow: config.contextWindow,
  };
}

function readApiKey(config: BackendConfig, env: Record<string, string | undefined>): string | undefined {
  try {
    return readSecret(config, env);
  } catch (error) {
    if (error instanceof SecretUnavailableError) throw new BackendSetupError(`backend ${config.url}: ${error.message}`, { cause: error });
    throw error;
  }
}

/** "llamacpp-8080": short, stable, and valid in route targets (`backendId/model`). */
export function nameBackend(kind: string, url: string): string {
  const parsed = new URL(url);
  const port = parsed.port || (parsed.protocol === "https:" ? "443" : "80");
  const local = parsed.hostname === "127.0.0.1" || parsed.hostname === "localhost" || parsed.hostname === "[::1]";
  return local ? `${kind}-${port}` : `${kind}-${parsed.hostname.replace(/[^A-Za-z0-9.-]/g, "")}-${port}`;
}
