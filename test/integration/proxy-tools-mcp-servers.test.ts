/**
 * MCP servers from the configuration, end to end: the real server-everything from npm over
 * stdio and a streamable-HTTP server built with the SDK, a loopback engine that calls their
 * tools, and the real anyclaude running the calls and asking the engine again.
 */
import { describe, expect, test } from "bun:test";
import type { Message } from "../../src/protocol/anthropic/messages";
import { checkAnthropicEventOrder } from "../support/check-anthropic-event-order";
import { startTestMcpServer } from "../support/mcp-http-server";
import { describeEventSequence, readAnthropicEvents } from "../support/read-anthropic-events";
import { type StartedProxy, startProxy } from "../support/start-proxy";
import { postMessage } from "./proxy-test-client";
import {
  blockTypes,
  CLIENT_TOOL,
  cleanUpAfterEach,
  type EngineRequest,
  everythingServer,
  startToolCallingEngine,
  toolNamesIn,
  toolResultsIn,
} from "./proxy-tools-test-kit";

const defer = cleanUpAfterEach();

type Engine = ReturnType<typeof startToolCallingEngine>;

async function startWith(engine: Engine, mcp: Record<string, unknown>, overrides: Record<string, unknown> = {}): Promise<StartedProxy> {
  defer(() => engine.stop());
  const proxy = await startProxy({ mcp: mcp as never, cache: { enabled: false }, ...overrides }, [
    { url: engine.url, kind: "llamacpp", mode: "translate" },
  ]);
  defer(() => proxy.stop());
  return proxy;
}

const engineRequests = (engine: Engine) => engine.requestsTo("/v1/chat/completions").map((request) => request.body as EngineRequest);

/** Calls echo once, then answers with what it got back. */
const echoOnce = (request: EngineRequest) => {
  const [result] = toolResultsIn(request);
  if (result) return { text: `The server said: ${result.content}` };
  return { toolCalls: [{ name: "mcp__everything__echo", args: { message: "hi" }, id: "call_echo" }] };
};

describe("a configured stdio MCP server (server-everything)", () => {
  test("its tools are offered beside the client's, and a call is run and answered as Anthropic's MCP blocks (JSON)", async () => {
    const engine = startToolCallingEngine(echoOnce);
    const proxy = await startWith(engine, { servers: { everything: everythingServer({ tools: ["echo", "get-sum"] }) } });

    const response = await postMessage(proxy, { tools: [CLIENT_TOOL] });
    expect(response.status).toBe(200);
    const message = (await response.json()) as Message;

    expect(blockTypes(message)).toEqual(["mcp_tool_use", "mcp_tool_result", "text"]);
    expect(message.content[0]).toEqual({
      type: "mcp_tool_use",
      id: "call_echo",
      name: "echo",
      server_name: "everything",
      input: { message: "hi" },
    });
    expect(message.content[1]).toEqual({
      type: "mcp_tool_result",
      tool_use_id: "call_echo",
      is_error: false,
      content: [{ type: "text", text: "Echo: hi" }],
    });
    expect(message.content[2]).toEqual({ type: "text", text: "The server said: Echo: hi" });
    expect(message.stop_reason).toBe("end_turn");
    // Both model calls' usage: 100 + 101 prompt tokens, 10 + 10 output tokens.
    expect(message.usage.input_tokens).toBe(201);
    expect(message.usage.output_tokens).toBe(20);

    const [first, second] = engineRequests(engine);
    expect(toolNamesIn(first!)).toEqual(["Bash", "mcp__everything__echo", "mcp__everything__get-sum"]);
    expect(toolResultsIn(second!)).toEqual([{ id: "call_echo", content: "Echo: hi" }]);
    const health = (await (await fetch(`${proxy.url}/health`)).json()) as { mcp_servers: unknown };
    expect(health.mcp_servers).toEqual([{ name: "everything", state: "up", tools: 2 }]);
    const log = proxy.logs.find((record) => record.msg === "messages");
    expect(log).toMatchObject({ toolSteps: 2, toolCalls: 1, toolErrors: 0 });
  });

  test("streamed: one message_start and message_stop, the tool's blocks whole in between, indexes continuing across steps", async () => {
    const engine = startToolCallingEngine(echoOnce);
    const proxy = await startWith(engine, { servers: { everything: everythingServer({ tools: ["echo"] }) } });

    const events = await readAnthropicEvents(await postMessage(proxy, { tools: [CLIENT_TOOL], stream: true }));
    expect(checkAnthropicEventOrder(events)).toEqual([]);
    expect(describeEventSequence(events).filter((type) => type !== "ping")).toEqual([
      "message_start",
      "content_block_start",
      "content_block_stop",
      "content_block_start",
      "content_block_stop",
      "content_block_start",
      "content_block_delta:text_delta",
      "content_block_delta:text_delta",
      "content_block_delta:text_delta",
      "content_block_stop",
      "message_delta",
      "message_stop",
    ]);
    const starts = events.flatMap((event) => (event.type === "content_block_start" ? [event] : []));
    expect(starts.map((event) => event.index)).toEqual([0, 1, 2]);
    // Sent whole, input included, once the model's call was complete.
    expect(starts[0]!.content_block).toEqual({
      type: "mcp_tool_use",
      id: "call_echo",
      name: "echo",
      server_name: "everything",
      input: { message: "hi" },
    });
    expect(starts[1]!.content_block).toEqual({
      type: "mcp_tool_result",
      tool_use_id: "call_echo",
      is_error: false,
      content: [{ type: "text", text: "Echo: hi" }],
    });
    const delta = events.find((event) => event.type === "message_delta");
    expect(delta).toMatchObject({ delta: { stop_reason: "end_turn" }, usage: { input_tokens: 201, output_tokens: 20 } });
  });

  test("a request without tools of its own (a side call) is offered none of the server's", async () => {
    const engine = startToolCallingEngine(() => ({ text: "A title" }));
    const proxy = await startWith(engine, { servers: { everything: everythingServer({ tools: ["echo"] }) } });
    const message = (await (await postMessage(proxy)).json()) as Message;
    expect(blockTypes(message)).toEqual(["text"]);
    expect(toolNamesIn(engineRequests(engine)[0]!)).toEqual([]);
  });
});

