/**
 * Replays every golden stream's expected SSE through the official @anthropic-ai/sdk, over a
 * loopback server, to prove a real client accepts what anyclaude produces: the SDK must see
 * every event in order and accumulate the same message that the events spell out.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import Anthropic from "@anthropic-ai/sdk";
import type { ContentBlock, Message, MessageCreateParams } from "../../src/protocol/anthropic/messages";
import type { MessageStreamEvent } from "../../src/protocol/anthropic/stream-events";
import { checkAnthropicEventOrder } from "../support/check-anthropic-event-order";
import { parseSse } from "../support/parse-sse";
import { hasCaseFile, listGoldenCases, readCaseJson, readCaseText } from "./golden-cases";

const streamCases = listGoldenCases().filter((name) => hasCaseFile(name, "expected-anthropic.sse"));
let server: ReturnType<typeof Bun.serve>;

beforeAll(() => {
  server = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    // The first path segment names the case: http://127.0.0.1:PORT/<case>/v1/messages.
    fetch: (request) => {
      const name = decodeURIComponent(new URL(request.url).pathname.split("/")[1] ?? "");
      if (!streamCases.includes(name)) return new Response("no such case", { status: 404 });
      return new Response(readCaseText(name, "expected-anthropic.sse"), { headers: { "content-type": "text/event-stream" } });
    },
  });
});

afterAll(() => server.stop(true));

test("there are golden streams to replay", () => {
  expect(streamCases.length).toBeGreaterThan(0);
});

test.each(streamCases)("%s: the SDK accepts the stream and accumulates what the events say", async (name) => {
  const request = readCaseJson<MessageCreateParams>(name, "anthropic-request.json");
  const events = await readExpectedEvents(name);
  expect(checkAnthropicEventOrder(events)).toEqual([]);

  const client = new Anthropic({ baseURL: `http://127.0.0.1:${server.port}/${name}`, apiKey: "sk-golden", maxRetries: 0 });
  const seen: string[] = [];
  const stream = client.messages.stream({
    model: request.model,
    max_tokens: request.max_tokens,
    messages: [{ role: "user", content: "replay" }],
  });
  stream.on("streamEvent", (event) => seen.push(event.type));
  const final = await stream.finalMessage();

  expect(seen).toEqual(events.map((event) => event.type));
  const expected = accumulate(events);
  expect(final).toMatchObject({ id: expected.id, model: request.model, role: "assistant", stop_reason: expected.stop_reason });
  expect(final.stop_sequence).toBe(expected.stop_sequence);
  expect(JSON.parse(JSON.stringify(final.content))).toEqual(expected.content);
  expect(final.usage).toMatchObject(expected.usage);
});

/** Reads the expected SSE with anyclaude's own parser and checks each `event:` name matches its payload. */
async function readExpectedEvents(name: string): Promise<MessageStreamEvent[]> {
  const events: MessageStreamEvent[] = [];
  for await (const frame of parseSse(new Response(readCaseText(name, "expected-anthropic.sse")).body!)) {
    const event = JSON.parse(frame.data) as MessageStreamEvent;
    expect(frame.event).toBe(event.type);
    events.push(event);
  }
  return events;
}

/** An accumulator written from the protocol description, independent of the SDK's. */
function accumulate(events: readonly MessageStreamEvent[]): Message {
  let message: Message | undefined;
  const json: string[] = [];
  for (const event of events) {
    if (event.type === "message_start") message = structuredClone(event.message);
    if (!message) continue;
    if (event.type === "content_block_start") {
      message.content.push(structuredClone(event.content_block));
      json[event.index] = "";
    }
    if (event.type === "content_block_delta") {
      const block = message.content[event.index] as ContentBlock & Record<string, unknown>;
      const delta = event.delta;
      if (delta.type === "text_delta") block.text += delta.text;
      if (delta.type === "thinking_delta") block.thinking += delta.thinking;
      if (delta.type === "signature_delta") block.signature = delta.signature;
      if (delta.type === "input_json_delta") json[event.index] += delta.partial_json;
    }
    if (event.type === "content_block_stop") {
      const block = message.content[event.index]!;
      if (block.type === "tool_use") block.input = JSON.parse(json[event.index] || "{}");
    }
    if (event.type === "message_delta") {
      message.stop_reason = event.delta.stop_reason;
      message.stop_sequence = event.delta.stop_sequence;
      message.usage = { ...message.usage, ...event.usage } as Message["usage"];
    }
  }
  if (!message) throw new Error("no message_start");
  return message;
}
