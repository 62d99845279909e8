/**
 * The group a route gets when the config names none: every backend, those serving the routed
 * model first (the routed target leading), then the others with their first model, each part in
 * the order the backends were given, ranked `failover`. So two engines given on the command
 * line back each other up without a config file. A config with `modelGroups` or `routes`
 * decides for itself: there a route naming one target keeps that one target. Pure.
 */
import type { Config } from "../config/config-schema";
import type { CatalogEntry } from "./model-catalog";
import type { ResolvedGroup } from "./model-groups";
import type { Target } from "./parse-target";

/**
 * @example
 * usesDefaultGroup(config); // false once config.modelGroups or a routes target is set
 */
export function usesDefaultGroup(config: Pick<Config, "modelGroups" | "routes">): boolean {
  const { background, thinking, longContext } = config.routes;
  return Object.keys(config.modelGroups).length === 0 && !background && !thinking && !longContext;
}

/**
 * A backend whose model list is unknown (down, or its listing failed) is kept, with the routed
 * model, among the others: it may serve it, and it is tried after those known to.
 *
 * @example
 * buildDefaultGroup({ backendId: "a", model: "m" }, [{ backendId: "a", models: [{ id: "m" }] }, { backendId: "b", models: [{ id: "n" }] }]);
 * // targets: a/m, then b/n
 */
export function buildDefaultGroup(target: Target, catalog: CatalogEntry[]): ResolvedGroup {
  const serving: Target[] = [{ backendId: target.backendId, model: target.model }];
  const others: Target[] = [];
  for (const { backendId, models } of catalog) {
    if (backendId === target.backendId) continue;
    if (models === undefined) others.push({ backendId, model: target.model });
    else if (models.some((model) => model.id === target.model)) serving.push({ backendId, model: target.model });
    else if (models[0] !== undefined) others.push({ backendId, model: models[0].id });
  }
  return { name: undefined, strategy: "failover", targets: [...serving, ...others], fallbacks: [], contextFallback: undefined };
}
