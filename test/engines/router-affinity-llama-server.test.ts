/**
 * Real-engine tier: prefix affinity's `id_slot` is what keeps a conversation's prompt in a
 * llama-server slot across turns when the engine would otherwise pick another one. The engine
 * runs 2 slots with its own prompt-similarity choice and its host-memory prompt cache switched
 * off (`-sps 0 --cache-ram 0`), so an unpinned request goes to the least recently used slot.
 * Two turns of a recorded Claude Code session go through anyclaude: unpinned, turn 2 lands on
 * the other slot and re-evaluates the whole prompt; pinned by a prefix-affinity group, it lands
 * on turn 1's slot and re-evaluates almost nothing. Unpinned means `claudeCode.sideCallSlot` off:
 * by default main conversations are pinned too (side-call-slot-llama-server.test.ts). Work is
 * read from llama-server's /metrics.
 */
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findLlamaServer } from "../support/engines";
import type { RunningLlamaServer } from "../support/llama-server";
import { type ConfigOverrides, startProxy } from "../support/start-proxy";
import { readClaudeCodeSession } from "./measure-kv-reuse";
import type { PromptWork } from "./read-llama-server-metrics";
import { LLAMA_SERVER_MISSING } from "./start-tiny-llama-server";
import { sendMeasured, startTwoSlotLlamaServer, TWO_SLOT_MODEL } from "./two-slot-llama-server";

const binary = findLlamaServer();
if (!binary) console.log(LLAMA_SERVER_MISSING);

/** Two ~16,600-token prompt evaluations per case on one busy core. */
const TEST_TIMEOUT_MS = 180_000;

describe.skipIf(!binary)("prefix affinity pins a conversation to its llama-server slot", () => {
  let dir: string;
  let engine: RunningLlamaServer;

  // A fresh engine per case: what one case leaves in the slots must not help the other.
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), "anyclaude-engines-affinity-"));
    engine = await startTwoSlotLlamaServer(dir);
  });

  afterEach(async () => {
    await engine?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function runTwoTurns(overrides: ConfigOverrides): Promise<PromptWork[]> {
    const proxy = await startProxy(overrides, [{ id: "llama", url: engine.url, kind: "llamacpp", mode: "translate" }]);
    try {
      const { turn1, turn2 } = readClaudeCodeSession();
      return [await sendMeasured(proxy.url, engine.url, turn1), await sendMeasured(proxy.url, engine.url, turn2)];
    } finally {
      await proxy.stop();
    }
  }

  test(
    "without pinning, turn 2 goes to the other slot and re-evaluates most of the prompt",
    async () => {
      const [, turn2] = await runTwoTurns({ claudeCode: { sideCallSlot: false } });
      expect(turn2!.prompt).toBeGreaterThan(10_000);
      expect(turn2!.evaluatedShare).toBeGreaterThan(0.5);
    },
    TEST_TIMEOUT_MS,
  );

  test(
    "pinned by a prefix-affinity group, turn 2 reuses turn 1's slot: at most 5 % re-evaluated",
    async () => {
      const [, turn2] = await runTwoTurns({
        claudeCode: { sideCallSlot: false },
        models: { default: "coder" },
        modelGroups: { coder: { strategy: "prefix-affinity", targets: [`llama/${TWO_SLOT_MODEL}`], fallbacks: [] } },
      });
      expect(turn2!.prompt).toBeGreaterThan(10_000);
      expect(turn2!.evaluatedShare).toBeLessThanOrEqual(0.05);
    },
    TEST_TIMEOUT_MS,
  );
});