describe("a configured streamable-HTTP MCP server", () => {
  test("its headers go with every message, a secret one read from the environment; a missing variable stops start-up", async () => {
    const mcp = await startTestMcpServer([{ name: "first", run: async () => "1" }]);
    defer(() => mcp.stop());
    const engine = startToolCallingEngine(() => ({ text: "ok" }));
    defer(() => engine.stop());
    const servers = { calc: { url: mcp.url, headers: { "x-team": "tools" }, headersFromEnv: { authorization: "CALC_TOKEN" } } };
    const backends = [{ url: engine.url, kind: "llamacpp" as const, mode: "translate" as const }];
    await expect(startProxy({ mcp: { servers } as never }, backends)).rejects.toThrow(
      "mcp.servers.calc.headersFromEnv.authorization: environment variable CALC_TOKEN is not set",
    );

    const proxy = await startProxy({ mcp: { servers } as never }, backends, { env: { CALC_TOKEN: "Bearer t0k" } });
    defer(() => proxy.stop());
    expect(mcp.authorizations.length).toBeGreaterThan(0);
    expect(new Set(mcp.authorizations)).toEqual(new Set(["Bearer t0k"]));
  });

  test("parallel calls in one step run at the same time, and the engine gets every result", async () => {
    let release!: () => void;
    const bothStarted = new Promise<void>((resolve) => (release = resolve));
    let started = 0;
    const mcp = await startTestMcpServer([
      {
        name: "slow_double",
        inputSchema: { type: "object", properties: { n: { type: "number" } } },
        async run({ n }) {
          // Neither call finishes before both have started: run one after the other, this would hang.
          if (++started === 2) release();
          await bothStarted;
          return String(Number(n) * 2);
        },
      },
    ]);
    defer(() => mcp.stop());
    const engine = startToolCallingEngine((request) => {
      const results = toolResultsIn(request);
      if (results.length > 0) return { text: results.map((result) => result.content).join(",") };
      return {
        toolCalls: [
          { name: "mcp__calc__slow_double", args: { n: 2 }, id: "call_a" },
          { name: "mcp__calc__slow_double", args: { n: 5 }, id: "call_b" },
        ],
      };
    });
    const proxy = await startWith(engine, { servers: { calc: { url: mcp.url } } });

    const message = (await (await postMessage(proxy, { tools: [CLIENT_TOOL] })).json()) as Message;
    expect(blockTypes(message)).toEqual(["mcp_tool_use", "mcp_tool_use", "mcp_tool_result", "mcp_tool_result", "text"]);
    expect(message.content[4]).toEqual({ type: "text", text: "4,10" });
    expect(mcp.maxConcurrentCalls()).toBe(2);
  });

  test("a tool added later is offered once the server says its list changed", async () => {
    const mcp = await startTestMcpServer([{ name: "first", run: async () => "1" }]);
    defer(() => mcp.stop());
    const engine = startToolCallingEngine(() => ({ text: "ok" }));
    const proxy = await startWith(engine, { servers: { calc: { url: mcp.url } } });

    await postMessage(proxy, { tools: [CLIENT_TOOL] });
    expect(toolNamesIn(engineRequests(engine)[0]!)).toEqual(["Bash", "mcp__calc__first"]);

    await mcp.setTools([
      { name: "first", run: async () => "1" },
      { name: "second", run: async () => "2" },
    ]);
    await waitFor(() => proxy.logs.some((record) => record.msg === "MCP server's tools changed"));
    await postMessage(proxy, { tools: [CLIENT_TOOL] });
    expect(toolNamesIn(engineRequests(engine)[1]!)).toEqual(["Bash", "mcp__calc__first", "mcp__calc__second"]);
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  while (!condition()) await Bun.sleep(10);
}
