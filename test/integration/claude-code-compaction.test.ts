/**
 * Claude Code's own compaction, with the real CLI 2.1.332: it compacts when the usage an answer
 * reports nears the window it believes the model has (1,000,000 tokens for claude-opus-5-5), far
 * beyond a local engine's. With `context.clientWindow`, anyclaude reports the input scaled to that
 * belief, and Claude Code sends its compaction request as the conversation reaches the engine's
 * real budget; the same run without it never compacts (anyclaude trims instead). The engine is a
 * scripted loopback llama-server face that answers Bash calls whose output grows the conversation.
 */
import { beforeAll, describe, expect, test } from "bun:test";
import { applyFakeChatTemplate, countFakeTokens } from "../support/fake-chat-template";
import { type FakeOpenAIBackend, openAIStream, startFakeOpenAIBackend } from "../support/fake-openai-backend";
import { llamaServerChunks } from "../support/fake-openai-chunks";
import { runClaudeCode } from "../support/run-claude-code";
import { startProxy } from "../support/start-proxy";

/** The engine's window: Claude Code's first request takes about half of it with the fake tokenizer. */
const WINDOW = 32_768;
/** Enough calls for the conversation to outgrow the input budget (24,576 tokens) after about eleven. */
const TOOL_CALLS = 14;
/** About 1,000 tokens of output per call as the engine's tokenizer counts them (one per 4 characters). */
const BASH_COMMAND = "seq 1 1000";
const COMPACTION_PROMPT = "Your task is to create a detailed summary";
const SUMMARY = "<summary>The user asked to count to 1000 repeatedly; it was done each time.</summary>";
const RUN_TIMEOUT_MS = 110_000;

interface EngineRun {
  engine: FakeOpenAIBackend;
  /** Requests to the engine that were Claude Code's compaction request. */
  compactions: () => number;
}

/** Bash calls until TOOL_CALLS were made in all, then "done"; a compaction request gets a summary. */
function startScriptedEngine(): EngineRun {
  let calls = 0;
  const engine = startFakeOpenAIBackend(
    (request) => {
      const usage = { promptTokens: countFakeTokens(applyFakeChatTemplate(request.body)), completionTokens: 20 };
      if (request.rawBody.includes(COMPACTION_PROMPT)) return openAIStream(llamaServerChunks({ text: SUMMARY, usage }));
      const hasTools = ((request.body as { tools?: unknown[] }).tools ?? []).length > 0;
      if (!hasTools || calls >= TOOL_CALLS) return openAIStream(llamaServerChunks({ text: "done", usage }));
      calls++;
      const args = { command: BASH_COMMAND, description: "Count to 1000" };
      return openAIStream(llamaServerChunks({ toolCalls: [{ name: "Bash", args, id: `call_${calls}` }], usage }));
    },
    { kind: "llamacpp", contextWindow: WINDOW },
  );
  const compactions = () =>
    engine.requestsTo("/v1/chat/completions").filter((request) => request.rawBody.includes(COMPACTION_PROMPT)).length;
  return { engine, compactions };
}

async function runSession(clientWindow: number | undefined) {
  const { engine, compactions } = startScriptedEngine();
  const proxy = await startProxy({ cache: { enabled: false }, context: { clientWindow } }, [
    { url: engine.url, kind: "llamacpp", mode: "translate" },
  ]);
  try {
    const run = await runClaudeCode({ baseUrl: proxy.url, prompt: "count to 1000 fourteen times with seq", timeoutMs: RUN_TIMEOUT_MS });
    // One log line per request, in the engine's order (Claude Code sends one at a time).
    const trimmed = proxy.logs
      .filter((record) => record.msg === "messages")
      .map((record) => String(record.warnings ?? "").includes("context-trimmed"));
    const firstCompaction = engine.requestsTo("/v1/chat/completions").findIndex((request) => request.rawBody.includes(COMPACTION_PROMPT));
    return { run, compactions: compactions(), trimmed, firstCompaction };
  } finally {
    await Promise.all([proxy.stop(), engine.stop()]);
  }
}

describe("Claude Code compacts in time for a small window when anyclaude reports scaled usage", () => {
  let scaled: Awaited<ReturnType<typeof runSession>>;
  let plain: Awaited<ReturnType<typeof runSession>>;

  beforeAll(
    async () => {
      scaled = await runSession(1_000_000);
      plain = await runSession(undefined);
    },
    2 * RUN_TIMEOUT_MS + 10_000,
  );

  test("with context.clientWindow, Claude Code sends its compaction request and the run completes", () => {
    expect({ exitCode: scaled.run.exitCode, timedOut: scaled.run.timedOut }).toEqual({ exitCode: 0, timedOut: false });
    expect(scaled.run.json).toMatchObject({ subtype: "success", is_error: false, result: "done" });
    expect(scaled.compactions).toBe(1);
    // In time: no turn of the conversation had to be trimmed before Claude Code compacted it.
    expect(scaled.firstCompaction).toBeGreaterThan(0);
    expect(scaled.trimmed.slice(0, scaled.firstCompaction)).not.toContain(true);
  });

  test("without it, the same run never compacts: Claude Code believes a 1M window, and anyclaude trims instead", () => {
    expect({ exitCode: plain.run.exitCode, timedOut: plain.run.timedOut }).toEqual({ exitCode: 0, timedOut: false });
    expect(plain.run.json).toMatchObject({ subtype: "success", is_error: false, result: "done" });
    expect(plain.compactions).toBe(0);
    expect(plain.trimmed).toContain(true);
  });
});
