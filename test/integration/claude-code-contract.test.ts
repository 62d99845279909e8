/**
 * The contract with Claude Code: every request Claude Code 2.1.332 was recorded sending goes
 * through the real server, in translate mode (fake llama-server) and native mode (fake
 * Anthropic-speaking engine), streamed and not, with the recorded headers and `?beta=true`.
 * The official SDK must accept each answer, and the backend must receive a cleaned request.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import Anthropic from "@anthropic-ai/sdk";
import type { MessageCreateParams, TextBlockParam } from "../../src/protocol/anthropic/messages";
import type { MessageStreamEvent } from "../../src/protocol/anthropic/stream-events";
import { findLoadedDeferredTools } from "../../src/tool-calls/find-loaded-deferred-tools";
import { checkAnthropicEventOrder } from "../support/check-anthropic-event-order";
import { type RecordedClaudeCodeRequest, readAcceptedClaudeCodeReply, readClaudeCodeRequests } from "../support/claude-code-fixtures";
import {
  anthropicJson,
  anthropicTranscript,
  type FakeAnthropicBackend,
  splitSseFrames,
  startFakeAnthropicBackend,
} from "../support/fake-anthropic-backend";
import { anthropicMessageBody } from "../support/fake-anthropic-events";
import { applyFakeChatTemplate, countFakeTokens } from "../support/fake-chat-template";
import { type FakeOpenAIBackend, openAIJson, openAIStream, startFakeOpenAIBackend } from "../support/fake-openai-backend";
import { llamaServerChunks, llamaServerCompletion } from "../support/fake-openai-chunks";
import { describeEventSequence, readAnthropicEvents } from "../support/read-anthropic-events";
import { type StartedProxy, startProxy } from "../support/start-proxy";

const RECORDED = readClaudeCodeRequests();
// WebSearch's side request declares only the web search server tool, which the fakes' Bash call
// cannot answer; claude-code-web-search.test.ts replays it against a searcher.
const MESSAGE_REQUESTS = RECORDED.filter((request) => request.url.startsWith("/v1/messages?") && !request.name.includes("websearch"));
const COUNT_REQUEST = RECORDED.find((request) => request.url.startsWith("/v1/messages/count_tokens?"))!;

const TRANSLATE_MODEL = "qwen3-coder-30b-a3b";
const NATIVE_MODEL = "glm-4.7-flash";
// The answer both fakes give, in the shape of the reply Claude Code accepted.
const REPLY_TEXT = "Running it.";
const REPLY_TOOL = { name: "Bash", input: { command: "echo hello", description: "Run requested command" } };

interface ModeUnderTest {
  mode: "translate" | "native";
  proxy: StartedProxy;
  backend: FakeOpenAIBackend | FakeAnthropicBackend;
  /** Where the backend receives generation requests. */
  backendPath: string;
  backendModel: string;
}

const modes: ModeUnderTest[] = [];

beforeAll(async () => {
  const openai = startFakeOpenAIBackend(
    (request) => {
      const reply = {
        text: REPLY_TEXT,
        toolCalls: [{ name: REPLY_TOOL.name, args: REPLY_TOOL.input }],
        usage: { promptTokens: 900, completionTokens: 20 },
      };
      return (request.body as { stream?: boolean }).stream
        ? openAIStream(llamaServerChunks(reply))
        : openAIJson(llamaServerCompletion(reply));
    },
    // A window that holds Claude Code's max_tokens, so that the context step sends it unchanged.
    { kind: "llamacpp", model: TRANSLATE_MODEL, contextWindow: 262_144 },
  );
  // The accepted transcript, re-labelled with the engine's own model name so that the client
  // getting its requested name back proves the proxy restored it.
  const transcript = readAcceptedClaudeCodeReply().replaceAll('"model":"claude-opus-5-5"', `"model":"${NATIVE_MODEL}"`);
  const native = startFakeAnthropicBackend(
    (request) =>
      (request.body as { stream?: boolean }).stream
        ? anthropicTranscript(transcript)
        : anthropicJson(
            anthropicMessageBody({
              model: NATIVE_MODEL,
              blocks: [
                { type: "text", text: REPLY_TEXT },
                { type: "tool_use", ...REPLY_TOOL },
              ],
            }),
          ),
    { kind: "anthropic", model: NATIVE_MODEL },
  );
  modes.push(
    {
      mode: "translate",
      backend: openai,
      backendPath: "/v1/chat/completions",
      backendModel: TRANSLATE_MODEL,
      proxy: await startProxy({}, [{ url: openai.url, kind: "llamacpp", mode: "translate" }]),
    },
    {
      mode: "native",
      backend: native,
      backendPath: "/v1/messages",
      backendModel: NATIVE_MODEL,
      proxy: await startProxy({}, [{ url: native.url, kind: "anthropic", mode: "native" }]),
    },
  );
});

