/**
 * The real Claude Code CLI (2.1.332, `claude -p`) through anyclaude against scripted loopback
 * engines, in translate mode (fake llama-server) and native mode (fake Anthropic-style engine):
 * a Bash tool round trip that really runs, what the engine receives, and how Claude Code
 * reacts to a stream cut mid-way and to a context overflow.
 */
import { afterEach, describe, expect, test } from "bun:test";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { MessageCreateParams, TextBlockParam, ToolResultBlockParam } from "../../src/protocol/anthropic/messages";
import { anthropicJson, anthropicStream, startFakeAnthropicBackend } from "../support/fake-anthropic-backend";
import { anthropicMessageBody, anthropicMessageEvents } from "../support/fake-anthropic-events";
import { llamaServerContextOverflow, openAIJson, openAIStream, startFakeOpenAIBackend } from "../support/fake-openai-backend";
import { llamaServerChunks, llamaServerCompletion, roleChunk, textChunks } from "../support/fake-openai-chunks";
import { type ClaudeCodeRun, runClaudeCode } from "../support/run-claude-code";
import { type ProxyBackend, type StartedProxy, startProxy } from "../support/start-proxy";

const RUN_TIMEOUT_MS = 45_000;
const TEST_TIMEOUT_MS = 60_000;
const LOCAL_MODEL = "qwen3-coder-30b-a3b";
/** Writing a file needs Bash to really run in Claude Code's working directory; "done" is what it prints. */
const COMMAND = "echo anyclaude-e2e > marker.txt && echo done";
const FINAL_TEXT = "The marker file is written. Done.";

let cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

interface Setup {
  proxy: StartedProxy;
  cwd: string;
}

async function startSetup(backend: { url: string; stop(): Promise<void> }, entry: Omit<ProxyBackend, "url">): Promise<Setup> {
  cleanups.push(() => backend.stop());
  const proxy = await startProxy({}, [{ url: backend.url, ...entry }]);
  cleanups.push(() => proxy.stop());
  const cwd = await mkdtemp(join(tmpdir(), "anyclaude-e2e-"));
  cleanups.push(() => rm(cwd, { recursive: true, force: true }));
  return { proxy, cwd };
}

function runThrough(setup: Setup, prompt: string): Promise<ClaudeCodeRun> {
  return runClaudeCode({ baseUrl: setup.proxy.url, prompt, cwd: setup.cwd, timeoutMs: RUN_TIMEOUT_MS });
}

async function readMarker(cwd: string): Promise<string | undefined> {
  const file = Bun.file(join(cwd, "marker.txt"));
  return (await file.exists()) ? file.text() : undefined;
}

/** The run's outcome in one value, so a failure shows Claude Code's own words. */
function outcome(run: ClaudeCodeRun) {
  return { exitCode: run.exitCode, timedOut: run.timedOut, stderr: run.stderr, isError: run.json?.is_error, result: run.json?.result };
}

function systemText(system: MessageCreateParams["system"]): string {
  if (system === undefined) return "";
  return typeof system === "string" ? system : system.map((block: TextBlockParam) => block.text).join("\n");
}

type ChatBody = {
  model: string;
  stream?: boolean;
  max_tokens?: number;
  messages: Array<{
    role: string;
    content: unknown;
    tool_call_id?: string;
    tool_calls?: Array<{ id: string; function: { name: string; arguments: string } }>;
  }>;
  tools?: Array<{ type: string; function: { name: string } }>;
  [field: string]: unknown;
};

