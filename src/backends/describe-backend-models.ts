/** A backend's models in one line, as the banner, the log, doctor and /v1/models show them. */
import type { BackendModel } from "./backend";

/**
 * @example
 * describeBackendModels([{ id: "qwen3", contextWindow: 32768 }, { id: "qwen3:4b" }]); // "qwen3 (32768 ctx), qwen3:4b"
 */
export function describeBackendModels(models: readonly BackendModel[]): string {
  return models.map((model) => (model.contextWindow ? `${model.id} (${model.contextWindow} ctx)` : model.id)).join(", ");
}