afterAll(async () => {
  for (const { proxy, backend } of modes) await Promise.all([proxy.stop(), backend.stop()]);
});

const modeNamed = (name: ModeUnderTest["mode"]) => modes.find((candidate) => candidate.mode === name)!;

test("the recorded requests include Messages calls and a count_tokens call", () => {
  expect(MESSAGE_REQUESTS.length).toBeGreaterThanOrEqual(3);
  expect(COUNT_REQUEST).toBeDefined();
  for (const request of RECORDED) expect(request.url).toEndWith("?beta=true");
});

describe.each(["translate", "native"] as const)("%s mode", (modeName) => {
  describe.each(MESSAGE_REQUESTS.map((request) => [request.name, request] as const))("%s", (_name, recorded) => {
    test.each([true, false])("stream %p: answers in Anthropic's shape and the backend gets a cleaned request", async (stream) => {
      const mode = modeNamed(modeName);
      const before = mode.backend.requestsTo(mode.backendPath).length;
      const response = await sendRecorded(mode.proxy, recorded, { ...recorded.body, stream });

      expect(response.status).toBe(200);
      expect(response.headers.get("x-anyclaude-backend")).toBe(mode.proxy.server.backends[0]!.id);
      expect(response.headers.get("x-anyclaude-model")).toBe(mode.backendModel);
      expect(response.headers.get("request-id")).toMatch(/^req_[0-9a-f]{24}$/);
      if (stream) {
        const events = await readAnthropicEvents(response);
        expect(checkAnthropicEventOrder(events)).toEqual([]);
        const start = events[0] as Extract<MessageStreamEvent, { type: "message_start" }>;
        expect(start.message.model).toBe(recorded.body.model);
        expect(collectStreamedAnswer(events)).toEqual({ text: REPLY_TEXT, toolInputs: [REPLY_TOOL.input], stopReason: "tool_use" });
      } else {
        const message = (await response.json()) as Anthropic.Message;
        expect(message.model).toBe(recorded.body.model);
        expect(message.stop_reason).toBe("tool_use");
        expect(message.content.map((block) => block.type)).toEqual(["text", "tool_use"]);
        expect(message.content[1]).toMatchObject({ type: "tool_use", ...REPLY_TOOL });
      }

      const received = mode.backend.requestsTo(mode.backendPath);
      expect(received.length).toBe(before + 1);
      const sent = received.at(-1)!;
      expect(sent.body).toBeDefined();
      expectCleanedRequest(sent.body as Record<string, unknown>, recorded.body, mode);
      if (mode.mode === "translate") expectOpenAIChatRequest(sent.body as Record<string, unknown>, recorded.body, stream);
      else expectNativeRequest(sent.body as Record<string, unknown>, sent.headers, recorded.body, stream);
    });

    test("the official SDK parses the stream and the plain answer", async () => {
      const mode = modeNamed(modeName);
      const client = new Anthropic({ baseURL: mode.proxy.url, apiKey: "sk-test", maxRetries: 0 });
      // The recorded body carries fields this SDK version does not type (context_management, ...).
      const params = recorded.body as unknown as Anthropic.MessageCreateParamsStreaming;
      const streamed = await client.messages.stream(params).finalMessage();
      expect(streamed.model).toBe(recorded.body.model);
      expect(streamed.stop_reason).toBe("tool_use");
      expect(streamed.content).toEqual([
        expect.objectContaining({ type: "text", text: REPLY_TEXT }),
        expect.objectContaining({ type: "tool_use", ...REPLY_TOOL }),
      ]);
      // An explicit timeout, as Claude Code sets: without one the SDK refuses a plain call this large.
      const plain = await client.messages.create({ ...params, stream: false }, { timeout: 60_000 });
      expect(plain.model).toBe(recorded.body.model);
      expect(plain.content.map((block) => block.type)).toEqual(["text", "tool_use"]);
    });
  });

  test("the count_tokens request is counted exactly by the backend", async () => {
    const mode = modeNamed(modeName);
    const countPath = mode.mode === "translate" ? "/v1/chat/completions/input_tokens" : "/v1/messages/count_tokens";
    const before = mode.backend.requestsTo(countPath).length;
    const response = await sendRecorded(mode.proxy, COUNT_REQUEST, COUNT_REQUEST.body);

    expect(response.status).toBe(200);
    expect(response.headers.get("x-anyclaude-token-count")).toBe("exact");
    expect(response.headers.get("x-anyclaude-backend")).toBe(mode.proxy.server.backends[0]!.id);
    const counted = mode.backend.requestsTo(countPath);
    expect(counted.length).toBe(before + 1);
    const sent = counted.at(-1)!;
    const body = sent.body as Record<string, unknown>;
    expect(body.model).toBe(mode.backendModel);
    expect(toolNames(body)).toEqual(toolNames(COUNT_REQUEST.body as unknown as Record<string, unknown>));
    const expected = mode.mode === "translate" ? countFakeTokens(applyFakeChatTemplate(body)) : countFakeTokens(sent.rawBody);
    expect(await response.json()).toEqual({ input_tokens: expected });
  });
});