describe("translate mode (OpenAI chat completions to a llama-server)", () => {
  test(
    "Claude Code runs a streamed Bash tool call and gets the final text back",
    async () => {
      const backend = startFakeOpenAIBackend([
        openAIStream(
          llamaServerChunks({
            text: "Writing the marker.",
            toolCalls: [{ name: "Bash", id: "call_e2e_bash_1", args: { command: COMMAND, description: "Write a marker file" } }],
            pieces: 4,
            usage: { promptTokens: 9000, completionTokens: 30 },
          }),
        ),
        openAIStream(llamaServerChunks({ text: FINAL_TEXT, usage: { promptTokens: 9100, completionTokens: 8, cachedTokens: 9000 } })),
      ]);
      const setup = await startSetup(backend, { kind: "llamacpp", mode: "translate" });

      const run = await runThrough(setup, "write the marker file");

      expect(outcome(run)).toEqual({ exitCode: 0, timedOut: false, stderr: "", isError: false, result: FINAL_TEXT });
      expect(run.json?.num_turns).toBe(2);
      expect(await readMarker(setup.cwd)).toBe("anyclaude-e2e\n");

      const [first, second, ...extra] = backend.requestsTo("/v1/chat/completions").map((request) => request.body as ChatBody);
      expect(extra).toEqual([]);
      expect(first).toMatchObject({ model: LOCAL_MODEL, stream: true });
      for (const field of ["metadata", "context_management", "user"]) expect(Object.keys(first!)).not.toContain(field);
      expect(backend.requests[0]!.rawBody.includes("x-anthropic-billing-header")).toBe(false);
      // The environment block Claude Code sends as a role:"system" message ends up in the one system turn, first.
      expect(first!.messages.map((message) => message.role)).toEqual(["system", "user"]);
      expect(String(first!.messages[0]!.content)).toContain("You are a Claude agent");
      expect(String(first!.messages[0]!.content)).toContain(`Primary working directory: ${setup.cwd}`);
      const toolNames = first!.tools!.map((tool) => tool.function.name);
      expect(toolNames).toContain("Bash");
      expect(toolNames).not.toContain("DeferredToolPlaceholder");

      expect(second!.messages.map((message) => message.role)).toEqual(["system", "user", "assistant", "tool"]);
      const call = second!.messages[2]!.tool_calls?.[0];
      expect(call?.id).toBe("call_e2e_bash_1");
      expect(call?.function.name).toBe("Bash");
      expect(JSON.parse(call!.function.arguments)).toMatchObject({ command: COMMAND });
      expect(second!.messages[3]).toEqual({ role: "tool", tool_call_id: "call_e2e_bash_1", content: "done" });
    },
    TEST_TIMEOUT_MS,
  );

  test(
    "a stream cut mid-way: Claude Code falls back to one non-streaming request, which the proxy answers as JSON",
    async () => {
      const backend = startFakeOpenAIBackend(
        [
          openAIStream([roleChunk(), ...textChunks("Half an ans", 2)], { end: "cut" }),
          openAIJson(llamaServerCompletion({ text: "Answer from the retry.", usage: { promptTokens: 9000, completionTokens: 5 } })),
          // A window that holds Claude Code's max_tokens, so that the context step sends them unchanged.
        ],
        { contextWindow: 262_144 },
      );
      const setup = await startSetup(backend, { kind: "llamacpp", mode: "translate" });

      const run = await runThrough(setup, "say hi");

      expect(outcome(run)).toEqual({ exitCode: 0, timedOut: false, stderr: "", isError: false, result: "Answer from the retry." });
      const bodies = backend.requestsTo("/v1/chat/completions").map((request) => request.body as ChatBody);
      // Claude Code 2.1.332 does not retry the stream: its fallback asks for stream:false with max_tokens 64000.
      expect(bodies.map((body) => [body.stream, body.max_tokens])).toEqual([
        [true, 128000],
        [false, 64000],
      ]);
      const outcomes = setup.proxy.logs.filter((record) => record.msg === "messages").map((record) => String(record.outcome));
      expect(outcomes).toHaveLength(2);
      expect(outcomes[0]).toStartWith("failed mid-stream");
      expect(outcomes[1]).toBe("completed");
    },
    TEST_TIMEOUT_MS,
  );

  test(
    "a context overflow on a single exchange: Claude Code reports 'Prompt is too long' and exits 1 without compacting",
    async () => {
      const backend = startFakeOpenAIBackend(openAIJson(llamaServerContextOverflow(40_312, 32_768), 400));
      const setup = await startSetup(backend, { kind: "llamacpp", mode: "translate" });

      const run = await runThrough(setup, "say hi");

      expect({ exitCode: run.exitCode, timedOut: run.timedOut, isError: run.json?.is_error }).toEqual({
        exitCode: 1,
        timedOut: false,
        isError: true,
      });
      expect(run.json?.result).toStartWith("Prompt is too long");
      expect(run.json).toMatchObject({
        terminal_reason: "prompt_too_long",
        api_error_status: 400,
        api_error_type: "invalid_request_error",
      });
      expect(backend.requestsTo("/v1/chat/completions")).toHaveLength(1);
    },
    TEST_TIMEOUT_MS,
  );

  test(
    "a context overflow after a tool turn: Claude Code compacts the conversation and carries on",
    async () => {
      const summary = "The user asked for a marker file; Bash wrote it.";
      const backend = startFakeOpenAIBackend([
        openAIStream(llamaServerChunks({ toolCalls: [{ name: "Bash", id: "call_e2e_bash_1", args: { command: COMMAND } }] })),
        openAIJson(llamaServerContextOverflow(40_312, 32_768), 400),
        openAIStream(llamaServerChunks({ text: `<analysis>One command ran.</analysis>\n<summary>${summary}</summary>` })),
        openAIStream(llamaServerChunks({ text: FINAL_TEXT })),
      ]);
      const setup = await startSetup(backend, { kind: "llamacpp", mode: "translate" });

      const run = await runThrough(setup, "write the marker file");

      expect(outcome(run)).toEqual({ exitCode: 0, timedOut: false, stderr: "", isError: false, result: FINAL_TEXT });
      const bodies = backend.requestsTo("/v1/chat/completions").map((request) => request.body as ChatBody);
      expect(bodies.map((body) => body.messages.map((message) => message.role).join(","))).toEqual([
        "system,user",
        "system,user,assistant,tool",
        // The compaction request: the whole conversation plus a summarizing instruction.
        "system,user,assistant,tool,user",
        // The resumed conversation starts over from the summary.
        "system,user",
      ]);
      expect(JSON.stringify(bodies[2]!.messages.at(-1)!.content)).toContain("<summary>");
      expect(JSON.stringify(bodies[3]!.messages.at(-1)!.content)).toContain(summary);
    },
    TEST_TIMEOUT_MS,
  );
});

