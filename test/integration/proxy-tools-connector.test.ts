/**
 * Anthropic's MCP connector against a local model: a request's `mcp_servers` (and `mcp_toolset`
 * entries) answered with `mcp_tool_use` / `mcp_tool_result` blocks as Anthropic documents them,
 * read by the official SDK's beta client, as JSON and as a stream.
 */
import { describe, expect, test } from "bun:test";
import Anthropic from "@anthropic-ai/sdk";
import type { Message } from "../../src/protocol/anthropic/messages";
import { checkAnthropicEventOrder } from "../support/check-anthropic-event-order";
import { startTestMcpServer, type TestMcpServer } from "../support/mcp-http-server";
import { readAnthropicEvents } from "../support/read-anthropic-events";
import { type StartedProxy, startProxy } from "../support/start-proxy";
import { postMessage } from "./proxy-test-client";
import { cleanUpAfterEach, type EngineRequest, startToolCallingEngine, toolNamesIn, toolResultsIn } from "./proxy-tools-test-kit";

const defer = cleanUpAfterEach();

const ADD = {
  name: "add",
  inputSchema: { type: "object", properties: { a: { type: "number" }, b: { type: "number" } } },
  run: async ({ a, b }: Record<string, unknown>) => String(Number(a) + Number(b)),
};
const SECRET = { name: "secret", run: async () => "42" };

/** Calls add(2, 3) once, then says what it got. */
const addOnce = (request: EngineRequest) => {
  const [result] = toolResultsIn(request);
  if (result) return { text: `The sum is ${result.content}.` };
  return { toolCalls: [{ name: "mcp__calc__add", args: { a: 2, b: 3 }, id: "call_add" }] };
};

async function setUp(
  overrides: Record<string, unknown> = {},
): Promise<{ mcp: TestMcpServer; proxy: StartedProxy; engine: ReturnType<typeof startToolCallingEngine> }> {
  const mcp = await startTestMcpServer([ADD, SECRET]);
  defer(() => mcp.stop());
  const engine = startToolCallingEngine(addOnce);
  defer(() => engine.stop());
  const proxy = await startProxy({ cache: { enabled: false }, ...overrides }, [{ url: engine.url, kind: "llamacpp", mode: "translate" }]);
  defer(() => proxy.stop());
  return { mcp, proxy, engine };
}

const engineRequests = (engine: ReturnType<typeof startToolCallingEngine>) =>
  engine.requestsTo("/v1/chat/completions").map((request) => request.body as EngineRequest);

function sdkFor(proxy: StartedProxy): Anthropic {
  return new Anthropic({ baseURL: proxy.url, apiKey: "unused", maxRetries: 0 });
}