test("translate mode streams a text + tool_use answer as exactly this event sequence", async () => {
  const mode = modeNamed("translate");
  const recorded = MESSAGE_REQUESTS.find((request) => request.name.includes("say-hi"))!;
  const events = await readAnthropicEvents(await sendRecorded(mode.proxy, recorded, recorded.body));
  // llamaServerChunks splits the text and the tool arguments into three deltas each; the call goes out
  // whole once it is complete and checked (docs/decisions/0021-tool-call-checks.md).
  expect(describeEventSequence(events)).toEqual([
    "message_start",
    "ping",
    "content_block_start",
    "content_block_delta:text_delta",
    "content_block_delta:text_delta",
    "content_block_delta:text_delta",
    "content_block_stop",
    "content_block_start",
    "content_block_delta:input_json_delta",
    "content_block_stop",
    "message_delta",
    "message_stop",
  ]);
  expect(events.filter((event) => event.type === "content_block_start").map((event) => event.content_block.type)).toEqual([
    "text",
    "tool_use",
  ]);
});

test("native mode passes the accepted transcript's event sequence through unchanged", async () => {
  const mode = modeNamed("native");
  const recorded = MESSAGE_REQUESTS.find((request) => request.name.includes("say-hi"))!;
  const events = await readAnthropicEvents(await sendRecorded(mode.proxy, recorded, recorded.body));
  const transcript = splitSseFrames(readAcceptedClaudeCodeReply()).map(
    (frame) => JSON.parse(frame.split("\ndata: ")[1]!) as MessageStreamEvent,
  );
  expect(describeEventSequence(events)).toEqual(describeEventSequence(transcript));
});

function sendRecorded(proxy: StartedProxy, recorded: RecordedClaudeCodeRequest, body: unknown): Promise<Response> {
  return fetch(`${proxy.url}${recorded.url}`, { method: "POST", headers: recorded.headers, body: JSON.stringify(body) });
}

function collectStreamedAnswer(events: readonly MessageStreamEvent[]) {
  let text = "";
  const json: string[] = [];
  let stopReason: string | null | undefined;
  for (const event of events) {
    if (event.type === "content_block_start" && event.content_block.type === "tool_use") json[event.index] = "";
    if (event.type === "content_block_delta" && event.delta.type === "text_delta") text += event.delta.text;
    if (event.type === "content_block_delta" && event.delta.type === "input_json_delta") json[event.index] += event.delta.partial_json;
    if (event.type === "message_delta") stopReason = event.delta.stop_reason;
  }
  return { text, toolInputs: json.filter((piece) => piece !== undefined).map((piece) => JSON.parse(piece) as unknown), stopReason };
}

