/**
 * Real-engine tier, counting and usage: anyclaude counts a conversation with llama-server's own
 * `/tokenize` and plans a prompt the engine accepts, its count close to the engine's; and the
 * usage of a second request with the same prefix reports what the engine reused as
 * `cache_read_input_tokens` (translate mode, JSON and stream; native mode), as Anthropic does.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Message, Usage } from "../../src/protocol/anthropic/messages";
import { findLlamaServer } from "../support/engines";
import { readAnthropicEvents } from "../support/read-anthropic-events";
import { type StartedProxy, startProxy } from "../support/start-proxy";
import { LLAMA_SERVER_MISSING, startTinyLlamaServer, type TinyLlamaServer } from "./start-tiny-llama-server";

const binary = findLlamaServer();
if (!binary) console.log(LLAMA_SERVER_MISSING);

const CTX = 2_048;
const MAX_TOKENS = 32;
let dir: string;
let engine: TinyLlamaServer;
let translating: StartedProxy;
let native: StartedProxy;

beforeAll(async () => {
  if (!binary) return;
  dir = mkdtempSync(join(tmpdir(), "anyclaude-counts-"));
  engine = await startTinyLlamaServer({ dir, variant: "chatty", ctx: CTX });
  translating = await startProxy({ cache: { enabled: false } }, [{ id: "llama", url: engine.url, kind: "llamacpp", mode: "translate" }]);
  native = await startProxy({ cache: { enabled: false } }, [{ id: "llama", url: engine.url, kind: "llamacpp", mode: "native" }]);
});
afterAll(async () => {
  await Promise.all([translating?.stop(), native?.stop()]);
  await engine?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function conversation(turns: number): Array<{ role: "user" | "assistant"; content: string }> {
  const messages: Array<{ role: "user" | "assistant"; content: string }> = [{ role: "user", content: "Tell me about the weather." }];
  for (let k = 0; k < turns; k++) {
    messages.push({ role: "assistant", content: `Day ${k}: mild, some clouds, a light wind from the west. `.repeat(3) });
    messages.push({ role: "user", content: `And on day ${k + 1}? In a few words.` });
  }
  return messages;
}

async function send(proxy: StartedProxy, body: object): Promise<{ response: Response; usage: Usage }> {
  const response = await fetch(`${proxy.url}/v1/messages`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ model: engine.model, max_tokens: MAX_TOKENS, ...body }),
  });
  expect(response.status).toBe(200);
  if (!(body as { stream?: boolean }).stream) return { response, usage: ((await response.json()) as Message).usage };
  let usage = {} as Usage;
  for (const event of await readAnthropicEvents(response)) {
    if (event.type === "message_start") usage = { ...event.message.usage };
    if (event.type === "message_delta") usage = { ...usage, ...(event.usage as Partial<Usage>) };
  }
  return { response, usage };
}

test.skipIf(!binary)(
  "a conversation far over the window: planned with the engine's counts, accepted, the count close to the engine's",
  async () => {
    const { response, usage } = await send(translating, { messages: conversation(40) });
    const [used, window] = response.headers.get("x-anyclaude-context")!.split("/").map(Number);
    expect(window).toBe(CTX);
    const engineCount = usage.input_tokens + (usage.cache_read_input_tokens ?? 0);
    expect(engineCount + MAX_TOKENS).toBeLessThanOrEqual(CTX);
    // The template's framing is estimated; the text itself was counted by the engine.
    expect(Math.abs(used! - engineCount) / engineCount).toBeLessThan(0.1);
    expect(translating.logs.find((record) => record.msg === "messages")?.warnings).not.toContain("token-count-estimated");
    console.log(`[engines] counts: anyclaude ${used}, llama-server ${engineCount} of ${CTX}`);
  },
);

test.skipIf(!binary)("the same prefix twice: the second answer reports the reused prompt as cache_read_input_tokens", async () => {
  const messages = conversation(3);
  for (const [proxy, stream] of [
    [translating, false],
    [translating, true],
    [native, false],
    [native, true],
  ] as const) {
    const question = { role: "user" as const, content: `Once more (${proxy === native ? "native" : "translate"}, ${stream}).` };
    await send(proxy, { stream, messages: [...messages, { role: "assistant", content: "Noted." }, question] });
    const { usage } = await send(proxy, { stream, messages: [...messages, { role: "assistant", content: "Noted." }, question] });
    expect(usage.cache_read_input_tokens ?? 0).toBeGreaterThan(0);
    expect(usage.input_tokens).toBeLessThan(usage.cache_read_input_tokens!);
    console.log(`[engines] usage (${proxy === native ? "native" : "translate"}, stream ${stream}): ${JSON.stringify(usage)}`);
  }
});
