/**
 * Model groups as the router walks them: the group a route names (or a one-target group for a
 * route that names a single target), its targets parsed against what the backends serve, and
 * the groups to try after it. Checked once at start-up so that a typo in a group name stops
 * anyclaude instead of surfacing on the first failover.
 */

import type { StrategyName } from "../config/config-choices";
import type { Config, ModelGroupConfig } from "../config/config-schema";
import type { CatalogEntry } from "./model-catalog";
import { parseTarget, type Target } from "./parse-target";
import type { RouteDecision } from "./resolve-route";

export type ModelGroups = Config["modelGroups"];

export interface ResolvedGroup {
  /** Undefined for the implicit group of a route that names one target. */
  name: string | undefined;
  strategy: StrategyName;
  targets: Target[];
  fallbacks: string[];
  contextFallback: string | undefined;
}

/**
 * @example
 * resolveGroup(resolveRoute(input, config, catalog), config.modelGroups, catalog); // the group to rank
 */
export function resolveGroup(decision: RouteDecision, groups: ModelGroups, catalog: CatalogEntry[]): ResolvedGroup {
  if (decision.group !== undefined) return resolveNamedGroup(decision.group, groups, catalog);
  return {
    name: undefined,
    strategy: "simple-shuffle",
    targets: [{ backendId: decision.backendId, model: decision.model }],
    fallbacks: [],
    contextFallback: undefined,
  };
}

/** Targets that cannot be parsed (their backend is gone, their model served nowhere) are left out; none left throws why. */
export function resolveNamedGroup(name: string, groups: ModelGroups, catalog: CatalogEntry[]): ResolvedGroup {
  const group: ModelGroupConfig = groups[name]!;
  const targets: Target[] = [];
  let failure: unknown;
  for (const target of group.targets) {
    try {
      targets.push(parseTarget(target, catalog));
    } catch (error) {
      failure = error;
    }
  }
  if (targets.length === 0) throw failure;
  return { name, strategy: group.strategy, targets, fallbacks: group.fallbacks, contextFallback: group.contextFallback };
}

/**
 * Every problem with the groups as configured: a fallback or context fallback naming no group,
 * a target naming a backend that does not exist.
 *
 * @example
 * checkModelGroups(config.modelGroups, ["llama", "ollama"]); // ["modelGroups.coder.fallbacks: no group named \"smal\""]
 */
export function checkModelGroups(groups: ModelGroups, backendIds: string[]): string[] {
  const problems: string[] = [];
  for (const [name, group] of Object.entries(groups)) {
    for (const fallback of group.fallbacks) {
      if (!Object.hasOwn(groups, fallback)) problems.push(`modelGroups.${name}.fallbacks: no group named "${fallback}"`);
    }
    if (group.contextFallback !== undefined && !Object.hasOwn(groups, group.contextFallback)) {
      problems.push(`modelGroups.${name}.contextFallback: no group named "${group.contextFallback}"`);
    }
    for (const target of group.targets) {
      const slash = target.indexOf("/");
      if (slash <= 0 || !backendIds.includes(target.slice(0, slash))) {
        problems.push(
          `modelGroups.${name}.targets: "${target}" is not backendId/model with one of the backends ${backendIds.join(", ") || "(none)"}`,
        );
      }
    }
  }
  return problems;
}
