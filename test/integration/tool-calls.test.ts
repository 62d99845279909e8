/**
 * Tool calls through the real server in translate mode, against a scripted llama-server: a call
 * the model wrote as text reaches the client as tool_use, an invalid call is re-asked once
 * before any of it goes out, single-call mode, and what /metrics and the log line say about it.
 * Native mode's are in tool-calls-native.test.ts.
 */
import { afterEach, describe, expect, test } from "bun:test";
import type { Message } from "../../src/protocol/anthropic/messages";
import { checkAnthropicEventOrder } from "../support/check-anthropic-event-order";
import { type FakeOpenAIBackend, openAIJson, openAIStream, startFakeOpenAIBackend } from "../support/fake-openai-backend";
import { llamaServerChunks, llamaServerCompletion } from "../support/fake-openai-chunks";
import { readAnthropicEvents, readStreamedText, readToolUses } from "../support/read-anthropic-events";
import { type StartedProxy, startProxy } from "../support/start-proxy";
import { HERMES_BASH_CALL, postToolRequest } from "../support/text-form-calls";

let backend: FakeOpenAIBackend | undefined;
let proxy: StartedProxy | undefined;

afterEach(async () => {
  await proxy?.stop();
  await backend?.stop();
  proxy = backend = undefined;
});

async function start(script: Parameters<typeof startFakeOpenAIBackend>[0], tools: Record<string, unknown> = {}) {
  backend = startFakeOpenAIBackend(script);
  proxy = await startProxy({ retry: { maxAttempts: 1 }, tools }, [{ id: "llama", url: backend.url, kind: "llamacpp", mode: "translate" }]);
  return proxy;
}

async function metricsText(): Promise<string> {
  return (await fetch(`${proxy!.url}/metrics`)).text();
}

describe("calls a model wrote as text", () => {
  test("stream: a Hermes <tool_call> in the text arrives as tool_use, renamed and coerced, stop_reason tool_use", async () => {
    await start(openAIStream(llamaServerChunks({ text: HERMES_BASH_CALL, pieces: 17, usage: { promptTokens: 40, completionTokens: 20 } })));
    const response = await postToolRequest(proxy!.url, true);
    const events = await readAnthropicEvents(response);
    expect(checkAnthropicEventOrder(events)).toEqual([]);
    expect(readToolUses(events)).toEqual([{ name: "Bash", input: { command: "ls", timeout: 5000 } }]);
    const text = readStreamedText(events);
    expect(text).toBe("Listing.\n");
    expect(events.at(-2)).toMatchObject({ type: "message_delta", delta: { stop_reason: "tool_use" } });

    const metrics = await metricsText();
    expect(metrics).toContain('anyclaude_tool_calls_total{tool="Bash",source="engine"} 1');
    expect(metrics).toContain('anyclaude_tool_call_fixes_total{kind="text-form"} 1');
    expect(metrics).toContain('anyclaude_tool_call_fixes_total{kind="renamed"} 1');
    expect(metrics).toContain('anyclaude_tool_call_fixes_total{kind="coerced"} 1');
    const line = proxy!.logs.find((record) => record.msg === "messages");
    expect(line).toMatchObject({ tools: "Bash", toolFixes: "text-form:1,renamed:1,coerced:1" });
  });

  test("JSON answer: the same call becomes a tool_use block", async () => {
    await start(openAIJson(llamaServerCompletion({ text: HERMES_BASH_CALL, usage: { promptTokens: 40, completionTokens: 20 } })));
    const message = (await (await postToolRequest(proxy!.url, false)).json()) as Message;
    expect(message.content).toEqual([
      { type: "text", text: "Listing.\n" },
      { type: "tool_use", id: expect.stringMatching(/^toolu_/), name: "Bash", input: { command: "ls", timeout: 5000 } },
    ]);
    expect(message.stop_reason).toBe("tool_use");
  });

  test("with tools.textCalls off the text stays text", async () => {
    await start(openAIStream(llamaServerChunks({ text: HERMES_BASH_CALL })), { textCalls: false });
    const events = await readAnthropicEvents(await postToolRequest(proxy!.url, true));
    expect(readToolUses(events)).toEqual([]);
  });
});

