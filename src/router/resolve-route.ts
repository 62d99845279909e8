/**
 * Picks the backend and model for a request: exact aliases and local model names first, then
 * scenario routes (background, long context, thinking), then the Claude family (opus, sonnet,
 * haiku), then the default. Any of these may name a model group instead of one target; the
 * router then picks among the group's targets. Pure: config and catalog in, target out.
 */
import type { Config } from "../config/config-schema";
import type { MessageCreateParams } from "../protocol/anthropic/messages";
import type { CatalogEntry } from "./model-catalog";
import { parseTarget, type Target } from "./parse-target";

type RouteName = "alias" | "direct" | "background" | "longContext" | "thinking" | "opus" | "sonnet" | "haiku" | "default";

export interface RouteDecision extends Target {
  route: RouteName;
  /** Set when the route names a model group; backendId and model are then its first target's. */
  group?: string;
}

type RoutingConfig = Pick<Config, "models" | "routes"> & Partial<Pick<Config, "modelGroups">>;

export interface RouteInput {
  request: Pick<MessageCreateParams, "model" | "thinking" | "tools" | "output_config">;
  /** From the token estimate; compared with routes.longContextThreshold. */
  estimatedTokens: number;
}

/**
 * @example
 * resolveRoute({ request: { model: "claude-opus-5-5" }, estimatedTokens: 900 }, config, catalog);
 */
export function resolveRoute(input: RouteInput, config: RoutingConfig, catalog: CatalogEntry[]): RouteDecision {
  const toTarget = (target: string) => parseTargetOrGroup(target, config.modelGroups ?? {}, catalog);
  const requested = input.request.model;
  const alias = config.models.aliases[requested];
  if (alias) return { ...toTarget(alias), route: "alias" };
  if (!/^claude-/i.test(requested) && (Object.hasOwn(config.modelGroups ?? {}, requested) || isServed(requested, catalog))) {
    return { ...toTarget(requested), route: "direct" };
  }

  const { routes } = config;
  if (routes.background && isBackgroundRequest(input.request)) return { ...toTarget(routes.background), route: "background" };
  if (routes.longContext && input.estimatedTokens > routes.longContextThreshold) {
    return { ...toTarget(routes.longContext), route: "longContext" };
  }
  if (routes.thinking && input.request.thinking?.type === "enabled") return { ...toTarget(routes.thinking), route: "thinking" };

  for (const family of ["opus", "sonnet", "haiku"] as const) {
    const target = config.models[family];
    if (target && requested.toLowerCase().includes(family)) return { ...toTarget(target), route: family };
  }
  if (config.models.default) return { ...toTarget(config.models.default), route: "default" };
  return { ...firstModel(catalog), route: "default" };
}

/**
 * Background work that a small model does well: Claude Code's small-fast (haiku) slot, and
 * tool-less side calls with a JSON output format such as session titles.
 */
export function isBackgroundRequest(request: RouteInput["request"]): boolean {
  if (/haiku/i.test(request.model)) return true;
  return (request.tools ?? []).length === 0 && request.output_config?.format?.type === "json_schema";
}

/** A group name wins over a model of the same name: groups are what config says on purpose. */
function parseTargetOrGroup(
  target: string,
  groups: NonNullable<RoutingConfig["modelGroups"]>,
  catalog: CatalogEntry[],
): Target & { group?: string } {
  const group = Object.hasOwn(groups, target) ? groups[target] : undefined;
  if (!group) return parseTarget(target, catalog);
  return { ...parseTarget(group.targets[0]!, catalog), group: target };
}

function isServed(model: string, catalog: CatalogEntry[]): boolean {
  const slash = model.indexOf("/");
  if (slash > 0 && catalog.some((entry) => entry.backendId === model.slice(0, slash))) return true;
  return catalog.some((entry) => entry.models?.some((candidate) => candidate.id === model));
}

function firstModel(catalog: CatalogEntry[]): Target {
  for (const entry of catalog) {
    const first = entry.models?.[0];
    if (first) return { backendId: entry.backendId, model: first.id };
  }
  return parseTarget("default", catalog);
}