describe("native mode (Anthropic Messages to the engine's own /v1/messages)", () => {
  test(
    "Claude Code runs a streamed Bash tool_use and gets the final text back",
    async () => {
      const backend = startFakeAnthropicBackend(
        [
          anthropicStream(
            anthropicMessageEvents({
              blocks: [
                { type: "text", text: "Writing the marker." },
                { type: "tool_use", id: "toolu_e2e_bash_1", name: "Bash", input: { command: COMMAND, description: "Write a marker file" } },
              ],
              model: LOCAL_MODEL,
              pieces: 4,
            }),
          ),
          anthropicStream(anthropicMessageEvents({ blocks: [{ type: "text", text: FINAL_TEXT }], model: LOCAL_MODEL })),
        ],
        { model: LOCAL_MODEL },
      );
      const setup = await startSetup(backend, { kind: "anthropic", mode: "native" });

      const run = await runThrough(setup, "write the marker file");

      expect(outcome(run)).toEqual({ exitCode: 0, timedOut: false, stderr: "", isError: false, result: FINAL_TEXT });
      expect(run.json?.num_turns).toBe(2);
      expect(await readMarker(setup.cwd)).toBe("anyclaude-e2e\n");

      const requests = backend.requestsTo("/v1/messages");
      expect(requests).toHaveLength(2);
      const [first, second] = requests.map((request) => request.body as MessageCreateParams);
      expect(first).toMatchObject({ model: LOCAL_MODEL, stream: true });
      expect(Object.keys(first!)).not.toContain("metadata");
      expect(Object.keys(first!)).not.toContain("context_management");
      expect(requests[0]!.rawBody.includes("x-anthropic-billing-header")).toBe(false);
      // Claude Code's own key is for Anthropic; it never reaches the engine.
      expect(JSON.stringify(requests.map((request) => request.headers))).not.toContain("sk-test");
      expect(first!.messages.map((message) => message.role)).toEqual(["user"]);
      expect(systemText(first!.system)).toContain(`Primary working directory: ${setup.cwd}`);
      const toolNames = (first!.tools ?? []).map((tool) => (tool as { name: string }).name);
      expect(toolNames).toContain("Bash");
      expect(toolNames).not.toContain("DeferredToolPlaceholder");

      const results = second!.messages.flatMap((message) =>
        Array.isArray(message.content)
          ? message.content.filter((block): block is ToolResultBlockParam => block.type === "tool_result")
          : [],
      );
      expect(results.map((result) => [result.tool_use_id, result.content, result.is_error])).toEqual([["toolu_e2e_bash_1", "done", false]]);
    },
    TEST_TIMEOUT_MS,
  );

  test(
    "a stream cut mid-way: Claude Code falls back to one non-streaming request, which the proxy answers as JSON",
    async () => {
      const events = anthropicMessageEvents({ blocks: [{ type: "text", text: "Half an answer" }], model: LOCAL_MODEL });
      const backend = startFakeAnthropicBackend(
        [
          anthropicStream(events.slice(0, 4), { end: "cut" }),
          anthropicJson(anthropicMessageBody({ blocks: [{ type: "text", text: "Answer from the retry." }], model: LOCAL_MODEL })),
        ],
        { model: LOCAL_MODEL },
      );
      const setup = await startSetup(backend, { kind: "anthropic", mode: "native" });

      const run = await runThrough(setup, "say hi");

      expect(outcome(run)).toEqual({ exitCode: 0, timedOut: false, stderr: "", isError: false, result: "Answer from the retry." });
      const bodies = backend.requestsTo("/v1/messages").map((request) => request.body as MessageCreateParams);
      expect(bodies.map((body) => [body.stream, body.max_tokens])).toEqual([
        [true, 128000],
        [false, 64000],
      ]);
    },
    TEST_TIMEOUT_MS,
  );
});
