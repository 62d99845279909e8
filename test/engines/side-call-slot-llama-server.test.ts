/**
 * Real-engine tier: Claude Code's side calls (a session title, a subagent's turns) keep off the
 * main conversation's KV cache. The engine runs 2 slots with its own slot choice reduced to
 * "least recently used" (`-sps 0`) and no host-memory prompt cache (`--cache-ram 0`). Through
 * anyclaude, main turns of a recorded Claude Code session go out interleaved with side calls: by
 * default the side calls get the last slot (`id_slot`) and every later main turn re-evaluates at
 * most 5 % of its prompt, in native mode (what `mode: auto` picks: pinned requests go to the
 * engine's OpenAI endpoint, decision 0030) as in translate mode; with
 * `claudeCode.sideCallSlot: false` a side call lands in the main conversation's slot and the next
 * main turn re-evaluates most of its prompt again.
 */
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { MessageCreateParams } from "../../src/protocol/anthropic/messages";
import { readClaudeCodeRequests } from "../support/claude-code-fixtures";
import { findLlamaServer } from "../support/engines";
import type { RunningLlamaServer } from "../support/llama-server";
import { type ConfigOverrides, startProxy } from "../support/start-proxy";
import { readClaudeCodeSession } from "./measure-kv-reuse";
import type { PromptWork } from "./read-llama-server-metrics";
import { LLAMA_SERVER_MISSING } from "./start-tiny-llama-server";
import { sendMeasured, startTwoSlotLlamaServer } from "./two-slot-llama-server";

const binary = findLlamaServer();
if (!binary) console.log(LLAMA_SERVER_MISSING);

/** Up to three ~16,600-token prompt evaluations per case on one busy core. */
const TEST_TIMEOUT_MS = 240_000;
const MOST_EVALUATED_SHARE = 0.05;

interface Step {
  main: boolean;
  request: MessageCreateParams;
}

/** Main turns 1 to 3 of one session, with a title and two subagent turns between them. */
function readInterleavedSession(): Step[] {
  const { turn1, turn2 } = readClaudeCodeSession();
  const turn3: MessageCreateParams = {
    ...turn2,
    messages: [...turn2.messages, { role: "assistant", content: "It printed hello." }, { role: "user", content: "Now run the tests." }],
  };
  const title = readClaudeCodeRequests().find((recorded) => recorded.name.includes("interactive-title"))!.body;
  const bash = turn1.tools!.find((tool) => tool.name === "Bash")!;
  const subagent = (task: string): MessageCreateParams => ({
    model: turn1.model,
    max_tokens: 1_024,
    stream: true,
    system: [
      { type: "text", text: "x-anthropic-billing-header: cc_version=2.1.332.ea8; cc_entrypoint=sdk-cli; cc_is_subagent=true;" },
      { type: "text", text: "You are an agent for Claude Code, Anthropic's official CLI for Claude. Use the tools to complete the task." },
    ],
    tools: [bash],
    messages: [{ role: "user", content: task }],
  });
  return [
    { main: true, request: turn1 },
    { main: false, request: title },
    { main: false, request: subagent("List the source files.") },
    { main: false, request: subagent("Count the test files.") },
    { main: true, request: turn2 },
    { main: false, request: subagent("Find the README.") },
    { main: false, request: title },
    { main: true, request: turn3 },
  ];
}

describe.skipIf(!binary)("side calls keep off the main conversation's llama-server slot", () => {
  let dir: string;
  let engine: RunningLlamaServer;

  // A fresh engine per case: what one case leaves in the slots must not help the other.
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), "anyclaude-engines-side-calls-"));
    engine = await startTwoSlotLlamaServer(dir);
  });

  afterEach(async () => {
    await engine?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The prompt work of each main turn after the first. */
  async function runSession(overrides: ConfigOverrides, mode: "auto" | "translate"): Promise<PromptWork[]> {
    const proxy = await startProxy({ cache: { enabled: false }, ...overrides }, [{ id: "llama", url: engine.url, kind: "llamacpp", mode }]);
    try {
      const health = (await (await fetch(`${proxy.url}/health`)).json()) as { backends: Array<{ mode: string }> };
      expect(health.backends.map((backend) => backend.mode)).toEqual([mode === "auto" ? "native" : mode]);
      const mainWork: PromptWork[] = [];
      for (const step of readInterleavedSession()) {
        const work = await sendMeasured(proxy.url, engine.url, step.request);
        if (step.main) mainWork.push(work);
      }
      return mainWork.slice(1);
    } finally {
      await proxy.stop();
    }
  }

  test(
    "by default, in native mode as auto picks it, main turns between side calls re-evaluate at most 5 % of their prompt",
    async () => {
      const later = await runSession({}, "auto");
      expect(later).toHaveLength(2);
      for (const work of later) {
        expect(work.prompt).toBeGreaterThan(10_000);
        expect(work.evaluatedShare).toBeLessThanOrEqual(MOST_EVALUATED_SHARE);
      }
    },
    TEST_TIMEOUT_MS,
  );

  test(
    "with claudeCode.sideCallSlot off, a side call evicts the main conversation: the next main turn re-evaluates most of it",
    async () => {
      const [turn2] = await runSession({ claudeCode: { sideCallSlot: false } }, "translate");
      expect(turn2!.prompt).toBeGreaterThan(10_000);
      expect(turn2!.evaluatedShare).toBeGreaterThan(0.5);
    },
    TEST_TIMEOUT_MS,
  );
});
