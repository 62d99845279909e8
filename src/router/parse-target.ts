/**
 * Route targets in config are `model` or `backendId/model`. Model ids may themselves contain
 * `/` (LM Studio's `qwen/qwen3-coder`), so the prefix counts as a backend only when a backend
 * has that id.
 */
import { NoBackendError, NotFoundError } from "../errors/proxy-error";
import type { CatalogEntry } from "./model-catalog";

export interface Target {
  backendId: string;
  model: string;
}

/**
 * @example
 * parseTarget("llamacpp-8080/qwen3", catalog); // { backendId: "llamacpp-8080", model: "qwen3" }
 */
export function parseTarget(target: string, catalog: CatalogEntry[]): Target {
  if (catalog.length === 0) throw new NoBackendError();
  const slash = target.indexOf("/");
  if (slash > 0) {
    const backendId = target.slice(0, slash);
    if (catalog.some((entry) => entry.backendId === backendId)) return { backendId, model: target.slice(slash + 1) };
  }
  const serving = catalog.find((entry) => entry.models?.some((model) => model.id === target));
  if (serving) return { backendId: serving.backendId, model: target };
  // A backend whose model list is unknown (listing failed or hidden) may still serve it.
  const unlisted = catalog.find((entry) => entry.models === undefined);
  if (unlisted) return { backendId: unlisted.backendId, model: target };
  const known = catalog.flatMap((entry) => (entry.models ?? []).map((model) => `${entry.backendId}/${model.id}`));
  throw new NotFoundError(`model "${target}" is not served by any backend (known: ${known.join(", ") || "none"})`);
}
