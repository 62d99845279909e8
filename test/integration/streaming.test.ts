/**
 * How anyclaude streams, end to end through the real server: events flow while the backend is
 * still generating, pings fill silences, a client that leaves aborts the backend, a slow client
 * slows the backend read down, and translated streams come out in Anthropic's exact order with
 * thinking, tool input and cache usage where Claude Code looks for them.
 */
import { afterEach, describe, expect, test } from "bun:test";
import type { ContentBlockDeltaEvent, MessageDeltaEvent, MessageStreamEvent } from "../../src/protocol/anthropic/stream-events";
import { checkAnthropicEventOrder } from "../support/check-anthropic-event-order";
import { anthropicStream, startFakeAnthropicBackend } from "../support/fake-anthropic-backend";
import { anthropicMessageEvents } from "../support/fake-anthropic-events";
import type { FakeBackend, RecordedRequest } from "../support/fake-backend-server";
import { openAIStream, startFakeOpenAIBackend } from "../support/fake-openai-backend";
import { chunk, finishChunk, llamaServerChunks, roleChunk, textChunks, toolCallChunks, usageChunk } from "../support/fake-openai-chunks";
import { type FakeReply, formatSseItem } from "../support/fake-reply";
import {
  type ClientFrame,
  type ProxyForOptions,
  postMessage,
  readFrames,
  readFramesLive,
  startProxyFor,
  untilAborted,
} from "./proxy-test-client";

type Mode = "translate" | "native";

/** Deadlines far beyond the test timeout: only the behaviour under test can end these streams. */
const NO_DEADLINES = { firstByteMs: 600_000, idleMs: 600_000, totalMs: 600_000 };

let cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

async function startWith(mode: Mode, reply: FakeReply | ((request: RecordedRequest) => FakeReply), options: Partial<ProxyForOptions> = {}) {
  const backend: Pick<FakeBackend, "requests" | "url" | "stop"> =
    mode === "native" ? startFakeAnthropicBackend(reply) : startFakeOpenAIBackend(reply);
  cleanups.push(() => backend.stop());
  const proxy = await startProxyFor(backend.url, { mode, ...options });
  cleanups.push(() => proxy.stop());
  return { backend, proxy };
}

/**
 * A backend whose streamed body the test writes itself, for what a scripted reply cannot do:
 * wait on a promise the test resolves, or count how far the proxy has read.
 */
function startHandWrittenBackend(mode: Mode, body: () => ReadableStream<Uint8Array>) {
  const server = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    idleTimeout: 0,
    fetch(request) {
      const path = new URL(request.url).pathname;
      if (request.method === "GET" && path === "/v1/models")
        return Response.json({ object: "list", data: [{ id: "local-model", object: "model" }] });
      if (request.method !== "POST" || path !== (mode === "native" ? "/v1/messages" : "/v1/chat/completions"))
        return new Response(null, { status: 404 });
      return new Response(body(), { headers: { "content-type": "text/event-stream" } });
    },
  });
  cleanups.push(async () => void (await server.stop(true)));
  return `http://127.0.0.1:${server.port}`;
}

/** The frames of one whole answer in the backend's dialect, around a text of `pieces` deltas. */
function backendFrames(mode: Mode, text: string, pieces: number): { head: string[]; deltas: string[]; tail: string[] } {
  if (mode === "translate") {
    return {
      head: [formatSseItem({ data: roleChunk() })],
      deltas: textChunks(text, pieces).map((data) => formatSseItem({ data })),
      tail: [finishChunk("stop"), usageChunk({ promptTokens: 10, completionTokens: pieces })]
        .map((data) => formatSseItem({ data }))
        .concat("data: [DONE]\n\n"),
    };
  }
  const events = anthropicMessageEvents({ blocks: [{ type: "text", text }], pieces }).map((event) =>
    formatSseItem({ event: event.type, data: event }),
  );
  return { head: events.slice(0, 3), deltas: events.slice(3, 3 + pieces), tail: events.slice(3 + pieces) };
}

function isTextDelta(frame: ClientFrame): boolean {
  return frame.event === "content_block_delta" && (frame.data as ContentBlockDeltaEvent).delta.type === "text_delta";
}

