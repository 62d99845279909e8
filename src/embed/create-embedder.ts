/**
 * Builds the configured Embedder from plain settings (the config's `embedding` section as
 * resolveEmbeddingSettings gives it): MiniLM in-process, or a server's embedding endpoint.
 * Building loads nothing; `load()` does, for doctor and the benchmark, and the first `embed`
 * does it otherwise.
 */
import type { EmbeddingApi, EmbeddingSource } from "../config/config-choices";
import { BackendEmbedder, type BackendEmbedderLoadReport } from "./backend-embedder";
import type { Embedder } from "./embedder";
import { MiniLMEmbedder, type MiniLMLoadReport } from "./minilm-embedder";

export interface EmbedderSettings {
  source: EmbeddingSource;
  modelPath?: string;
  threads: number;
  backendUrl?: string;
  backendModel?: string;
  backendApi: EmbeddingApi;
}

type EmbedderLoadReport = MiniLMLoadReport | BackendEmbedderLoadReport;

export interface LoadableEmbedder extends Embedder {
  /** Loads the model (or asks the server once) now; resolves with what was loaded, rejects with what is missing. */
  load(): Promise<EmbedderLoadReport>;
}

/**
 * @example
 * const embedder = createEmbedder(resolveEmbeddingSettings(config, env), paths.cacheDir);
 * const [vector] = await embedder.embed(["generate a title for this conversation"]);
 */
export function createEmbedder(settings: EmbedderSettings, cacheDir: string): LoadableEmbedder {
  if (settings.source === "backend") {
    if (settings.backendUrl === undefined || settings.backendModel === undefined) {
      throw new Error("backend embeddings need embedding.backendUrl (or a backend) and embedding.backendModel");
    }
    return new BackendEmbedder({ url: settings.backendUrl, model: settings.backendModel, api: settings.backendApi });
  }
  return new MiniLMEmbedder({ modelPath: settings.modelPath, cacheDir, threads: settings.threads });
}
