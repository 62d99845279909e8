/**
 * The proxy-run tool loop's rules through the real server: client tool calls end it, the step
 * limit ends it with `pause_turn`, a tool that overruns its timeout is reported to the model,
 * a later step's failure is never retried (the stream ends with one error event), the first
 * step's still is, and the blocks a client sends back become tool calls the engine can read.
 */
import { describe, expect, test } from "bun:test";
import type { Message } from "../../src/protocol/anthropic/messages";
import { openAIError, openAIJson, openAIStream, startFakeOpenAIBackend } from "../support/fake-openai-backend";
import { llamaServerChunks, llamaServerCompletion } from "../support/fake-openai-chunks";
import { startTestMcpServer, type TestMcpTool } from "../support/mcp-http-server";
import { readAnthropicEvents } from "../support/read-anthropic-events";
import { type StartedProxy, startProxy } from "../support/start-proxy";
import { postMessage } from "./proxy-test-client";
import {
  blockTypes,
  CLIENT_TOOL,
  cleanUpAfterEach,
  type EngineRequest,
  startToolCallingEngine,
  toolResultsIn,
} from "./proxy-tools-test-kit";

const defer = cleanUpAfterEach();

const LOOKUP: TestMcpTool = {
  name: "lookup",
  inputSchema: { type: "object", properties: { key: { type: "string" } } },
  run: async ({ key }) => `value of ${key}`,
};

async function startWith(
  engineUrl: string,
  tools: TestMcpTool[],
  overrides: Record<string, unknown> = {},
  server: Record<string, unknown> = {},
) {
  const mcp = await startTestMcpServer(tools);
  defer(() => mcp.stop());
  const proxy: StartedProxy = await startProxy(
    { mcp: { servers: { kb: { url: mcp.url, ...server } } } as never, cache: { enabled: false }, retry: { maxAttempts: 1 }, ...overrides },
    [{ url: engineUrl, kind: "llamacpp", mode: "translate" }],
  );
  defer(() => proxy.stop());
  return { mcp, proxy };
}

function engine(plan: Parameters<typeof startToolCallingEngine>[0]) {
  const started = startToolCallingEngine(plan);
  defer(() => started.stop());
  return started;
}

const requestsOf = (backend: { requestsTo(path: string): Array<{ body: unknown }> }) =>
  backend.requestsTo("/v1/chat/completions").map((request) => request.body as EngineRequest);

describe("what ends the loop", () => {
  test("a call of the client's own tool goes to the client as usual, after the proxy's calls of that step ran", async () => {
    const backend = engine(() => ({
      toolCalls: [
        { name: "mcp__kb__lookup", args: { key: "a" }, id: "call_kb" },
        { name: "Bash", args: { command: "ls" }, id: "call_bash" },
      ],
    }));
    const { mcp, proxy } = await startWith(backend.url, [LOOKUP]);

    const message = (await (await postMessage(proxy, { tools: [CLIENT_TOOL] })).json()) as Message;
    expect(blockTypes(message)).toEqual(["mcp_tool_use", "tool_use", "mcp_tool_result"]);
    expect(message.content[1]).toEqual({ type: "tool_use", id: "call_bash", name: "Bash", input: { command: "ls" } });
    expect(message.stop_reason).toBe("tool_use");
    expect(requestsOf(backend)).toHaveLength(1);
    expect(mcp.calls).toEqual([{ name: "lookup", args: { key: "a" } }]);
  });

  test("the next turn sends the blocks back; the engine reads them as its own calls with their results", async () => {
    const backend = engine(() => ({ text: "Listed." }));
    const { proxy } = await startWith(backend.url, [LOOKUP]);
    const previous = [
      { type: "mcp_tool_use", id: "call_kb", name: "lookup", server_name: "kb", input: { key: "a" } },
      { type: "tool_use", id: "call_bash", name: "Bash", input: { command: "ls" } },
      { type: "mcp_tool_result", tool_use_id: "call_kb", is_error: false, content: [{ type: "text", text: "value of a" }] },
    ];
    const messages = [
      { role: "user", content: "Look a up, then list." },
      { role: "assistant", content: previous },
      { role: "user", content: [{ type: "tool_result", tool_use_id: "call_bash", content: "file.txt" }] },
    ];
    expect((await postMessage(proxy, { tools: [CLIENT_TOOL], messages })).status).toBe(200);

    const [sent] = requestsOf(backend);
    const assistant = sent!.messages.find((message) => message.role === "assistant")!;
    expect(assistant.tool_calls!.map((call) => [call.id, call.function.name])).toEqual([
      ["call_kb", "mcp__kb__lookup"],
      ["call_bash", "Bash"],
    ]);
    expect(toolResultsIn(sent!)).toEqual([
      { id: "call_kb", content: "value of a" },
      { id: "call_bash", content: "file.txt" },
    ]);
  });

  test("at the step limit the answer ends with pause_turn, every step's blocks in it", async () => {
    const backend = engine((_request, index) => ({
      toolCalls: [{ name: "mcp__kb__lookup", args: { key: String(index) }, id: `call_${index}` }],
    }));
    const { proxy } = await startWith(backend.url, [LOOKUP], { proxyTools: { maxSteps: 2 } });

    const message = (await (await postMessage(proxy, { tools: [CLIENT_TOOL] })).json()) as Message;
    expect(blockTypes(message)).toEqual(["mcp_tool_use", "mcp_tool_result", "mcp_tool_use", "mcp_tool_result"]);
    expect(message.stop_reason).toBe("pause_turn");
    expect(requestsOf(backend)).toHaveLength(2);
  });

  test("a tool that overruns its timeout is reported to the model as an error result", async () => {
    const slow: TestMcpTool = { name: "slow", run: () => new Promise((resolve) => setTimeout(() => resolve("late"), 5_000)) };
    const backend = engine((request) => {
      const [result] = toolResultsIn(request);
      return result ? { text: result.content } : { toolCalls: [{ name: "mcp__kb__slow", args: {}, id: "call_slow" }] };
    });
    const { proxy } = await startWith(backend.url, [slow], {}, { toolTimeoutsMs: { slow: 100 } });

    const message = (await (await postMessage(proxy, { tools: [CLIENT_TOOL] })).json()) as Message;
    expect(message.content[1]).toMatchObject({ type: "mcp_tool_result", is_error: true });
    // The engine read the result as an error (the translation marks it so) and said what it read.
    expect(message.content[2]).toEqual({ type: "text", text: "Error: Tool mcp__kb__slow did not finish within 100 ms." });
  });
});

