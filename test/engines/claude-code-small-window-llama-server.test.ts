/**
 * Real-engine tier, end to end: the real Claude Code CLI 2.1.332 runs tool turns against a real
 * llama-server whose window is too small for the session: each Bash call prints about 27 KB
 * (the isolated HOME's .bashrc gives `echo` a long tail, which Claude Code's shell snapshot
 * carries), more than the window has left, yet under the size Claude Code itself moves to a file.
 * Straight to the engine the run fails, and so it does through anyclaude under `policy: error`:
 * Claude Code tries to compact, but its compaction request holds the same output. Under the
 * default `trim` the run completes: anyclaude cuts the output to its head and tail. The tiny
 * model calls a tool only while tool_choice demands one, so a pass-through in front of the engine
 * or anyclaude asks for a call until enough were made.
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

/**
 * The slot's window: Claude Code's first request (about 16,400 tokens here, counted by the
 * engine) fits with room for the task and a shortened tool output, the whole session does not.
 */
const CTX = 32_768;
const TOOL_TURNS = 3;
/** Lines each Bash call prints after its own output: about 27 KB, some 20,000 tokens of the tiny vocabulary. */
const EXTRA_LINES = 5_500;
const RUN_TIMEOUT_MS = 300_000;
const COMPACTION_PROMPT = "Your task is to create a detailed summary";

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

  /** Claude Code through the tool-demanding pass-through to `target`: anyclaude under `policy`, or the engine itself. */
  async function runSession(target: ContextPolicy | "engine") {
    const proxy =
      target === "engine"
        ? undefined
        : await startProxy({ cache: { enabled: false }, context: { policy: target } }, [
            { url: engine.url, kind: "llamacpp", mode: "translate" },
          ]);
    const shim = recordClaudeCodeTurns(proxy?.url ?? engine.url, { rewrite: demandToolCalls(TOOL_TURNS) });
    try {
      const run = await runClaudeCode({
        baseUrl: shim.url,
        prompt: "say hi",
        timeoutMs: RUN_TIMEOUT_MS,
        extraEnv: { HOME: home, SHELL: "/bin/bash" },
      });
      const lines = proxy?.logs.filter((record) => record.msg === "messages") ?? [];
      return { run, lines, bodies: shim.turns.map((turn) => JSON.stringify(turn.body)) };
    } finally {
      shim.stop();
      await proxy?.stop();
    }
  }

  test(
    "straight to the engine, the run fails once the conversation outgrows the window (Claude Code cannot compact it)",
    async () => {
      const { run } = await runSession("engine");
      expect(run.timedOut).toBe(false);
      expect(run.json?.is_error).toBe(true);
      expect(`${run.json?.result} ${run.stdout}`).toMatch(/exceed|context size/i);
    },
    RUN_TIMEOUT_MS + 10_000,
  );

  test(
    "through anyclaude under the default trim, the run completes: every tool turn answered, the outputs cut to head and tail",
    async () => {
      const { run, lines, bodies } = await runSession("trim");
      expect({ exitCode: run.exitCode, timedOut: run.timedOut, stderr: run.stderr }).toEqual({ exitCode: 0, timedOut: false, stderr: "" });
      expect(run.json).toMatchObject({ subtype: "success", is_error: false, num_turns: TOOL_TURNS + 1 });
      expect(run.json?.result).toEndWith(TinyModelOutput.text);
      expect(lines.every((line) => line.outcome === "completed")).toBe(true);
      expect(lines.some((line) => String(line.warnings).includes("context-trimmed"))).toBe(true);
      // anyclaude kept it going: Claude Code never had to compact.
      expect(bodies.filter((body) => body.includes(COMPACTION_PROMPT))).toEqual([]);
    },
    RUN_TIMEOUT_MS + 10_000,
  );

  test(
    "through anyclaude under policy error, Claude Code's compaction cannot help either: the run ends with 'prompt is too long'",
    async () => {
      const { run, lines, bodies } = await runSession("error");
      expect(run.timedOut).toBe(false);
      expect(run.json?.is_error).toBe(true);
      expect(String(run.json?.result)).toMatch(/prompt is too long/i);
      expect(lines.some((line) => String(line.outcome).includes("prompt is too long"))).toBe(true);
      expect(bodies.some((body) => body.includes(COMPACTION_PROMPT))).toBe(true);
    },
    RUN_TIMEOUT_MS + 10_000,
  );
});

/**
 * Tool_choice `any` on Claude Code's requests that offer tools, until `calls` were demanded in all
 * (a compacted conversation would start counting its results afresh), never on its compaction
 * request: the tiny model then writes its text and a Bash call; afterwards it answers in text.
 */
function demandToolCalls(calls: number): (body: MessageCreateParams) => MessageCreateParams {
  let demanded = 0;
  return (body) => {
    if ((body.tools ?? []).length === 0 || demanded >= calls || JSON.stringify(body.messages).includes(COMPACTION_PROMPT)) return body;
    demanded++;
    return { ...body, tool_choice: { type: "any" } };
  };
}
