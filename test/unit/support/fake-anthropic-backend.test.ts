import { afterEach, describe, expect, test } from "bun:test";
import { join } from "node:path";
import Anthropic from "@anthropic-ai/sdk";
import {
  anthropicError,
  anthropicJson,
  anthropicStream,
  anthropicStreamError,
  anthropicTranscript,
  type FakeAnthropicBackend,
  splitSseFrames,
  startFakeAnthropicBackend,
} from "../../support/fake-anthropic-backend";
import { anthropicMessageBody, anthropicMessageEvents } from "../../support/fake-anthropic-events";
import { countFakeTokens } from "../../support/fake-chat-template";

const TRANSCRIPT_PATH = join(import.meta.dir, "../../fixtures/claude-code-2.1.332/capture-server_sse-response_tool_use.txt");
const transcript = await Bun.file(TRANSCRIPT_PATH).text();
const request = { model: "claude-opus-5-5", max_tokens: 100, messages: [{ role: "user" as const, content: "hi" }] };

let backend: FakeAnthropicBackend | undefined;

afterEach(async () => {
  await backend?.stop();
  backend = undefined;
});

/** The official SDK as the client: if it accepts what the fake sends, so would Claude Code's. */
function sdk(fake: FakeAnthropicBackend): Anthropic {
  return new Anthropic({ baseURL: fake.url, apiKey: "sk-test", maxRetries: 0 });
}

function post(fake: FakeAnthropicBackend, path = "/v1/messages"): Promise<Response> {
  return fetch(`${fake.url}${path}?beta=true`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ ...request, stream: true }),
  });
}

describe("recorded transcript", () => {
  test("replays byte for byte", async () => {
    backend = startFakeAnthropicBackend(anthropicTranscript(transcript));
    expect(await (await post(backend)).text()).toBe(transcript);
    expect(backend.requests[0]).toMatchObject({ path: "/v1/messages", search: "?beta=true" });
  });

  test("the official SDK assembles it into the recorded tool_use", async () => {
    backend = startFakeAnthropicBackend(anthropicTranscript(transcript));
    const message = await sdk(backend).messages.stream(request).finalMessage();
    expect(message.stop_reason).toBe("tool_use");
    expect(message.content).toHaveLength(2);
    expect(message.content[0]).toMatchObject({ type: "text", text: "Running it." });
    expect(message.content[1]).toMatchObject({
      type: "tool_use",
      id: "toolu_316392d5febcf023fbb433eb",
      name: "Bash",
      input: { command: "echo hello", description: "Run requested command" },
    });
  });

  test("cut after N frames delivers exactly those frames, then the reader throws", async () => {
    const frames = splitSseFrames(transcript);
    expect(frames.join("")).toBe(transcript);
    backend = startFakeAnthropicBackend(anthropicTranscript(transcript, { frames: 5, end: "cut" }));
    const reader = (await post(backend)).body!.getReader();
    let received = "";
    const drain = async () => {
      for (let part = await reader.read(); !part.done; part = await reader.read()) received += new TextDecoder().decode(part.value);
    };
    await expect(drain()).rejects.toThrow();
    expect(received).toBe(frames.slice(0, 5).join(""));
  });
});

describe("built replies", () => {
  const blocks = [
    { type: "thinking" as const, thinking: "plan it", signature: "sig" },
    { type: "text" as const, text: "Let me look." },
    { type: "tool_use" as const, name: "Read", input: { file_path: "/a" }, id: "toolu_1" },
  ];

  test("events come in Anthropic's order", () => {
    const types = anthropicMessageEvents({ blocks, pieces: 1 }).map((event) =>
      "delta" in event && "type" in event.delta ? `${event.type}:${event.delta.type}` : event.type,
    );
    expect(types).toEqual([
      "message_start",
      "ping",
      "content_block_start",
      "content_block_delta:thinking_delta",
      "content_block_delta:signature_delta",
      "content_block_stop",
      "content_block_start",
      "content_block_delta:text_delta",
      "content_block_stop",
      "content_block_start",
      "content_block_delta:input_json_delta",
      "content_block_stop",
      "message_delta",
      "message_stop",
    ]);
  });

  test("the official SDK assembles the stream into the same message as the JSON body", async () => {
    const message = { blocks, inputTokens: 42, outputTokens: 7, cacheReadInputTokens: 30 };
    backend = startFakeAnthropicBackend([anthropicStream(anthropicMessageEvents(message)), anthropicJson(anthropicMessageBody(message))]);
    const streamed = await sdk(backend).messages.stream(request).finalMessage();
    const json = await sdk(backend).messages.create(request);
    const expected = {
      content: [
        { type: "thinking", thinking: "plan it", signature: "sig" },
        { type: "text", text: "Let me look." },
        { type: "tool_use", id: "toolu_1", name: "Read", input: { file_path: "/a" } },
      ],
      stop_reason: "tool_use",
      usage: { input_tokens: 42, output_tokens: 7, cache_read_input_tokens: 30 },
    };
    expect(streamed).toMatchObject(expected);
    expect(json).toMatchObject(expected);
    expect(streamed.content).toHaveLength(3);
    expect(json.content).toHaveLength(3);
  });

  test("an error event mid-stream and an HTTP error reach the SDK as API errors", async () => {
    const events = anthropicMessageEvents({ blocks: [{ type: "text", text: "partial" }] });
    backend = startFakeAnthropicBackend([
      anthropicStream([...events.slice(0, 4), anthropicStreamError("overloaded_error", "Overloaded")]),
      anthropicError(429, "rate_limit_error", "slow down", { "retry-after": "1" }),
    ]);
    await expect(sdk(backend).messages.stream(request).finalMessage()).rejects.toThrow(/Overloaded/);
    const limited = await post(backend);
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("1");
    expect(await limited.json()).toEqual({
      type: "error",
      error: { type: "rate_limit_error", message: "slow down" },
      request_id: expect.any(String),
    });
  });
});

describe("count_tokens", () => {
  test("defaults to the fake tokenizer over the raw body; a script overrides it", async () => {
    backend = startFakeAnthropicBackend([]);
    const counted = await sdk(backend).messages.countTokens(request);
    const recorded = backend.requestsTo("/v1/messages/count_tokens")[0]!;
    expect(counted.input_tokens).toBe(countFakeTokens(recorded.rawBody));
    backend.setCountTokensScript(anthropicJson({ input_tokens: 1234 }));
    expect((await sdk(backend).messages.countTokens(request)).input_tokens).toBe(1234);
  });

  test("setScript replaces the messages queue; probes follow the kind", async () => {
    backend = startFakeAnthropicBackend([anthropicJson({ n: 1 })], { kind: "llamacpp", contextWindow: 8192 });
    backend.setScript(anthropicJson({ n: 2 }));
    expect(await (await post(backend)).json()).toEqual({ n: 2 });
    const props = (await (await fetch(`${backend.url}/props`)).json()) as { default_generation_settings: { n_ctx: number } };
    expect(props.default_generation_settings.n_ctx).toBe(8192);
  });
});