describe("retries", () => {
  /** Step 0 calls the tool; step 1 fails as the engine answers 500. */
  function failingSecondStep() {
    const backend = startFakeOpenAIBackend((recorded, index) => {
      if (index > 0) return openAIError(500, "the engine broke");
      const reply = {
        toolCalls: [{ name: "mcp__kb__lookup", args: { key: "a" }, id: "call_kb" }],
        usage: { promptTokens: 10, completionTokens: 5 },
      };
      return (recorded.body as EngineRequest).stream ? openAIStream(llamaServerChunks(reply)) : openAIJson(llamaServerCompletion(reply));
    });
    defer(() => backend.stop());
    return backend;
  }

  test("a later step's failure ends the stream with one error event and is not retried", async () => {
    const backend = failingSecondStep();
    const { proxy } = await startWith(backend.url, [LOOKUP], { retry: { maxAttempts: 3, baseMs: 1, maxMs: 1 } });

    const response = await postMessage(proxy, { tools: [CLIENT_TOOL], stream: true });
    expect(response.status).toBe(200);
    const events = (await readAnthropicEvents(response)) as Array<{ type: string }>;
    expect(events.filter((event) => event.type === "error")).toHaveLength(1);
    expect(events.at(-1)!.type).toBe("error");
    expect(events.filter((event) => event.type === "message_stop")).toHaveLength(0);
    expect(requestsOf(backend)).toHaveLength(2);
  });

  test("as JSON, a later step's failure is the answer's error, not retried", async () => {
    const backend = failingSecondStep();
    const { proxy } = await startWith(backend.url, [LOOKUP], { retry: { maxAttempts: 3, baseMs: 1, maxMs: 1 } });

    const response = await postMessage(proxy, { tools: [CLIENT_TOOL] });
    expect(response.status).toBe(502);
    expect(await response.json()).toMatchObject({ type: "error", error: { type: "api_error" } });
    expect(requestsOf(backend)).toHaveLength(2);
  });

  test("the first step's failure before its first byte is retried as any request's", async () => {
    const backend = startFakeOpenAIBackend((recorded, index) => {
      if (index === 0) return openAIError(500, "warming up");
      const request = recorded.body as EngineRequest;
      const reply =
        toolResultsIn(request).length > 0
          ? { text: "done" }
          : { toolCalls: [{ name: "mcp__kb__lookup", args: { key: "a" }, id: "call_kb" }] };
      return request.stream ? openAIStream(llamaServerChunks(reply)) : openAIJson(llamaServerCompletion(reply));
    });
    defer(() => backend.stop());
    const { proxy } = await startWith(backend.url, [LOOKUP], { retry: { maxAttempts: 2, baseMs: 1, maxMs: 1 } });

    const message = (await (await postMessage(proxy, { tools: [CLIENT_TOOL], stream: false })).json()) as Message;
    expect(blockTypes(message)).toEqual(["mcp_tool_use", "mcp_tool_result", "text"]);
    expect(requestsOf(backend)).toHaveLength(3);
  });
});