/** Event names with runs of deltas folded into one `delta*`, so a sequence reads like the spec. */
function foldDeltas(frames: ClientFrame[]): string[] {
  const names: string[] = [];
  for (const frame of frames) {
    const name = frame.event === "content_block_delta" ? "delta*" : String(frame.event);
    if (name !== "delta*" || names.at(-1) !== "delta*") names.push(name);
  }
  return names;
}

const encoder = new TextEncoder();

describe.each(["translate", "native"] as const)("%s mode", (mode) => {
  test("no buffering: the first text delta reaches the client while the backend is still waiting to go on", async () => {
    const frames = backendFrames(mode, "Hello there, world", 3);
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const url = startHandWrittenBackend(mode, () => {
      const parts = [...frames.head, frames.deltas[0]!];
      const rest = [...frames.deltas.slice(1), ...frames.tail];
      return new ReadableStream<Uint8Array>(
        {
          async pull(controller) {
            if (parts.length > 0) return controller.enqueue(encoder.encode(parts.shift()!));
            // The backend goes on only once the client has shown the first delta; a proxy that
            // waited for more (or for the end) would never see this promise resolve.
            await released;
            if (rest.length > 0) return controller.enqueue(encoder.encode(rest.shift()!));
            controller.close();
          },
        },
        { highWaterMark: 0 },
      );
    });
    const proxy = await startProxyFor(url, { mode, timeouts: NO_DEADLINES });
    cleanups.push(() => proxy.stop());

    const response = await postMessage(proxy, { stream: true });
    const seen: ClientFrame[] = [];
    for await (const frame of readFramesLive(response)) {
      seen.push(frame);
      if (isTextDelta(frame) && seen.filter(isTextDelta).length === 1) release();
    }
    expect(seen.filter(isTextDelta)).toHaveLength(3);
    expect(seen.at(-1)?.event).toBe("message_stop");
  });

  test("pings: one right after message_start, and more while the backend is silent mid-stream", async () => {
    // 600 ms of silence between two text deltas, six ping intervals.
    const pause = { pauseMs: 600 };
    const events = anthropicMessageEvents({ blocks: [{ type: "text", text: "Hello there" }] });
    const reply =
      mode === "native"
        ? anthropicStream([...events.slice(0, 4), pause, ...events.slice(4)])
        : openAIStream([
            roleChunk(),
            ...textChunks("Hello", 1),
            pause,
            ...llamaServerChunks({ text: " there", pieces: 1, usage: { promptTokens: 10, completionTokens: 2 } }).slice(1),
          ]);
    const { proxy } = await startWith(mode, reply, { pingIntervalMs: 100, timeouts: { idleMs: 5_000 } });

    const frames = await readFrames(await postMessage(proxy, { stream: true }));
    const names = frames.map((frame) => frame.event);
    expect(names.slice(0, 2)).toEqual(["message_start", "ping"]);
    const firstDelta = frames.findIndex(isTextDelta);
    const lastDelta = frames.findLastIndex(isTextDelta);
    expect(firstDelta).toBeLessThan(lastDelta);
    expect(names.slice(firstDelta, lastDelta)).toContain("ping");
    expect(checkAnthropicEventOrder(frames.map((frame) => frame.data as MessageStreamEvent))).toEqual([]);
  });

  test("a client that leaves mid-stream aborts the backend request", async () => {
    const head =
      mode === "native"
        ? anthropicStream(anthropicMessageEvents({ blocks: [{ type: "text", text: "Hello there" }] }).slice(0, 5), { end: "stall" })
        : openAIStream([roleChunk(), ...textChunks("Hello there", 2)], { end: "stall" });
    const { proxy, backend } = await startWith(mode, head, { timeouts: NO_DEADLINES });
    const client = new AbortController();
    const response = await postMessage(proxy, { stream: true }, { signal: client.signal });
    const reader = readFramesLive(response);
    while (true) {
      const { value } = await reader.next();
      if (value && isTextDelta(value)) break;
    }
    client.abort();
    // Without deadlines the fake stalls forever; only the proxy giving up its fetch ends it.
    // The answer's request, not the context step's /tokenize that came before it.
    await untilAborted(backend.requests.find((request) => request.method === "POST" && request.path !== "/tokenize")!.signal);
  });

  test("a client that leaves a non-streaming request aborts the backend request", async () => {
    let arrived!: (request: RecordedRequest) => void;
    const arrival = new Promise<RecordedRequest>((resolve) => (arrived = resolve));
    const { proxy } = await startWith(
      mode,
      (request) => {
        arrived(request);
        return { type: "hang" };
      },
      { timeouts: NO_DEADLINES },
    );
    const client = new AbortController();
    const pending = postMessage(proxy, { stream: false }, { signal: client.signal }).catch((error: Error) => error);
    const request = await arrival;
    client.abort();
    expect(await pending).toBeInstanceOf(Error);
    await untilAborted(request.signal);
  });

  test("the event sequence is exactly Anthropic's", async () => {
    const reply =
      mode === "native"
        ? anthropicStream(
            anthropicMessageEvents({
              blocks: [
                { type: "text", text: "Hi there" },
                { type: "tool_use", name: "Bash", input: { command: "ls" } },
              ],
              outputTokens: 9,
            }),
          )
        : openAIStream(
            llamaServerChunks({
              text: "Hi there",
              toolCalls: [{ name: "Bash", args: { command: "ls" } }],
              usage: { promptTokens: 30, completionTokens: 9 },
            }),
          );
    const { proxy } = await startWith(mode, reply);
    const frames = await readFrames(await postMessage(proxy, { stream: true }));
    expect(foldDeltas(frames)).toEqual([
      "message_start",
      "ping",
      "content_block_start",
      "delta*",
      "content_block_stop",
      "content_block_start",
      "delta*",
      "content_block_stop",
      "message_delta",
      "message_stop",
    ]);
    expect(frames.every((frame) => frame.event === frame.data.type)).toBe(true);
    expect((frames.at(-2)!.data as MessageDeltaEvent).usage.output_tokens).toBe(9);
  });

  test("backpressure: with a client that stops reading, the proxy stops reading the backend", async () => {
    // Big chunks, so the socket and fetch buffers on both sides (several MB) fill quickly.
    const total = 40_000;
    const piece = "x".repeat(1_000);
    let pulls = 0;
    const frames = backendFrames(mode, piece, 1);
    const delta = frames.deltas[0]!;
    const url = startHandWrittenBackend(mode, () => {
      const parts = [...frames.head];
      const tail = [...frames.tail];
      return new ReadableStream<Uint8Array>(
        {
          pull(controller) {
            if (parts.length > 0) return controller.enqueue(encoder.encode(parts.shift()!));
            if (pulls < total) {
              pulls++;
              return controller.enqueue(encoder.encode(delta));
            }
            if (tail.length > 0) return controller.enqueue(encoder.encode(tail.shift()!));
            controller.close();
          },
        },
        { highWaterMark: 0 },
      );
    });
    const proxy = await startProxyFor(url, { mode, timeouts: NO_DEADLINES });
    cleanups.push(() => proxy.stop());

    const response = await postMessage(proxy, { stream: true });
    const reader = response.body!.getReader();
    await reader.read();
    // The client now reads nothing; wait until the backend is no longer asked for more.
    let settled = pulls;
    for (let still = 0; still < 5 && pulls < total; ) {
      await Bun.sleep(100);
      still = pulls === settled ? still + 1 : 0;
      settled = pulls;
    }
    expect(pulls).toBeLessThan(total);

    // Reading on delivers everything: nothing was lost while the proxy held back.
    const decoder = new TextDecoder();
    let received = "";
    for (let next = await reader.read(); !next.done; next = await reader.read())
      received = decoder.decode(next.value, { stream: true }).slice(-200);
    expect(pulls).toBe(total);
    expect(received).toContain("event: message_stop");
  });
});

