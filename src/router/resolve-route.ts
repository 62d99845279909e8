/**
 * Picks the backend and model for a request: exact aliases and local model names first, then
 * scenario routes (background, long context, thinking), then the Claude family (opus, sonnet,
 * haiku), then the default. Pure: config and catalog in, target out.
 */
import type { Config } from "../config/config-schema";
import type { MessageCreateParams } from "../protocol/anthropic/messages";
import type { CatalogEntry } from "./model-catalog";
import { parseTarget, type Target } from "./parse-target";

export type RouteName = "alias" | "direct" | "background" | "longContext" | "thinking" | "opus" | "sonnet" | "haiku" | "default";

export interface RouteDecision extends Target {
  route: RouteName;
}

export interface RouteInput {
  request: Pick<MessageCreateParams, "model" | "thinking" | "tools" | "output_config">;
  /** From the token estimate; compared with routes.longContextThreshold. */
  estimatedTokens: number;
}

/**
 * @example
 * resolveRoute({ request: { model: "claude-opus-5-5" }, estimatedTokens: 900 }, config, catalog);
 */
export function resolveRoute(input: RouteInput, config: Pick<Config, "models" | "routes">, catalog: CatalogEntry[]): RouteDecision {
  const requested = input.request.model;
  const alias = config.models.aliases[requested];
  if (alias) return { ...parseTarget(alias, catalog), route: "alias" };
  if (!/^claude-/i.test(requested) && isServed(requested, catalog)) return { ...parseTarget(requested, catalog), route: "direct" };

  const { routes } = config;
  if (routes.background && isBackgroundRequest(input.request)) return { ...parseTarget(routes.background, catalog), route: "background" };
  if (routes.longContext && input.estimatedTokens > routes.longContextThreshold) {
    return { ...parseTarget(routes.longContext, catalog), route: "longContext" };
  }
  if (routes.thinking && input.request.thinking?.type === "enabled") return { ...parseTarget(routes.thinking, catalog), route: "thinking" };

  for (const family of ["opus", "sonnet", "haiku"] as const) {
    const target = config.models[family];
    if (target && requested.toLowerCase().includes(family)) return { ...parseTarget(target, catalog), route: family };
  }
  if (config.models.default) return { ...parseTarget(config.models.default, catalog), route: "default" };
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
