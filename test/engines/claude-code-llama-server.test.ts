/**
 * Real-engine tier, end to end: the real Claude Code CLI 2.1.332 → anyclaude → a real llama-server
 * serving the tool-caller model, in translate and in native mode. The model answers Claude
 * Code's first request with a Bash call (`echo hi`); Claude Code runs it and sends the output
 * back; the model answers in text and the run ends with exit code 0. Then the same at each
 * prompt-slimming tier: the engine evaluates exactly the slimmed prompt (as many tokens as
 * count_tokens through the same proxy says, fewer than the untouched prompt), and the second
 * turn reuses the first one's KV cache: the slimmed prefix is the same bytes on both turns.
 * With an MCP server
 * configured in anyclaude (the real server-everything, over stdio) and no Bash on offer, the
 * model calls the server's tool instead, which anyclaude runs before asking the model again.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { PromptTier } from "../../src/config/prompt-config-schema";
import type { MessageCreateParams } from "../../src/protocol/anthropic/messages";
import { everythingServer } from "../integration/proxy-tools-test-kit";
import { findLlamaServer } from "../support/engines";
import { TinyModelOutput } from "../support/generate-gguf";
import { runClaudeCode } from "../support/run-claude-code";
import { type StartedProxy, startProxy } from "../support/start-proxy";
import { findBlock, type RecordedTurn, readToolResultText, recordClaudeCodeTurns } from "./record-claude-code-turns";
import { LLAMA_SERVER_MISSING, startTinyLlamaServer, type TinyLlamaServer } from "./start-tiny-llama-server";

const binary = findLlamaServer();
if (!binary) console.log(LLAMA_SERVER_MISSING);

/** Claude Code's first request is about 16,600 tokens with the tiny vocabulary; 32768 leaves room for the turns after it. */
const CTX = 32768;
/** The first prompt takes several seconds on one busy core; two modes run one after the other. */
const RUN_TIMEOUT_MS = 170_000;
const TEST_TIMEOUT_MS = 180_000;
/** Turn 2 appends the call and its output to turn 1's prompt: only those few tokens are new. */
const MOST_EVALUATED_SHARE_ON_TURN_2 = 0.05;

const SLIMMED: Array<{ tier: Exclude<PromptTier, "off">; mode: "translate" | "native" }> = [
  { tier: "safe", mode: "translate" },
  { tier: "moderate", mode: "translate" },
  { tier: "aggressive", mode: "translate" },
  { tier: "aggressive", mode: "native" },
];

