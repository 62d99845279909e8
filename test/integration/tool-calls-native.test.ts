/**
 * Tool calls through the real server in native mode, against a scripted engine that speaks
 * Anthropic /v1/messages itself: a call written as text becomes tool_use, an invalid call is
 * checked, mended where it can be and re-asked once before it goes out, as in translate mode;
 * an Anthropic upstream's answer passes as it is.
 */
import { afterEach, describe, expect, test } from "bun:test";
import type { Message } from "../../src/protocol/anthropic/messages";
import { checkAnthropicEventOrder } from "../support/check-anthropic-event-order";
import {
  anthropicError,
  anthropicJson,
  anthropicStream,
  type FakeAnthropicBackend,
  startFakeAnthropicBackend,
} from "../support/fake-anthropic-backend";
import { anthropicMessageBody, anthropicMessageEvents, type FakeAnthropicMessage } from "../support/fake-anthropic-events";
import type { FakeScript } from "../support/fake-backend-server";
import { readAnthropicEvents, readStreamedText, readToolUses } from "../support/read-anthropic-events";
import { type StartedProxy, startProxy } from "../support/start-proxy";
import { CASE_TOOLS, HERMES_BASH_CALL, postToolRequest } from "../support/text-form-calls";

let engine: FakeAnthropicBackend | undefined;
let proxy: StartedProxy | undefined;

afterEach(async () => {
  await proxy?.stop();
  await engine?.stop();
  proxy = engine = undefined;
});

async function start(script: FakeScript, kind: "llamacpp" | "anthropic" = "llamacpp", tools: Record<string, unknown> = {}) {
  engine = startFakeAnthropicBackend(script, { kind });
  proxy = await startProxy({ retry: { maxAttempts: 1 }, tools }, [{ id: "engine", url: engine.url, kind, mode: "native" }]);
}

const metricsText = async () => (await fetch(`${proxy!.url}/metrics`)).text();

const INVALID: FakeAnthropicMessage = {
  blocks: [
    { type: "text", text: "Let me look." },
    { type: "tool_use", name: "Bash", input: { timeout: 5 } },
  ],
  outputTokens: 9,
  pieces: 3,
};
const FIXED: FakeAnthropicMessage = {
  blocks: [{ type: "tool_use", name: "Bash", input: { command: "ls", timeout: 5 } }],
  inputTokens: 60,
  outputTokens: 11,
};

describe("calls a model wrote as text", () => {
  test("a local engine's text-form call becomes tool_use there too, checked and mended", async () => {
    await start(
      anthropicStream(anthropicMessageEvents({ blocks: [{ type: "text", text: HERMES_BASH_CALL }], stopReason: "end_turn", pieces: 9 })),
    );
    const events = await readAnthropicEvents(await postToolRequest(proxy!.url, true));
    expect(checkAnthropicEventOrder(events)).toEqual([]);
    expect(readToolUses(events)).toEqual([{ name: "Bash", input: { command: "ls", timeout: 5000 } }]);
    expect(events.at(-2)).toMatchObject({ type: "message_delta", delta: { stop_reason: "tool_use" } });
  });

  test("an Anthropic upstream's answer passes as it is", async () => {
    await start(
      anthropicStream(anthropicMessageEvents({ blocks: [{ type: "text", text: HERMES_BASH_CALL }], stopReason: "end_turn" })),
      "anthropic",
    );
    const events = await readAnthropicEvents(await postToolRequest(proxy!.url, true));
    expect(readToolUses(events)).toEqual([]);
  });
});

