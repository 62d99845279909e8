/**
 * The router's settings as a config file states them: defaults, per-backend overrides merged
 * over the global sections (BackendEntry does the merge), model groups, and the errors a bad
 * value gets.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Backend } from "../../../src/backends/backend";
import { ConfigError } from "../../../src/config/config-error";
import { loadConfig } from "../../../src/config/load-config";
import { BackendEntry } from "../../../src/router/backend-entry";
import { SYSTEM_CLOCK } from "../../../src/router/router-clock";
import { SILENT_OBSERVER } from "../../../src/router/router-observer";

const dir = mkdtempSync(join(tmpdir(), "anyclaude-router-config-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function load(yaml: string) {
  const file = join(dir, `${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(file, yaml);
  return loadConfig({ file, env: {}, flags: {} });
}

/** Only its id is read when an entry is built. */
const backendNamed = (id: string) => ({ id }) as Backend;

describe("router settings in the config file", () => {
  const config = load(`
backends:
  - id: llama
    url: http://127.0.0.1:8080
    weight: 3
    priority: 1
    maxConcurrency: 4
    queue: { maxDepth: 8 }
    retry: { maxAttempts: 1 }
    circuitBreaker: { cooldownMs: 2000 }
  - id: ollama
    url: http://127.0.0.1:11434
retry: { baseMs: 100 }
modelGroups:
  coder:
    strategy: latency-based
    targets: [llama/qwen3-coder, ollama/qwen3-coder]
    fallbacks: [small]
  small:
    targets: [ollama/qwen3:4b]
`);

  test("defaults fill what the file leaves out, in groups too", () => {
    expect(config.retry).toEqual({ maxAttempts: 3, baseMs: 100, maxMs: 4_000, retryAfterCapMs: 10_000, deadlineMs: 900_000 });
    expect(config.circuitBreaker).toEqual({ failureThreshold: 5, windowMs: 30_000, cooldownMs: 15_000, halfOpenMaxProbes: 1 });
    expect(config.health).toMatchObject({ enabled: true, intervalMs: 10_000, timeoutMs: 2_000, unhealthyAfter: 2 });
    expect(config.modelGroups.small).toEqual({ strategy: "simple-shuffle", targets: ["ollama/qwen3:4b"], fallbacks: [] });
    expect(config.backends[1]).toMatchObject({ weight: 1, priority: 0, queue: { maxDepth: 64, maxWaitMs: 120_000 } });
    expect(config.backends[1]).not.toHaveProperty("retry");
    expect(config.backends[1]).not.toHaveProperty("maxConcurrency");
  });

  test("a backend's overrides hold only what it sets, and win over the global sections", () => {
    expect(config.backends[0]!.retry).toEqual({ maxAttempts: 1 });
    const entry = new BackendEntry(backendNamed("llama"), config.backends[0]!, config, SYSTEM_CLOCK, SILENT_OBSERVER);
    expect(entry.retry).toEqual({ maxAttempts: 1, baseMs: 100, maxMs: 4_000, retryAfterCapMs: 10_000 });
    expect(entry.circuitCooldownMs).toBe(2_000);
    expect({ weight: entry.weight, priority: entry.priority, maxConcurrency: entry.maxConcurrency }).toEqual({
      weight: 3,
      priority: 1,
      maxConcurrency: 4,
    });
    const plain = new BackendEntry(backendNamed("ollama"), config.backends[1]!, config, SYSTEM_CLOCK, SILENT_OBSERVER);
    expect(plain.retry).toEqual({ maxAttempts: 3, baseMs: 100, maxMs: 4_000, retryAfterCapMs: 10_000 });
    expect(plain.maxConcurrency).toBe(Number.POSITIVE_INFINITY);
  });
});

describe("bad router settings are config errors", () => {
  test.each([
    ["an empty target list", "modelGroups:\n  g:\n    targets: []\n", "modelGroups.g.targets"],
    ["an unknown strategy", "modelGroups:\n  g:\n    strategy: round-robin\n    targets: [a/b]\n", "modelGroups.g.strategy"],
    ["a group name with a slash", "modelGroups:\n  a/b:\n    targets: [a/b]\n", "modelGroups.a/b"],
    ["a weight of 0", "backends:\n  - url: http://x:1\n    weight: 0\n", "backends[0].weight"],
    ["zero attempts in an override", "backends:\n  - url: http://x:1\n    retry: { maxAttempts: 0 }\n", "backends[0].retry.maxAttempts"],
    ["an unknown override field", "backends:\n  - url: http://x:1\n    retry: { deadlineMs: 5 }\n", "backends[0].retry.deadlineMs"],
    ["an error rate above 1", "circuitBreaker: { errorRateThreshold: 1.5 }\n", "circuitBreaker.errorRateThreshold"],
    ["the removed connectMs", "backends:\n  - url: http://x:1\n    timeouts: { connectMs: 100 }\n", "backends[0].timeouts.connectMs"],
  ])("%s", (_, yaml, path) => {
    let caught: unknown;
    try {
      load(yaml);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as ConfigError).issues.map((issue) => issue.path)).toContain(path);
  });
});
