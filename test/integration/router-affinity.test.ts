/**
 * Prefix affinity end to end: a Claude Code conversation (the recorded requests) keeps going to
 * the same llama-server, pinned to the slot that holds its prompt prefix (`id_slot` with
 * `cache_prompt`), turn after turn; a slot that is busy with one of our requests is not pinned
 * to again, so the engine can pick a free one. Claude Code's side calls (a session title, a
 * subagent's turn) get the engine's last slot, which no main conversation is pinned to. In native
 * mode a pinned request goes to the engine's OpenAI endpoint: its `/v1/messages` drops `id_slot`.
 */
import { afterEach, describe, expect, test } from "bun:test";
import { loadConfig } from "../../src/config/load-config";
import type { MessageCreateParams } from "../../src/protocol/anthropic/messages";
import { chooseLlamaSlot } from "../../src/router/choose-llama-slot";
import { computeAffinityKey } from "../../src/router/compute-affinity-key";
import { normalizeAnthropicRequest } from "../../src/translate/normalize-anthropic-request";
import { readClaudeCodeRequests } from "../support/claude-code-fixtures";
import { anthropicJson, anthropicStream } from "../support/fake-anthropic-backend";
import { anthropicMessageBody, anthropicMessageEvents } from "../support/fake-anthropic-events";
import { type RecordedRequest, startFakeBackend } from "../support/fake-backend-server";
import { readFrames } from "./proxy-test-client";
import { answer, backendFor, chatRequests, routing, startEngine, startRouter, stopAll, streamedText, waitFor } from "./router-test-kit";

afterEach(stopAll);

const SLOTS = 4;
/** The last slot is the side calls' (claudeCode.sideCallSlot): main conversations share the others. */
const MAIN_SLOTS = SLOTS - 1;
const recorded = readClaudeCodeRequests();
const sayHi = recorded.find((request) => request.name.includes("p-say-hi"))!;
const title = recorded.find((request) => request.name.includes("interactive-title"))!;

function post(url: string, body: MessageCreateParams): Promise<Response> {
  return fetch(`${url}${sayHi.url}`, { method: "POST", headers: sayHi.headers, body: JSON.stringify(body) });
}

/** The slot the router should pin this request to: the same normalization, key and slot choice. */
function expectedSlot(body: MessageCreateParams): number {
  const normalized = normalizeAnthropicRequest(body, loadConfig({ env: {}, flags: {} }).claudeCode).value;
  return chooseLlamaSlot(computeAffinityKey(normalized), MAIN_SLOTS);
}

/** The same request as one of a subagent's turns: Claude Code marks them in the billing line. */
function asSubagentTurn(body: MessageCreateParams): MessageCreateParams {
  const [billing, ...rest] = body.system as Array<{ type: "text"; text: string }>;
  return { ...body, system: [{ ...billing!, text: `${billing!.text} cc_is_subagent=true;` }, ...rest] };
}

/** The next turn of the same conversation: the answer and a new user message appended. */
function nextTurn(body: MessageCreateParams): MessageCreateParams {
  return {
    ...body,
    messages: [
      ...body.messages,
      { role: "assistant", content: "Hi! What should we work on?" },
      { role: "user", content: "Run the tests." },
    ],
  };
}

const sentSlot = (request: RecordedRequest) => (request.body as { id_slot?: number }).id_slot;

