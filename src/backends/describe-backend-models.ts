/** A backend's models in one line, as the banner, the log, doctor and /v1/models show them. */
import type { BackendModel } from "./backend";
import { OLLAMA_DEFAULT_SOURCE } from "./read-context-window";

/**
 * A window that is only Ollama's default is said so: Ollama silently cuts longer prompts, and
 * Claude Code's first request alone is larger.
 *
 * @example
 * describeBackendModels([{ id: "qwen3", contextWindow: 32768 }, { id: "qwen3:4b" }]); // "qwen3 (32768 ctx), qwen3:4b"
 */
export function describeBackendModels(models: readonly BackendModel[]): string {
  return models
    .map((model) => {
      if (!model.contextWindow) return model.id;
      const note = model.contextWindowSource === OLLAMA_DEFAULT_SOURCE ? ", Ollama's default: raise num_ctx" : "";
      return `${model.id} (${model.contextWindow} ctx${note})`;
    })
    .join(", ");
}