describe("a call that fails its schema", () => {
  test("stream: the engine is asked once more with the validator's message; only the fixed call goes out, in one message", async () => {
    await start([anthropicStream(anthropicMessageEvents(INVALID)), anthropicStream(anthropicMessageEvents(FIXED))]);
    const events = await readAnthropicEvents(await postToolRequest(proxy!.url, true));
    expect(checkAnthropicEventOrder(events)).toEqual([]);
    expect(events.filter((event) => event.type === "message_start")).toHaveLength(1);
    expect(readToolUses(events)).toEqual([{ name: "Bash", input: { command: "ls", timeout: 5 } }]);
    const text = readStreamedText(events);
    expect(text).toBe("Let me look.");
    expect(events.at(-2)).toMatchObject({ type: "message_delta", delta: { stop_reason: "tool_use" }, usage: { output_tokens: 20 } });

    const [, second] = engine!.requestsTo("/v1/messages");
    const messages = (second!.body as Pick<Message, "content">[] & { messages: Array<{ role: string; content: unknown }> }).messages;
    expect(messages.at(-2)).toMatchObject({
      role: "assistant",
      content: [
        { type: "text", text: "Let me look." },
        { type: "tool_use", name: "Bash", input: { timeout: 5 } },
      ],
    });
    expect(JSON.stringify(messages.at(-1))).toContain('Instance does not have required property \\"command\\"');
    expect(await metricsText()).toContain('anyclaude_tool_call_fixes_total{kind="reasked"} 1');
    expect(proxy!.logs.find((record) => record.msg === "messages")).toMatchObject({ tools: "Bash", toolFixes: "reasked:1" });
  });

  test("JSON answer: the same; the two answers become one message", async () => {
    await start([anthropicJson(anthropicMessageBody(INVALID)), anthropicJson(anthropicMessageBody(FIXED))]);
    const message = (await (await postToolRequest(proxy!.url, false)).json()) as Message;
    expect(message.content).toEqual([
      { type: "text", text: "Let me look." },
      { type: "tool_use", id: expect.any(String), name: "Bash", input: { command: "ls", timeout: 5 } },
    ]);
    expect(message).toMatchObject({ stop_reason: "tool_use", usage: { input_tokens: 10, output_tokens: 20 } });
    expect(engine!.requestsTo("/v1/messages")).toHaveLength(2);
  });

  test("a second failure passes the call on, counted as invalid", async () => {
    await start([anthropicJson(anthropicMessageBody(INVALID)), anthropicJson(anthropicMessageBody(INVALID))]);
    const message = (await (await postToolRequest(proxy!.url, false)).json()) as Message;
    expect(message.content.filter((block) => block.type === "tool_use")).toEqual([
      { type: "tool_use", id: expect.any(String), name: "Bash", input: { timeout: 5 } },
    ]);
    const metrics = await metricsText();
    expect(metrics).toContain('anyclaude_tool_call_fixes_total{kind="reasked"} 1');
    expect(metrics).toContain('anyclaude_tool_call_fixes_total{kind="invalid"} 1');
  });

  test("a re-ask the engine refuses leaves the held call to go out as it is", async () => {
    await start([anthropicStream(anthropicMessageEvents(INVALID)), anthropicError(500, "api_error", "boom")]);
    const events = await readAnthropicEvents(await postToolRequest(proxy!.url, true));
    expect(checkAnthropicEventOrder(events)).toEqual([]);
    expect(readToolUses(events)).toEqual([{ name: "Bash", input: { timeout: 5 } }]);
    expect(events.at(-2)).toMatchObject({ type: "message_delta", delta: { stop_reason: "tool_use" } });
  });

  test("with tools.reask off the call goes out at once, counted as invalid", async () => {
    await start([anthropicStream(anthropicMessageEvents(INVALID))], "llamacpp", { reask: false });
    const events = await readAnthropicEvents(await postToolRequest(proxy!.url, true));
    expect(readToolUses(events)).toEqual([{ name: "Bash", input: { timeout: 5 } }]);
    expect(engine!.requestsTo("/v1/messages")).toHaveLength(1);
    expect(await metricsText()).toContain('anyclaude_tool_call_fixes_total{kind="invalid"} 1');
  });
});

describe("tools a local engine cannot run", () => {
  const WEB_SEARCH = { type: "web_search_20250305", name: "web_search", max_uses: 5 };
  const answer = anthropicJson(anthropicMessageBody({ blocks: [{ type: "text", text: "Done." }] }));
  const sentTools = () => engine!.requestsTo("/v1/messages").map((request) => (request.body as { tools?: Array<{ name: string }> }).tools);

  test("a server tool anyclaude does not run (no searcher) is not offered to a local engine, with a warning", async () => {
    await start(answer);
    const response = await postToolRequest(proxy!.url, false, { tools: [...CASE_TOOLS, WEB_SEARCH] });
    expect(response.status).toBe(200);
    expect(sentTools()).toEqual([CASE_TOOLS]);
    const line = proxy!.logs.find((record) => record.msg === "messages");
    expect(String(line?.warnings)).toContain(`dropped-tool@tools[${CASE_TOOLS.length}]`);
  });

  test("with only such tools, the request goes without tools or tool_choice", async () => {
    await start(answer);
    const response = await postToolRequest(proxy!.url, false, { tools: [WEB_SEARCH], tool_choice: { type: "auto" } });
    expect(response.status).toBe(200);
    const [sent] = engine!.requestsTo("/v1/messages").map((request) => request.body as Record<string, unknown>);
    expect("tools" in sent! || "tool_choice" in sent!).toBe(false);
  });

  test("an Anthropic upstream gets it as declared", async () => {
    await start(answer, "anthropic");
    await postToolRequest(proxy!.url, false, { tools: [...CASE_TOOLS, WEB_SEARCH] });
    expect(sentTools()).toEqual([[...CASE_TOOLS, WEB_SEARCH]]);
  });
});
