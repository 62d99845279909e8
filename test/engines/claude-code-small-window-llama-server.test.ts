/**
 * Real-engine tier, end to end: the real Claude Code CLI 2.1.332 runs several tool turns against a
 * real llama-server whose window is too small for the whole session. Each Bash call prints a few
 * hundred lines (the isolated HOME's .bashrc gives `echo` a long tail; Claude Code's shell
 * snapshot carries it), so the conversation outgrows the window after a few turns. Under
 * anyclaude's default `trim` the run completes; under `policy: error` (no context management) the
 * same run ends with "prompt is too long". The tiny model calls a tool only while tool_choice
 * demands one, so a pass-through in front of anyclaude asks for a call until enough were made.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ContextPolicy } from "../../src/context/decide-context-action";
import type { MessageCreateParams } from "../../src/protocol/anthropic/messages";
import { findLlamaServer } from "../support/engines";
import { TinyModelOutput } from "../support/generate-gguf";
import { runClaudeCode } from "../support/run-claude-code";
import { startProxy } from "../support/start-proxy";
import { recordClaudeCodeTurns } from "./record-claude-code-turns";
import { LLAMA_SERVER_MISSING, startTinyLlamaServer, type TinyLlamaServer } from "./start-tiny-llama-server";

const binary = findLlamaServer();
if (!binary) console.log(LLAMA_SERVER_MISSING);

/** The slot's window: Claude Code's first request (about 16,600 tokens here) fits, the whole session does not. */
const CTX = 24_576;
/**
 * What anyclaude plans for: its estimate counts about a quarter fewer tokens than the tiny
 * model's byte-level vocabulary makes, so it is told a smaller window than the slot holds.
 */
const PLANNED_WINDOW = 20_480;
const TOOL_TURNS = 8;
/** Lines each Bash call prints after its own output: about 1,400 tokens a turn. */
const EXTRA_LINES = 300;
const RUN_TIMEOUT_MS = 400_000;

describe.skipIf(!binary)("Claude Code on a window too small for its session", () => {
  let dir: string;
  let home: string;
  let engine: TinyLlamaServer;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "anyclaude-engines-small-window-"));
    home = mkdtempSync(join(tmpdir(), "anyclaude-cc-home-"));
    writeFileSync(join(home, ".bashrc"), `echo() { builtin echo "$@"; seq 1 ${EXTRA_LINES}; }\n`);
    engine = await startTinyLlamaServer({ dir, variant: "tool-caller", ctx: CTX });
  });

  afterAll(async () => {
    await engine?.stop();
    rmSync(dir, { recursive: true, force: true });
    rmSync(home, { recursive: true, force: true });
  });

  async function runSession(policy: ContextPolicy) {
    const proxy = await startProxy({ cache: { enabled: false }, context: { policy, windows: { [engine.model]: PLANNED_WINDOW } } }, [
      { url: engine.url, kind: "llamacpp", mode: "translate" },
    ]);
    const shim = recordClaudeCodeTurns(proxy.url, { rewrite: demandToolCalls(TOOL_TURNS) });
    try {
      const run = await runClaudeCode({
        baseUrl: shim.url,
        prompt: "say hi",
        timeoutMs: RUN_TIMEOUT_MS,
        extraEnv: { HOME: home, SHELL: "/bin/bash" },
      });
      const lines = proxy.logs.filter((record) => record.msg === "messages");
      return { run, lines };
    } finally {
      shim.stop();
      await proxy.stop();
    }
  }

  test(
    "under the default trim, the run completes: every tool turn answered, older turns left out",
    async () => {
      const { run, lines } = await runSession("trim");
      expect({ exitCode: run.exitCode, timedOut: run.timedOut, stderr: run.stderr }).toEqual({ exitCode: 0, timedOut: false, stderr: "" });
      expect(run.json).toMatchObject({ subtype: "success", is_error: false, num_turns: TOOL_TURNS + 1 });
      expect(run.json?.result).toEndWith(TinyModelOutput.text);
      expect(lines.every((line) => line.outcome === "completed")).toBe(true);
      expect(lines.some((line) => String(line.warnings).includes("context-trimmed"))).toBe(true);
    },
    RUN_TIMEOUT_MS + 10_000,
  );

  test(
    "without context management (policy error), the same run ends with 'prompt is too long'",
    async () => {
      const { run, lines } = await runSession("error");
      expect(run.timedOut).toBe(false);
      expect(run.json?.is_error).toBe(true);
      expect(String(run.json?.result)).toMatch(/prompt is too long/i);
      expect(lines.some((line) => String(line.outcome).includes("prompt is too long"))).toBe(true);
    },
    RUN_TIMEOUT_MS + 10_000,
  );
});

/**
 * Tool_choice `any` on Claude Code's requests that offer tools while fewer than `calls` tool
 * results are in the conversation: the tiny model then writes its text and a Bash call, and once
 * enough were made it answers in text and the run ends.
 */
function demandToolCalls(calls: number): (body: MessageCreateParams) => MessageCreateParams {
  return (body) => ((body.tools ?? []).length > 0 && countToolResults(body) < calls ? { ...body, tool_choice: { type: "any" } } : body);
}

function countToolResults(request: MessageCreateParams): number {
  let results = 0;
  for (const message of request.messages) {
    if (typeof message.content !== "string") results += message.content.filter((block) => block.type === "tool_result").length;
  }
  return results;
}