describe.skipIf(!binary)("Claude Code → anyclaude → real llama-server", () => {
  let dir: string;
  let engine: TinyLlamaServer;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "anyclaude-engines-cc-"));
    engine = await startTinyLlamaServer({ dir, variant: "tool-caller", ctx: CTX });
  });

  afterAll(async () => {
    await engine?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  for (const mode of ["translate", "native"] as const) {
    test(
      `${mode} mode: Claude Code runs the model's Bash call and finishes on the model's answer`,
      async () => {
        const proxy = await startProxy({}, [{ url: engine.url, kind: "llamacpp", mode }]);
        try {
          await runBashRoundTrip(proxy.url);
        } finally {
          await proxy.stop();
        }
      },
      TEST_TIMEOUT_MS,
    );

    test(
      `${mode} mode: with an MCP server configured, the model calls its tool; anyclaude runs it and the model answers with the result in view`,
      async () => {
        const proxy = await startProxy({ mcp: { servers: { everything: everythingServer({ tools: ["echo"] }) } } as never }, [
          { url: engine.url, kind: "llamacpp", mode },
        ]);
        try {
          // Claude Code offers one tool of its own (so anyclaude adds the server's), not Bash: the
          // model calls Bash when offered, else the best-ranked name, here the MCP tool.
          const run = await runClaudeCode({ baseUrl: proxy.url, prompt: "say hi", timeoutMs: RUN_TIMEOUT_MS, args: ["--tools", "Read"] });
          expect({ exitCode: run.exitCode, timedOut: run.timedOut, stderr: run.stderr }).toEqual({
            exitCode: 0,
            timedOut: false,
            stderr: "",
          });
          expect(run.json).toMatchObject({ subtype: "success", is_error: false, result: TinyModelOutput.text, num_turns: 1 });
          const line = proxy.logs.find((record) => record.msg === "messages" && record.toolCalls === 1);
          expect(line).toMatchObject({ toolSteps: 2, toolCalls: 1, toolErrors: 0, outcome: "completed" });
        } finally {
          await proxy.stop();
        }
      },
      TEST_TIMEOUT_MS,
    );
  }

  for (const { tier, mode } of SLIMMED) {
    test(
      `${tier}, ${mode} mode: Claude Code runs the model's Bash call; the engine reads the slimmed prompt and reuses it on turn 2`,
      async () => {
        const backends = [{ url: engine.url, kind: "llamacpp" as const, mode }];
        const proxy = await startProxy({ prompt: { tier }, cache: { enabled: false } }, backends);
        const untouched = await startProxy({ cache: { enabled: false } }, backends);
        try {
          const [first, second] = await runBashRoundTrip(proxy.url, engine.url);
          // The engine evaluated the slimmed prompt: what count_tokens counts through this proxy, less than untouched.
          const slimmedCount = await countTokens(proxy, first!.body);
          expect(first!.work!.prompt).toBe(slimmedCount);
          expect(slimmedCount).toBeLessThan(await countTokens(untouched, first!.body));
          expect(second!.work!.evaluatedShare).toBeLessThanOrEqual(MOST_EVALUATED_SHARE_ON_TURN_2);
          const logged = proxy.logs.filter((record) => record.msg === "messages").map((record) => String(record.prompt));
          expect(logged).toHaveLength(2);
          expect(logged[1]).toBe(logged[0]!);
          expect(logged[0]).toStartWith(`${tier} `);
        } finally {
          await Promise.all([proxy.stop(), untouched.stop()]);
        }
      },
      TEST_TIMEOUT_MS,
    );
  }
});

/** The engine's own count of a request's prompt, through a proxy (exact on llama-server). */
async function countTokens(proxy: StartedProxy, body: MessageCreateParams): Promise<number> {
  const { max_tokens: _max, stream: _stream, metadata: _metadata, ...countable } = body;
  const response = await fetch(`${proxy.url}/v1/messages/count_tokens`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(countable),
  });
  expect(response.headers.get("x-anyclaude-token-count")).toBe("exact");
  return ((await response.json()) as { input_tokens: number }).input_tokens;
}

/**
 * Claude Code's `say hi` run through a proxy: it ends on the model's answer after really running
 * the model's Bash call, whose output the second request carries. Returns the two turns, with the
 * engine's prompt work when `llamaServerUrl` is given.
 */
async function runBashRoundTrip(proxyUrl: string, llamaServerUrl?: string): Promise<RecordedTurn[]> {
  const recorder = recordClaudeCodeTurns(proxyUrl, { llamaServerUrl });
  try {
    const run = await runClaudeCode({ baseUrl: recorder.url, prompt: "say hi", timeoutMs: RUN_TIMEOUT_MS });
    expect({ exitCode: run.exitCode, timedOut: run.timedOut, stderr: run.stderr }).toEqual({ exitCode: 0, timedOut: false, stderr: "" });
    expect(run.json).toMatchObject({ subtype: "success", is_error: false, result: TinyModelOutput.text, num_turns: 2 });
    const [first, second] = recorder.turns.map((turn) => turn.body);
    expect(recorder.turns).toHaveLength(2);
    expect(findBlock(first!.messages, "user", "tool_result")).toBeUndefined();
    const call = findBlock(second!.messages, "assistant", "tool_use");
    expect(call).toMatchObject({ name: "Bash", input: { command: TinyModelOutput.bashCommand } });
    const result = findBlock(second!.messages, "user", "tool_result");
    expect(result).toMatchObject({ tool_use_id: (call as { id: string }).id });
    expect(result && "is_error" in result ? result.is_error : false).not.toBe(true);
    expect(readToolResultText(result)).toBe("hi");
    return recorder.turns;
  } finally {
    recorder.stop();
  }
}
