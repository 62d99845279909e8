/**
 * The embedding section of the configuration, made concrete: `~/` in the model path expanded,
 * a relative one taken from the working directory, and the embedding server defaulting to the
 * first backend. The embedder takes the result as plain values (src/embed/create-embedder.ts).
 */

import { resolve } from "node:path";
import type { EmbeddingSource } from "./config-choices";
import { ConfigError, type ConfigIssue } from "./config-error";
import type { Config } from "./config-schema";

export interface EmbeddingSettings {
  source: EmbeddingSource;
  modelPath?: string;
  threads: number;
  backendUrl?: string;
  backendModel?: string;
  backendApi: "openai" | "ollama";
}

/**
 * Throws a ConfigError when `source: backend` lacks a model, or a server to ask.
 *
 * @example
 * resolveEmbeddingSettings(config, { HOME: "/home/me" });
 * // { source: "minilm", modelPath: "/home/me/models/minilm.onnx", threads: 1, backendApi: "openai" }
 */
export function resolveEmbeddingSettings(
  config: Pick<Config, "embedding" | "backends">,
  env: Record<string, string | undefined>,
): EmbeddingSettings {
  const { modelPath, backendUrl, ...rest } = config.embedding;
  const settings: EmbeddingSettings = { ...rest };
  if (modelPath !== undefined) settings.modelPath = resolve(expandHome(modelPath, env));
  const url = backendUrl ?? config.backends[0]?.url;
  if (url !== undefined) settings.backendUrl = url;
  if (settings.source === "backend") {
    const issues: ConfigIssue[] = [];
    if (settings.backendModel === undefined)
      issues.push({ path: "embedding.backendModel", message: "required when embedding.source is backend (the server's embedding model)" });
    if (settings.backendUrl === undefined)
      issues.push({ path: "embedding.backendUrl", message: "required when embedding.source is backend and no backend is configured" });
    if (issues.length > 0) throw new ConfigError(issues);
  }
  return settings;
}

function expandHome(path: string, env: Record<string, string | undefined>): string {
  if (path !== "~" && !path.startsWith("~/")) return path;
  if (!env.HOME)
    throw new ConfigError([{ path: "embedding.modelPath", message: `"${path}" starts with ~/ but HOME is not set; write the full path` }]);
  return env.HOME + path.slice(1);
}
