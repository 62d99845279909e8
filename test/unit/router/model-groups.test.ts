import { describe, expect, test } from "bun:test";
import { Value } from "@sinclair/typebox/value";
import { type Config, ConfigSchema } from "../../../src/config/config-schema";
import { NotFoundError } from "../../../src/errors/proxy-error";
import type { CatalogEntry } from "../../../src/router/model-catalog";
import { checkModelGroups, resolveGroup, resolveNamedGroup } from "../../../src/router/model-groups";
import { resolveRoute } from "../../../src/router/resolve-route";

const CATALOG: CatalogEntry[] = [
  { backendId: "llama", models: [{ id: "qwen3-coder", contextWindow: 32768 }] },
  { backendId: "ollama", models: [{ id: "qwen3:4b" }, { id: "qwen3-coder-256k", contextWindow: 262144 }] },
];

function configWith(raw: Record<string, unknown>): Config {
  return Value.Default(ConfigSchema, raw) as Config;
}

const config = configWith({
  models: { sonnet: "coder", haiku: "ollama/qwen3:4b", aliases: { "team-model": "coder" } },
  routes: { longContext: "long" },
  modelGroups: {
    coder: {
      strategy: "least-busy",
      targets: ["llama/qwen3-coder", "ollama/qwen3-coder-256k"],
      fallbacks: ["small"],
      contextFallback: "long",
    },
    small: { targets: ["ollama/qwen3:4b"] },
    long: { targets: ["ollama/qwen3-coder-256k"] },
  },
});

describe("routes naming model groups", () => {
  test.each([
    ["a models entry", { model: "claude-sonnet-5-5" }, 100, "sonnet", "coder"],
    ["an alias", { model: "team-model" }, 100, "alias", "coder"],
    ["the requested model itself", { model: "small" }, 100, "direct", "small"],
    ["a routes entry", { model: "claude-sonnet-5-5" }, 100_000, "longContext", "long"],
  ])("%s", (_, request, estimatedTokens, route, group) => {
    expect(resolveRoute({ request, estimatedTokens }, config, CATALOG)).toMatchObject({ route, group });
  });

  test("a single target stays a single target, with no group", () => {
    const decision = resolveRoute({ request: { model: "claude-haiku-5-5" }, estimatedTokens: 100 }, config, CATALOG);
    expect(decision).toEqual({ backendId: "ollama", model: "qwen3:4b", route: "haiku" });
    expect(resolveGroup(decision, config.modelGroups, CATALOG)).toEqual({
      name: undefined,
      strategy: "simple-shuffle",
      targets: [{ backendId: "ollama", model: "qwen3:4b" }],
      fallbacks: [],
      contextFallback: undefined,
    });
  });

  test("a group resolves to its parsed targets, strategy and fallbacks, with defaults filled in", () => {
    const decision = resolveRoute({ request: { model: "claude-sonnet-5-5" }, estimatedTokens: 100 }, config, CATALOG);
    expect(resolveGroup(decision, config.modelGroups, CATALOG)).toEqual({
      name: "coder",
      strategy: "least-busy",
      targets: [
        { backendId: "llama", model: "qwen3-coder" },
        { backendId: "ollama", model: "qwen3-coder-256k" },
      ],
      fallbacks: ["small"],
      contextFallback: "long",
    });
    expect(resolveNamedGroup("small", config.modelGroups, CATALOG)).toMatchObject({ strategy: "simple-shuffle", fallbacks: [] });
  });

  test("a target whose backend is gone is left out; none left throws why", () => {
    const groups = configWith({ modelGroups: { g: { targets: ["gone/x", "llama/qwen3-coder"] }, h: { targets: ["gone/x"] } } }).modelGroups;
    expect(resolveNamedGroup("g", groups, CATALOG).targets).toEqual([{ backendId: "llama", model: "qwen3-coder" }]);
    expect(() => resolveNamedGroup("h", groups, CATALOG)).toThrow(NotFoundError);
  });
});

describe("checkModelGroups", () => {
  test("accepts groups that name known groups and backends", () => {
    expect(checkModelGroups(config.modelGroups, ["llama", "ollama"])).toEqual([]);
  });

  test("lists every unknown group and every target without a known backend", () => {
    const groups = configWith({
      modelGroups: {
        a: { targets: ["llama/m", "nowhere/m", "plain-model"], fallbacks: ["b", "smal"], contextFallback: "lon" },
        b: { targets: ["llama/m"] },
      },
    }).modelGroups;
    expect(checkModelGroups(groups, ["llama"])).toEqual([
      'modelGroups.a.fallbacks: no group named "smal"',
      'modelGroups.a.contextFallback: no group named "lon"',
      'modelGroups.a.targets: "nowhere/m" is not backendId/model with one of the backends llama',
      'modelGroups.a.targets: "plain-model" is not backendId/model with one of the backends llama',
    ]);
  });
});
