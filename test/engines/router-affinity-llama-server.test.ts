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
import type { MessageCreateParams } from "../../src/protocol/anthropic/messages";
import { findLlamaServer } from "../support/engines";
import { writeGguf } from "../support/generate-gguf";
import { type RunningLlamaServer, startLlamaServer } from "../support/llama-server";
import { parseSse } from "../support/parse-sse";
import { type ConfigOverrides, startProxy } from "../support/start-proxy";
import { readClaudeCodeSession } from "./measure-kv-reuse";
import { measurePromptWork, type PromptWork } from "./read-llama-server-metrics";
import { LLAMA_SERVER_MISSING } from "./start-tiny-llama-server";

const binary = findLlamaServer();
if (!binary) console.log(LLAMA_SERVER_MISSING);

const MODEL = "tiny-tool-caller";
/** Two ~16,600-token prompt evaluations per case on one busy core. */
const TEST_TIMEOUT_MS = 180_000;

describe.skipIf(!binary)("prefix affinity pins a conversation to its llama-server slot", () => {
  let dir: string;
  let engine: RunningLlamaServer;

  // A fresh engine per case: what one case leaves in the slots must not help the other.
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), "anyclaude-engines-affinity-"));
    const modelPath = join(dir, `${MODEL}.gguf`);
    await writeGguf(modelPath, "tool-caller");
    // 2 slots of 32768 tokens each; no similarity-based slot choice, no host-memory prompt cache.
    engine = await startLlamaServer({
      modelPath,
      ctx: 65_536,
      extraArgs: ["--alias", MODEL, "--metrics", "-np", "2", "-sps", "0", "--cache-ram", "0"],
    });
  });

  afterEach(async () => {
    await engine?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function runTwoTurns(overrides: ConfigOverrides): Promise<PromptWork[]> {
    const proxy = await startProxy(overrides, [{ id: "llama", url: engine.url, kind: "llamacpp", mode: "translate" }]);
    try {
      const { turn1, turn2 } = readClaudeCodeSession();
      return [await sendTurn(proxy.url, turn1), await sendTurn(proxy.url, turn2)];
    } finally {
      await proxy.stop();
    }
  }

  async function sendTurn(proxyUrl: string, request: MessageCreateParams): Promise<PromptWork> {
    const { work } = await measurePromptWork(engine.url, async () => {
      const response = await fetch(`${proxyUrl}/v1/messages`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(request),
      });
      expect(response.status).toBe(200);
      const events = (await Array.fromAsync(parseSse(response.body!))).map((frame) => frame.event);
      expect(events.at(-1)).toBe("message_stop");
    });
    return work;
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
        modelGroups: { coder: { strategy: "prefix-affinity", targets: [`llama/${MODEL}`], fallbacks: [] } },
      });
      expect(turn2!.prompt).toBeGreaterThan(10_000);
      expect(turn2!.evaluatedShare).toBeLessThanOrEqual(0.05);
    },
    TEST_TIMEOUT_MS,
  );
});
