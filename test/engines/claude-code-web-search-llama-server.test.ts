/**
 * Real-engine tier: the real Claude Code CLI 2.1.332 searches the web through anyclaude with a
 * real llama-server serving the tool-caller model. With tool search off and WebSearch its only
 * tool, the model calls WebSearch; Claude Code sends its web search side request; the model
 * (grammar-bound to the `web_search` function anyclaude offers) calls it; anyclaude searches a
 * loopback SearXNG and asks the model again; Claude Code hands the links to its model, and the
 * run ends on the model's answer. The tiny model cannot quote what it read, so the results are
 * checked where Claude Code carries them: the tool result of its last request.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findLlamaServer } from "../support/engines";
import { TinyModelOutput } from "../support/generate-gguf";
import { runClaudeCode } from "../support/run-claude-code";
import { startSearxngStandIn } from "../support/searxng-stand-in";
import { startProxy } from "../support/start-proxy";
import { findBlock, readToolResultText, recordClaudeCodeTurns } from "./record-claude-code-turns";
import { LLAMA_SERVER_MISSING, startTinyLlamaServer, type TinyLlamaServer } from "./start-tiny-llama-server";

const binary = findLlamaServer();
if (!binary) console.log(LLAMA_SERVER_MISSING);

const CTX = 32768;
const RUN_TIMEOUT_MS = 170_000;

describe.skipIf(!binary)("Claude Code → anyclaude → real llama-server, WebSearch answered by anyclaude", () => {
  let dir: string;
  let engine: TinyLlamaServer;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "anyclaude-engines-search-"));
    engine = await startTinyLlamaServer({ dir, variant: "tool-caller", ctx: CTX });
  });

  afterAll(async () => {
    await engine?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test.each(["translate", "native"] as const)(
    "%s mode: the model's WebSearch runs against SearXNG and its links reach Claude Code's model",
    async (mode) => {
      const searxng = startSearxngStandIn();
      const proxy = await startProxy({ cache: { enabled: false }, search: { searxng: { url: searxng.url }, cache: { enabled: false } } }, [
        { url: engine.url, kind: "llamacpp", mode },
      ]);
      const recorder = recordClaudeCodeTurns(proxy.url);
      try {
        const run = await runClaudeCode({
          baseUrl: recorder.url,
          prompt: "search the web for echo hi",
          timeoutMs: RUN_TIMEOUT_MS,
          args: ["--tools", "WebSearch", "--allowedTools", "WebSearch"],
          // WebSearch offered whole rather than deferred behind ToolSearch: the tiny model calls the tool it is offered.
          extraEnv: { ENABLE_TOOL_SEARCH: "false" },
        });
        expect({ exitCode: run.exitCode, timedOut: run.timedOut, stderr: run.stderr }).toEqual({
          exitCode: 0,
          timedOut: false,
          stderr: "",
        });
        expect(run.json).toMatchObject({ subtype: "success", is_error: false, result: TinyModelOutput.text });

        // The model's query is its first string argument, whatever the tool.
        expect(searxng.queries).toEqual([TinyModelOutput.stringArgument]);
        const side = recorder.turns.find((turn) => turn.body.tools?.some((tool) => tool.type === "web_search_20250305"));
        expect(side).toBeDefined();
        const last = recorder.turns.filter((turn) => turn.body.tools?.some((tool) => tool.name === "WebSearch")).at(-1)!;
        const handed = readToolResultText(findBlock(last.body.messages, "user", "tool_result"));
        expect(handed).toContain(`Web search results for query: "${TinyModelOutput.stringArgument}"`);
        expect(handed).toContain('"url":"https://docs.example/echo-hi/1"');

        const line = proxy.logs.find((record) => record.msg === "messages" && record.searches === 1);
        expect(line).toMatchObject({ searchProvider: "searxng", searchErrors: 0, toolSteps: 2, outcome: "completed" });
      } finally {
        recorder.stop();
        await proxy.stop();
        await searxng.stop();
      }
    },
    RUN_TIMEOUT_MS + 10_000,
  );
});