describe("translate mode: what Claude Code reads from engine-specific chunks", () => {
  async function translate(chunks: object[]) {
    const { proxy } = await startWith("translate", openAIStream(chunks));
    const frames = await readFrames(await postMessage(proxy, { stream: true }));
    const events = frames.map((frame) => frame.data as MessageStreamEvent);
    expect(checkAnthropicEventOrder(events)).toEqual([]);
    return events;
  }

  function blocks(events: MessageStreamEvent[]) {
    const found: Array<{ type: string; start: Record<string, unknown>; deltas: ContentBlockDeltaEvent["delta"][] }> = [];
    for (const event of events) {
      if (event.type === "content_block_start")
        found.push({ type: event.content_block.type, start: event.content_block as never, deltas: [] });
      if (event.type === "content_block_delta") found[event.index]!.deltas.push(event.delta);
    }
    return found;
  }

  test("llama-server reasoning_content is a thinking block of thinking_delta, never text", async () => {
    const events = await translate(llamaServerChunks({ reasoning: "Let me look at the files.", text: "Listing them.", pieces: 3 }));
    const [thinking, text] = blocks(events);
    expect(thinking!.type).toBe("thinking");
    expect(
      thinking!.deltas
        .filter((delta) => delta.type === "thinking_delta")
        .map((delta) => (delta as { thinking: string }).thinking)
        .join(""),
    ).toBe("Let me look at the files.");
    expect(thinking!.deltas.every((delta) => delta.type === "thinking_delta" || delta.type === "signature_delta")).toBe(true);
    expect(text!.type).toBe("text");
    expect(text!.deltas.map((delta) => (delta as { text: string }).text).join("")).toBe("Listing them.");
  });

  test("Ollama and vLLM `reasoning` is a thinking block too", async () => {
    const events = await translate([
      roleChunk(),
      chunk({ reasoning: "Think" }),
      chunk({ reasoning: "ing." }),
      chunk({ content: "Done." }),
      finishChunk("stop"),
    ]);
    const [thinking, text] = blocks(events);
    expect(thinking!.type).toBe("thinking");
    expect(thinking!.deltas.filter((delta) => delta.type === "thinking_delta")).toEqual([
      { type: "thinking_delta", thinking: "Think" },
      { type: "thinking_delta", thinking: "ing." },
    ]);
    expect(text!.deltas).toEqual([{ type: "text_delta", text: "Done." }]);
  });

  test("tool-call argument pieces are input_json_delta; parallel calls are successive tool_use blocks", async () => {
    const events = await translate([
      roleChunk(),
      ...toolCallChunks("Bash", { command: "ls -la" }, 3, { index: 0, id: "call_bash" }),
      ...toolCallChunks("Read", { file_path: "/tmp/a.txt" }, 3, { index: 1, id: "call_read" }),
      finishChunk("tool_calls"),
    ]);
    const found = blocks(events);
    expect(found.map((block) => [block.type, block.start.name, block.start.id])).toEqual([
      ["tool_use", "Bash", "call_bash"],
      ["tool_use", "Read", "call_read"],
    ]);
    for (const block of found) expect(block.deltas.every((delta) => delta.type === "input_json_delta")).toBe(true);
    const inputs = found.map((block) => JSON.parse(block.deltas.map((delta) => (delta as { partial_json: string }).partial_json).join("")));
    expect(inputs).toEqual([{ command: "ls -la" }, { file_path: "/tmp/a.txt" }]);
    expect((events.at(-2) as MessageDeltaEvent).delta.stop_reason).toBe("tool_use");
  });

  test("llama-server timings.cache_n becomes cache_read_input_tokens", async () => {
    // An older llama-server build: usage without prompt_tokens_details, cached tokens only in timings.
    const usage = {
      choices: [],
      object: "chat.completion.chunk",
      usage: { prompt_tokens: 120, completion_tokens: 8, total_tokens: 128 },
      timings: { cache_n: 100, prompt_n: 20, predicted_n: 8 },
    };
    const events = await translate([roleChunk(), ...textChunks("Cached.", 2), finishChunk("stop"), usage]);
    const delta = events.at(-2) as MessageDeltaEvent;
    expect(delta.usage).toEqual({ input_tokens: 20, output_tokens: 8, cache_creation_input_tokens: 0, cache_read_input_tokens: 100 });
  });
});
