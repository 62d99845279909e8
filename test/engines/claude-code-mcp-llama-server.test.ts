/**
 * Real-engine tier, end to end with an MCP server configured in anyclaude: the real Claude Code
 * CLI → anyclaude → a real llama-server serving the tool-caller model, which calls the MCP
 * server's tool (the real server-everything from npm, over stdio). anyclaude runs the call,
 * asks the model again with the result, and Claude Code gets the whole answer in one turn.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { everythingServer } from "../integration/proxy-tools-test-kit";
import { findLlamaServer } from "../support/engines";
import { TinyModelOutput } from "../support/generate-gguf";
import { runClaudeCode } from "../support/run-claude-code";
import { startProxy } from "../support/start-proxy";
import { LLAMA_SERVER_MISSING, startTinyLlamaServer, type TinyLlamaServer } from "./start-tiny-llama-server";

const binary = findLlamaServer();
if (!binary) console.log(LLAMA_SERVER_MISSING);

const CTX = 32768;
const RUN_TIMEOUT_MS = 170_000;
const TEST_TIMEOUT_MS = 180_000;

describe.skipIf(!binary)("Claude Code → anyclaude with an MCP server → real llama-server", () => {
  let dir: string;
  let engine: TinyLlamaServer;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "anyclaude-engines-mcp-"));
    engine = await startTinyLlamaServer({ dir, variant: "tool-caller", ctx: CTX });
  });

  afterAll(async () => {
    await engine?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  for (const mode of ["translate", "native"] as const) {
    test(
      `${mode} mode: the model calls the MCP server's echo tool; anyclaude runs it and the model answers with the result in view`,
      async () => {
        const proxy = await startProxy({ mcp: { servers: { everything: everythingServer({ tools: ["echo"] }) } } as never }, [
          { url: engine.url, kind: "llamacpp", mode },
        ]);
        try {
          // Claude Code offers one built-in tool of its own (so anyclaude adds the server's), not
          // Bash: the model calls Bash when offered, else the best-ranked name, here the MCP tool.
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
});
