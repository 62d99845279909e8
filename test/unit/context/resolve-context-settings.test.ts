import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError } from "../../../src/config/config-error";
import { loadConfig } from "../../../src/config/load-config";
import { resolveContextSettings } from "../../../src/context/resolve-context-settings";

const dir = mkdtempSync(join(tmpdir(), "anyclaude-context-config-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function load(yaml: string) {
  const file = join(dir, `${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(file, yaml);
  return loadConfig({ file, env: {}, flags: {} });
}

test("with no configuration, a known window is trimmed to with the defaults; an unknown one is left alone", () => {
  const { context } = load("backends: []\n");
  expect(resolveContextSettings(context, { route: "default", backendId: "llama", model: "qwen3", reportedWindow: 16_384 })).toEqual({
    window: 16_384,
    policy: "trim",
    outputReserveTokens: 8_192,
    lowWater: 0.65,
    recentTurns: 2,
  });
  expect(resolveContextSettings(context, { route: "default", backendId: "llama", model: "qwen3" })).toBeUndefined();
});

test("window overrides by target, then by model; a group's entry over its route's over the global one", () => {
  const { context } = load(`
context:
  policy: compress
  summarizer: small
  windows: { llama/qwen3: 8192, qwen3: 4096 }
  routes:
    opus: { policy: error, lowWater: 0.5 }
    coder: { policy: fallback }
`);
  const target = { route: "opus", backendId: "llama", model: "qwen3", reportedWindow: 32_768 };
  expect(resolveContextSettings(context, target)).toMatchObject({ window: 8_192, policy: "error", lowWater: 0.5, summarizer: "small" });
  expect(resolveContextSettings(context, { ...target, backendId: "other", group: "coder" })).toMatchObject({
    window: 4_096,
    policy: "fallback",
    lowWater: 0.5,
  });
  expect(resolveContextSettings(context, { ...target, route: "haiku", model: "x" })).toMatchObject({ window: 32_768, policy: "compress" });
});

test("a bad context setting is named by its path", () => {
  const failure = (() => {
    try {
      load("context:\n  policy: drop\n  routes: { opus: { lowWater: 2 } }\n");
    } catch (error) {
      return error;
    }
  })();
  expect(failure).toBeInstanceOf(ConfigError);
  expect((failure as Error).message).toContain("context.policy");
  expect((failure as Error).message).toContain("context.routes.opus.lowWater");
});
