/**
 * Real-engine tier: a model whose chat template has no tool syntax, which writes its calls as
 * text. anyclaude sees from llama-server's `/props` that the template cannot call tools, describes
 * the tools in the prompt instead, and turns the `<tool_call>` text the model writes into a
 * tool_use: the real Claude Code CLI 2.1.332 runs the Bash call and the run ends on the model's
 * answer.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ContentBlockParam } from "../../src/protocol/anthropic/messages";
import { findLlamaServer } from "../support/engines";
import { TinyModelOutput } from "../support/generate-gguf";
import { runClaudeCode } from "../support/run-claude-code";
import { startProxy } from "../support/start-proxy";
import { recordClaudeCodeTurns } from "./record-claude-code-turns";
import { LLAMA_SERVER_MISSING, startTinyLlamaServer, type TinyLlamaServer } from "./start-tiny-llama-server";

const binary = findLlamaServer();
if (!binary) console.log(LLAMA_SERVER_MISSING);

const CTX = 32768;
const RUN_TIMEOUT_MS = 170_000;

describe.skipIf(!binary)("Claude Code → anyclaude → llama-server, a model that writes tool calls as text", () => {
  let dir: string;
  let engine: TinyLlamaServer;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "anyclaude-engines-text-calls-"));
    engine = await startTinyLlamaServer({ dir, variant: "text-tool-caller", ctx: CTX });
  });

  afterAll(async () => {
    await engine?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test.each(["translate", "native"] as const)(
    "%s mode: tools described in the prompt, the text call becomes tool_use, Claude Code runs it",
    async (mode) => {
      const props = (await (await fetch(`${engine.url}/props`)).json()) as { chat_template_caps: { supports_tool_calls: boolean } };
      expect(props.chat_template_caps.supports_tool_calls).toBe(false);

      const proxy = await startProxy({}, [{ url: engine.url, kind: "llamacpp", mode }]);
      const recorder = recordClaudeCodeTurns(proxy.url);
      try {
        const run = await runClaudeCode({ baseUrl: recorder.url, prompt: "say hi", timeoutMs: RUN_TIMEOUT_MS });
        expect({ exitCode: run.exitCode, timedOut: run.timedOut, stderr: run.stderr }).toEqual({
          exitCode: 0,
          timedOut: false,
          stderr: "",
        });
        expect(run.json).toMatchObject({ subtype: "success", is_error: false, result: TinyModelOutput.text, num_turns: 2 });

        const second = recorder.turns.at(-1)!.body;
        const blocks = second.messages.flatMap((message) => (typeof message.content === "string" ? [] : message.content));
        const call = blocks.find((block) => block.type === "tool_use");
        expect(call).toMatchObject({ name: "Bash", input: { command: TinyModelOutput.bashCommand } });
        const result = blocks.find((block): block is Extract<ContentBlockParam, { type: "tool_result" }> => block.type === "tool_result");
        expect(result?.is_error ?? false).toBe(false);
        expect(JSON.stringify(result?.content)).toContain("hi");

        const answered = proxy.logs.filter((record) => record.msg === "messages" && record.outcome === "completed");
        expect(answered.some((record) => String(record.toolFixes ?? "").includes("text-form:1"))).toBe(true);
      } finally {
        recorder.stop();
        await proxy.stop();
      }
    },
    RUN_TIMEOUT_MS + 10_000,
  );
});
