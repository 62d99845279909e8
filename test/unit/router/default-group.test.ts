/**
 * The default group: with no modelGroups or routes configured, a route's target leads every
 * other backend serving its model, then the rest with their first model, in the order given.
 */
import { describe, expect, test } from "bun:test";
import { Value } from "@sinclair/typebox/value";
import { type Config, ConfigSchema } from "../../../src/config/config-schema";
import { buildDefaultGroup, usesDefaultGroup } from "../../../src/router/default-group";
import type { CatalogEntry } from "../../../src/router/model-catalog";

const CATALOG: CatalogEntry[] = [
  { backendId: "a", models: [{ id: "m", contextWindow: 32768 }] },
  { backendId: "down", models: undefined },
  { backendId: "small", models: [{ id: "tiny" }, { id: "m" }] },
  { backendId: "other", models: [{ id: "n" }, { id: "o" }] },
  { backendId: "empty", models: [] },
];

describe("buildDefaultGroup", () => {
  test("the target, the other backends serving its model, then the rest with their first model, each in the order given", () => {
    expect(buildDefaultGroup({ backendId: "a", model: "m" }, CATALOG)).toEqual({
      name: undefined,
      strategy: "failover",
      targets: [
        { backendId: "a", model: "m" },
        { backendId: "small", model: "m" },
        { backendId: "down", model: "m" },
        { backendId: "other", model: "n" },
      ],
      fallbacks: [],
      contextFallback: undefined,
    });
  });

  test("a model only one backend serves: that backend first, whatever its place", () => {
    expect(buildDefaultGroup({ backendId: "other", model: "o" }, CATALOG).targets).toEqual([
      { backendId: "other", model: "o" },
      { backendId: "a", model: "m" },
      { backendId: "down", model: "o" },
      { backendId: "small", model: "tiny" },
    ]);
  });

  test("one backend: a group of one", () => {
    expect(buildDefaultGroup({ backendId: "a", model: "m" }, CATALOG.slice(0, 1)).targets).toEqual([{ backendId: "a", model: "m" }]);
  });
});

describe("usesDefaultGroup", () => {
  const configWith = (raw: Record<string, unknown>) => Value.Default(ConfigSchema, raw) as Config;

  test.each([
    ["nothing configured", {}, true],
    ["a model map and aliases only", { models: { opus: "a/m", default: "m", aliases: { x: "a/m" } } }, true],
    ["a model group", { modelGroups: { g: { targets: ["a/m"] } } }, false],
    ["a background route", { routes: { background: "small/tiny" } }, false],
    ["a thinking route", { routes: { thinking: "a/m" } }, false],
    ["a long-context route", { routes: { longContext: "a/m" } }, false],
    ["only the long-context threshold", { routes: { longContextThreshold: 1000 } }, true],
  ])("%s: %p", (_name, raw, expected) => {
    expect(usesDefaultGroup(configWith(raw))).toBe(expected);
  });
});