describe("prefix-affinity on llama-server", () => {
  test("one conversation: the same backend and the same slot every turn, with cache_prompt", async () => {
    const a = startEngine(answer("from a"), { totalSlots: SLOTS });
    const b = startEngine(answer("from b"), { totalSlots: SLOTS });
    const proxy = await startRouter([backendFor("a", a.url), backendFor("b", b.url)], { pair: { strategy: "prefix-affinity" } });
    const turns = [sayHi.body, nextTurn(sayHi.body), nextTurn(nextTurn(sayHi.body))];
    const served: Array<string | null> = [];
    for (const body of turns) {
      const response = await post(proxy.url, body);
      served.push(routing(response).backend);
      await readFrames(response);
    }
    expect(new Set(served).size).toBe(1);
    const engine = served[0] === "a" ? a : b;
    const requests = chatRequests(engine);
    expect(requests.map(sentSlot)).toEqual([expectedSlot(sayHi.body), expectedSlot(sayHi.body), expectedSlot(sayHi.body)]);
    expect(requests.every((request) => (request.body as { cache_prompt?: boolean }).cache_prompt === true)).toBe(true);
  });

  test("a slot busy with one of our requests is not pinned to again: the engine picks", async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const a = startEngine(
      async (request, index) => {
        if (index === 0) await held;
        return answer("from a")(request);
      },
      { totalSlots: SLOTS },
    );
    const patient = { timeouts: { firstByteMs: 10_000, idleMs: 10_000, totalMs: 20_000 } };
    const proxy = await startRouter([backendFor("a", a.url, patient)], { pair: { strategy: "prefix-affinity" } });
    const first = post(proxy.url, sayHi.body);
    await waitFor(() => chatRequests(a).length === 1);
    const second = await post(proxy.url, nextTurn(sayHi.body));
    await readFrames(second);
    release();
    await readFrames(await first);
    expect(chatRequests(a).map(sentSlot)).toEqual([expectedSlot(sayHi.body), undefined]);
  });

  test("any strategy: main conversations share the first slots, side calls get the last one", async () => {
    const a = startEngine(answer("from a"), { totalSlots: SLOTS });
    const proxy = await startRouter([backendFor("a", a.url)]);
    for (const body of [sayHi.body, title.body, asSubagentTurn(sayHi.body), nextTurn(sayHi.body)]) {
      await readFrames(await post(proxy.url, { ...body, stream: true }));
    }
    const main = expectedSlot(sayHi.body);
    expect(main).toBeLessThan(MAIN_SLOTS);
    expect(chatRequests(a).map(sentSlot)).toEqual([main, SLOTS - 1, SLOTS - 1, main]);
  });

  test("with claudeCode.sideCallSlot off, only prefix affinity pins", async () => {
    const a = startEngine(answer("from a"), { totalSlots: SLOTS });
    const proxy = await startRouter([backendFor("a", a.url)], { claudeCode: { sideCallSlot: false } });
    await readFrames(await post(proxy.url, sayHi.body));
    await readFrames(await post(proxy.url, { ...title.body, stream: true }));
    expect(chatRequests(a).map(sentSlot)).toEqual([undefined, undefined]);
  });
});

describe("prefix-affinity on llama-server in native mode", () => {
  /** A fake llama-server that speaks both: its OpenAI endpoint and its own /v1/messages. */
  function startBilingualEngine() {
    const native = { blocks: [{ type: "text" as const, text: "from /v1/messages" }] };
    return startFakeBackend({
      kind: "llamacpp",
      model: "m",
      totalSlots: SLOTS,
      routes: {
        "/v1/chat/completions": answer("from chat"),
        "/v1/messages": (request) =>
          (request.body as { stream?: boolean }).stream
            ? anthropicStream(anthropicMessageEvents(native))
            : anthropicJson(anthropicMessageBody(native)),
      },
    });
  }

  test("a request pinned to a slot goes to the OpenAI endpoint with id_slot; the side call gets the last slot", async () => {
    const engine = startBilingualEngine();
    try {
      const proxy = await startRouter([backendFor("a", engine.url, { mode: "native" })]);
      for (const body of [sayHi.body, { ...title.body, stream: true }]) {
        const response = await post(proxy.url, body);
        expect(response.status).toBe(200);
        await response.arrayBuffer();
      }
      expect(engine.requestsTo("/v1/chat/completions").map(sentSlot)).toEqual([expectedSlot(sayHi.body), SLOTS - 1]);
      expect(engine.requestsTo("/v1/messages")).toHaveLength(0);
    } finally {
      await engine.stop();
    }
  });

  test("with claudeCode.sideCallSlot off nothing is pinned: requests go to the engine's /v1/messages", async () => {
    const engine = startBilingualEngine();
    try {
      const proxy = await startRouter([backendFor("a", engine.url, { mode: "native" })], { claudeCode: { sideCallSlot: false } });
      const frames = await readFrames(await post(proxy.url, { ...sayHi.body, stream: true }));
      expect(streamedText(frames)).toBe("from /v1/messages");
      await (await post(proxy.url, { ...title.body, stream: false })).arrayBuffer();
      expect(engine.requestsTo("/v1/messages")).toHaveLength(2);
      expect(engine.requestsTo("/v1/chat/completions")).toHaveLength(0);
    } finally {
      await engine.stop();
    }
  });
});