describe("a call that fails its schema", () => {
  const invalid = { toolCalls: [{ name: "Bash", args: { timeout: 5 } }], usage: { promptTokens: 40, completionTokens: 9 } };
  const fixed = { toolCalls: [{ name: "Bash", args: { command: "ls", timeout: 5 } }], usage: { promptTokens: 60, completionTokens: 11 } };

  test("stream: the model is asked once more with the validator's message; only the fixed call goes out", async () => {
    await start([openAIStream(llamaServerChunks(invalid)), openAIStream(llamaServerChunks(fixed))]);
    const events = await readAnthropicEvents(await postToolRequest(proxy!.url, true));
    expect(checkAnthropicEventOrder(events)).toEqual([]);
    expect(readToolUses(events)).toEqual([{ name: "Bash", input: { command: "ls", timeout: 5 } }]);
    expect(events.at(-2)).toMatchObject({ type: "message_delta", usage: { input_tokens: 40, output_tokens: 20 } });

    const [, second] = backend!.requestsTo("/v1/chat/completions");
    const messages = (second!.body as { messages: Array<Record<string, unknown>> }).messages;
    expect(messages.at(-2)).toMatchObject({ role: "assistant", tool_calls: [{ function: { name: "Bash", arguments: '{"timeout":5}' } }] });
    expect(messages.at(-1)).toMatchObject({ role: "tool" });
    expect(String(messages.at(-1)!.content)).toContain('Instance does not have required property "command"');
    expect(await metricsText()).toContain('anyclaude_tool_call_fixes_total{kind="reasked"} 1');
  });

  test("JSON answer: the same, and a second failure passes the call on, counted", async () => {
    await start([openAIJson(llamaServerCompletion(invalid)), openAIJson(llamaServerCompletion(invalid))]);
    const message = (await (await postToolRequest(proxy!.url, false)).json()) as Message;
    expect(message.content).toEqual([{ type: "tool_use", id: expect.any(String), name: "Bash", input: { timeout: 5 } }]);
    expect(backend!.requestsTo("/v1/chat/completions")).toHaveLength(2);
    const metrics = await metricsText();
    expect(metrics).toContain('anyclaude_tool_call_fixes_total{kind="reasked"} 1');
    expect(metrics).toContain('anyclaude_tool_call_fixes_total{kind="invalid"} 1');
  });

  test("with tools.reask off the call goes out at once, counted as invalid", async () => {
    await start([openAIStream(llamaServerChunks(invalid))], { reask: false });
    const events = await readAnthropicEvents(await postToolRequest(proxy!.url, true));
    expect(readToolUses(events)).toEqual([{ name: "Bash", input: { timeout: 5 } }]);
    expect(backend!.requestsTo("/v1/chat/completions")).toHaveLength(1);
    expect(await metricsText()).toContain('anyclaude_tool_call_fixes_total{kind="invalid"} 1');
  });

  test("a re-ask that fails at once leaves the held call to go out as it is", async () => {
    await start([
      openAIStream(llamaServerChunks(invalid)),
      openAIJson({ error: { code: 500, message: "boom", type: "server_error" } }, 500),
    ]);
    const events = await readAnthropicEvents(await postToolRequest(proxy!.url, true));
    expect(checkAnthropicEventOrder(events)).toEqual([]);
    expect(readToolUses(events)).toEqual([{ name: "Bash", input: { timeout: 5 } }]);
  });
});

describe("single-call mode", () => {
  test("parallel_tool_calls: false is sent, and calls after the first are dropped with a warning", async () => {
    const two = {
      toolCalls: [
        { name: "Read", args: { file_path: "a" } },
        { name: "Read", args: { file_path: "b" } },
      ],
    };
    await start(openAIStream(llamaServerChunks(two)), { targets: { "llama/qwen3-coder-30b-a3b": { singleCall: true } } });
    const events = await readAnthropicEvents(await postToolRequest(proxy!.url, true, { model: "llama/qwen3-coder-30b-a3b" }));
    expect(readToolUses(events)).toEqual([{ name: "Read", input: { file_path: "a" } }]);
    expect(backend!.requestsTo("/v1/chat/completions")[0]!.body).toMatchObject({ parallel_tool_calls: false });
    expect(await metricsText()).toContain('anyclaude_tool_call_fixes_total{kind="dropped-extra"} 1');
  });
});

describe("a request whose only tool is a server tool anyclaude does not run", () => {
  const WEB_SEARCH_ONLY = {
    model: "claude-sonnet-5-5",
    max_tokens: 256,
    messages: [{ role: "user", content: "Perform a web search for the query: bun 1.3" }],
    tools: [{ type: "web_search_20250305", name: "web_search", max_uses: 8 }],
  };
  const post = (stream: boolean) =>
    fetch(`${proxy!.url}/v1/messages`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ ...WEB_SEARCH_ONLY, stream }),
    });

  test("the engine is offered no tool, so a call it makes up is not checked against the server tool nor re-asked", async () => {
    await start(openAIJson(llamaServerCompletion({ toolCalls: [{ name: "search", args: { q: "bun 1.3" } }] })));
    const message = (await (await post(false)).json()) as Message;
    expect(message.content).toEqual([{ type: "tool_use", id: expect.any(String), name: "search", input: { q: "bun 1.3" } }]);
    const sent = backend!.requestsTo("/v1/chat/completions");
    expect(sent).toHaveLength(1);
    expect(sent[0]!.body).not.toHaveProperty("tools");
    expect(await metricsText()).not.toContain('kind="reasked"');
  });

  test("text that reads like a call to the server tool stays text: the engine was never offered it", async () => {
    const written = '<tool_call>\n{"name": "web_search", "arguments": {"query": "bun 1.3"}}\n</tool_call>';
    await start(openAIStream(llamaServerChunks({ text: written, pieces: 9 })));
    const events = await readAnthropicEvents(await post(true));
    expect(checkAnthropicEventOrder(events)).toEqual([]);
    expect(readToolUses(events)).toEqual([]);
    expect(readStreamedText(events)).toBe(written);
  });
});