/** What both modes must do to a Claude Code request before a local engine sees it. */
function expectCleanedRequest(sent: Record<string, unknown>, original: MessageCreateParams, mode: ModeUnderTest): void {
  const text = JSON.stringify(sent);
  expect(JSON.stringify(original)).toContain("x-anthropic-billing-header");
  expect(text).not.toContain("x-anthropic-billing-header");
  expect(sent.model).toBe(mode.backendModel);
  expect(sent).not.toHaveProperty("metadata");
  expect(sent).not.toHaveProperty("context_management");
  expect(text).not.toContain("DeferredToolPlaceholder");
  // Deferred tools are dropped, but those ToolSearch loaded are declared, after the others.
  const loaded = findLoadedDeferredTools(original.messages).names;
  const expectedTools = [...(original.tools ?? []).filter((tool) => tool.defer_loading !== true).map((tool) => tool.name), ...loaded];
  expect(toolNames(sent)).toEqual(expectedTools);
  // Hoisted: each role:system message's text now lives in the system prompt, never as a turn.
  const systemText =
    mode.mode === "translate" ? JSON.stringify((sent.messages as Array<{ content: unknown }>)[0]!.content) : JSON.stringify(sent.system);
  for (const hoisted of systemMessageTexts(original)) expect(systemText).toContain(JSON.stringify(hoisted).slice(1, -1));
}

function expectOpenAIChatRequest(sent: Record<string, unknown>, original: MessageCreateParams, stream: boolean): void {
  const messages = sent.messages as Array<{ role: string; content?: unknown; tool_calls?: Array<{ id: string }>; tool_call_id?: string }>;
  expect(messages[0]!.role).toBe("system");
  expect(messages.slice(1).every((message) => ["user", "assistant", "tool"].includes(message.role))).toBe(true);
  expect(sent.max_tokens).toBe(original.max_tokens);
  expect(sent.stream).toBe(stream);
  if (stream) expect(sent.stream_options).toEqual({ include_usage: true });
  for (const tool of (sent.tools ?? []) as Array<Record<string, unknown>>) {
    expect(tool.type).toBe("function");
    expect(tool.function).toMatchObject({ name: expect.any(String), parameters: expect.objectContaining({ type: "object" }) });
  }
  const toolUse = original.messages
    .flatMap((message) => (Array.isArray(message.content) ? message.content : []))
    .find((block) => block.type === "tool_use");
  if (toolUse?.type === "tool_use") {
    expect(messages.some((message) => message.role === "assistant" && message.tool_calls?.[0]?.id === toolUse.id)).toBe(true);
    expect(messages.some((message) => message.role === "tool" && message.tool_call_id === toolUse.id)).toBe(true);
  }
  if (original.output_config?.format?.type === "json_schema") expect(sent.response_format).toMatchObject({ type: "json_schema" });
}

function expectNativeRequest(
  sent: Record<string, unknown>,
  headers: Record<string, string>,
  original: MessageCreateParams,
  stream: boolean,
): void {
  expect(headers["anthropic-version"]).toBe("2023-06-01");
  expect(sent.stream).toBe(stream);
  expect(sent.max_tokens).toBe(original.max_tokens);
  const messages = sent.messages as MessageCreateParams["messages"];
  expect(messages.map((message) => message.role).every((role) => role === "user" || role === "assistant")).toBe(true);
  const blockTypes = (list: MessageCreateParams["messages"]) =>
    list.flatMap((message) => (Array.isArray(message.content) ? message.content.map((block) => block.type) : []));
  expect(blockTypes(messages).filter((type) => type === "tool_use" || type === "tool_result")).toEqual(
    blockTypes(original.messages).filter((type) => type === "tool_use" || type === "tool_result"),
  );
}

function toolNames(body: Record<string, unknown>): string[] {
  return ((body.tools ?? []) as Array<{ name?: string; function?: { name: string } }>).map((tool) => tool.function?.name ?? tool.name!);
}

function systemMessageTexts(body: MessageCreateParams): string[] {
  return body.messages
    .filter((message) => message.role === "system")
    .flatMap((message) =>
      typeof message.content === "string" ? [message.content] : (message.content as TextBlockParam[]).map((block) => block.text),
    );
}