describe("the MCP connector (mcp_servers)", () => {
  test("JSON, read by the official SDK: the documented blocks, the token sent as a bearer", async () => {
    const { mcp, proxy, engine } = await setUp();
    const message = await sdkFor(proxy).beta.messages.create({
      model: "claude-sonnet-5-5",
      max_tokens: 256,
      betas: ["mcp-client-2025-04-04"],
      messages: [{ role: "user", content: "What is 2 + 3?" }],
      mcp_servers: [{ type: "url", url: mcp.url, name: "calc", authorization_token: "sekret" }],
    });

    expect(message.content).toEqual([
      { type: "mcp_tool_use", id: "call_add", name: "add", server_name: "calc", input: { a: 2, b: 3 } },
      { type: "mcp_tool_result", tool_use_id: "call_add", is_error: false, content: [{ type: "text", text: "5" }] },
      { type: "text", text: "The sum is 5." },
    ] as never);
    expect(message.stop_reason).toBe("end_turn");
    expect(mcp.authorizations.length).toBeGreaterThan(0);
    expect(new Set(mcp.authorizations)).toEqual(new Set(["Bearer sekret"]));
    expect(toolNamesIn(engineRequests(engine)[0]!)).toEqual(["mcp__calc__add", "mcp__calc__secret"]);
  });

  test("streamed, assembled by the official SDK's stream reader into the same message", async () => {
    const { mcp, proxy } = await setUp();
    const stream = sdkFor(proxy).beta.messages.stream({
      model: "claude-sonnet-5-5",
      max_tokens: 256,
      betas: ["mcp-client-2025-11-20"],
      messages: [{ role: "user", content: "What is 2 + 3?" }],
      mcp_servers: [{ type: "url", url: mcp.url, name: "calc" }],
      tools: [{ type: "mcp_toolset", mcp_server_name: "calc", configs: { secret: { enabled: false } } }],
    });
    const message = await stream.finalMessage();
    expect(message.content.map((block) => block.type)).toEqual(["mcp_tool_use", "mcp_tool_result", "text"]);
    expect(message.content[0]).toEqual({
      type: "mcp_tool_use",
      id: "call_add",
      name: "add",
      server_name: "calc",
      input: { a: 2, b: 3 },
    } as never);
    expect(message.content[1]).toMatchObject({ type: "mcp_tool_result", tool_use_id: "call_add", is_error: false });
  });

  test("the raw stream keeps Anthropic's event order, and the tool list follows mcp_toolset and tool_configuration", async () => {
    const { mcp, proxy, engine } = await setUp();
    const response = await postMessage(proxy, {
      stream: true,
      mcp_servers: [{ type: "url", url: mcp.url, name: "calc", tool_configuration: { allowed_tools: ["add"] } }],
      tools: [{ type: "mcp_toolset", mcp_server_name: "calc", default_config: { enabled: true } }],
    });
    const events = await readAnthropicEvents(response);
    expect(checkAnthropicEventOrder(events)).toEqual([]);
    expect(toolNamesIn(engineRequests(engine)[0]!)).toEqual(["mcp__calc__add"]);
  });

  test("a server whose tools are turned off offers none", async () => {
    const { mcp, proxy, engine } = await setUp();
    const toolsOff = { type: "url", url: mcp.url, name: "calc", tool_configuration: { enabled: false } };
    await postMessage(proxy, { mcp_servers: [toolsOff] });
    expect(toolNamesIn(engine.requestsTo("/v1/chat/completions")[0]!.body as EngineRequest)).toEqual([]);
  });

  test("the next turn sends the blocks back, and the engine reads them as its own call and result", async () => {
    const { mcp, proxy, engine } = await setUp();
    const servers = [{ type: "url", url: mcp.url, name: "calc" }];
    const first = (await (await postMessage(proxy, { mcp_servers: servers })).json()) as Message;
    const messages = [
      { role: "user", content: "What is 2 + 3?" },
      { role: "assistant", content: first.content },
      { role: "user", content: "Thanks. And now?" },
    ];
    expect((await postMessage(proxy, { mcp_servers: servers, messages })).status).toBe(200);
    const sent = engineRequests(engine)[2]!;
    expect(sent.messages.map((message) => message.role)).toEqual(["user", "assistant", "tool", "assistant", "user"]);
    expect(sent.messages[1]!.tool_calls!.map((call) => call.function.name)).toEqual(["mcp__calc__add"]);
  });

  test("a server that cannot be reached is the client's 400, naming it", async () => {
    const { proxy } = await setUp();
    const response = await postMessage(proxy, { mcp_servers: [{ type: "url", url: "http://127.0.0.1:9/mcp", name: "gone" }] });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { type: string; message: string } };
    expect(body.error.type).toBe("invalid_request_error");
    expect(body.error.message).toStartWith('mcp_servers.0: could not connect to MCP server "gone" at http://127.0.0.1:9/mcp');
  });

  test("a malformed mcp_servers entry is a 400 naming the field", async () => {
    const { proxy } = await setUp();
    const response = await postMessage(proxy, { mcp_servers: [{ type: "url", name: "calc" }] });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { message: string } }).error.message).toBe("mcp_servers.0.url: Expected required property");
  });

  test("turned off in the config: the field is dropped with a warning, and no server is contacted", async () => {
    const { mcp, proxy, engine } = await setUp({ mcp: { connector: { enabled: false } } });
    const response = await postMessage(proxy, { mcp_servers: [{ type: "url", url: mcp.url, name: "calc" }] });
    expect(response.status).toBe(200);
    expect(mcp.authorizations).toEqual([]);
    expect(toolNamesIn(engineRequests(engine)[0]!)).toEqual([]);
    expect(proxy.logs.find((record) => record.msg === "messages")?.warnings).toContain("dropped-field@mcp_servers");
  });

  test("mcp.connector.allowedUrls: a server under none of its prefixes is the client's 400, and is never contacted", async () => {
    const { mcp, proxy } = await setUp({ mcp: { connector: { allowedUrls: ["https://mcp.example.com/"] } } });
    const response = await postMessage(proxy, { mcp_servers: [{ type: "url", url: mcp.url, name: "calc", authorization_token: "t" }] });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { type: string; message: string } };
    expect(body.error.type).toBe("invalid_request_error");
    expect(body.error.message).toBe(
      `mcp_servers.0: MCP server "calc" at ${mcp.url} is not connected to: it is not under any of mcp.connector.allowedUrls`,
    );
    expect(mcp.authorizations).toEqual([]);
  });

  test("mcp.connector.allowedUrls: a server under one of its prefixes is connected to", async () => {
    const mcp = await startTestMcpServer([ADD]);
    defer(() => mcp.stop());
    const engine = startToolCallingEngine(addOnce);
    defer(() => engine.stop());
    const allowed = { mcp: { connector: { allowedUrls: ["https://mcp.example.com/", `${new URL(mcp.url).origin}/`] } } };
    const proxy = await startProxy({ cache: { enabled: false }, ...allowed }, [{ url: engine.url, kind: "llamacpp", mode: "translate" }]);
    defer(() => proxy.stop());
    const response = await postMessage(proxy, { mcp_servers: [{ type: "url", url: mcp.url, name: "calc" }] });
    expect(response.status).toBe(200);
    expect(mcp.calls).toEqual([{ name: "add", args: { a: 2, b: 3 } }]);
  });
});
