/**
 * Real-engine tier, end to end: the real Claude Code CLI 2.1.332 → anyclaude → a real llama-server
 * serving the tool-caller model, in translate and in native mode. The model answers Claude
 * Code's first request with a Bash call (`echo hi`); Claude Code runs it and sends the output
 * back; the model answers in text and the run ends with exit code 0.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ContentBlockParam, MessageParam } from "../../src/protocol/anthropic/messages";
import { findLlamaServer } from "../support/engines";
import { TinyModelOutput } from "../support/generate-gguf";
import { recordMessageRequests } from "../support/record-message-requests";
import { runClaudeCode } from "../support/run-claude-code";
import { startProxy } from "../support/start-proxy";
import { LLAMA_SERVER_MISSING, startTinyLlamaServer, type TinyLlamaServer } from "./start-tiny-llama-server";

const binary = findLlamaServer();
if (!binary) console.log(LLAMA_SERVER_MISSING);

/** Claude Code's first request is about 16,600 tokens with the tiny vocabulary; 32768 leaves room for the turns after it. */
const CTX = 32768;
/** The first prompt takes several seconds on one busy core; two modes run one after the other. */
const RUN_TIMEOUT_MS = 170_000;
const TEST_TIMEOUT_MS = 180_000;

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
        const recorder = recordMessageRequests(proxy.url);
        try {
          const run = await runClaudeCode({ baseUrl: recorder.url, prompt: "say hi", timeoutMs: RUN_TIMEOUT_MS });
          expect({ exitCode: run.exitCode, timedOut: run.timedOut, stderr: run.stderr }).toEqual({
            exitCode: 0,
            timedOut: false,
            stderr: "",
          });
          expect(run.json).toMatchObject({ subtype: "success", is_error: false, result: TinyModelOutput.text, num_turns: 2 });

          // The second request carries the model's call and the output of really running it.
          const [first, second] = recorder.requests;
          expect(recorder.requests).toHaveLength(2);
          expect(findBlock(first!.messages, "user", "tool_result")).toBeUndefined();
          const call = findBlock(second!.messages, "assistant", "tool_use");
          expect(call).toMatchObject({ name: "Bash", input: { command: TinyModelOutput.bashCommand } });
          const result = findBlock(second!.messages, "user", "tool_result");
          expect(result).toMatchObject({ tool_use_id: (call as { id: string }).id });
          expect(result && "is_error" in result ? result.is_error : false).not.toBe(true);
          expect(readToolResultText(result)).toBe("hi");
        } finally {
          recorder.stop();
          await proxy.stop();
        }
      },
      TEST_TIMEOUT_MS,
    );
  }
});

function findBlock(messages: MessageParam[], role: MessageParam["role"], type: ContentBlockParam["type"]): ContentBlockParam | undefined {
  for (const message of messages) {
    if (message.role !== role || typeof message.content === "string") continue;
    const block = message.content.find((candidate) => candidate.type === type);
    if (block) return block;
  }
  return undefined;
}

function readToolResultText(block: ContentBlockParam | undefined): string | undefined {
  if (block?.type !== "tool_result") return undefined;
  const content = block.content;
  if (typeof content === "string") return content.trim();
  return content
    ?.map((part) => (part.type === "text" ? part.text : ""))
    .join("")
    .trim();
}
