/**
 * Real-engine tier, counting: anyclaude counts a conversation with llama-server's own `/tokenize`
 * and plans a prompt the engine accepts, its count close to the engine's. (How the engine's reuse
 * reaches the client as `cache_read_input_tokens` is in anyclaude-llama-server.test.ts.)
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Message, Usage } from "../../src/protocol/anthropic/messages";
import { findLlamaServer } from "../support/engines";
import { type StartedProxy, startProxy } from "../support/start-proxy";
import { LLAMA_SERVER_MISSING, startTinyLlamaServer, type TinyLlamaServer } from "./start-tiny-llama-server";

const binary = findLlamaServer();
if (!binary) console.log(LLAMA_SERVER_MISSING);

const CTX = 2_048;
const MAX_TOKENS = 32;
let dir: string;
let engine: TinyLlamaServer;
let translating: StartedProxy;

beforeAll(async () => {
  if (!binary) return;
  dir = mkdtempSync(join(tmpdir(), "anyclaude-counts-"));
  engine = await startTinyLlamaServer({ dir, variant: "chatty", ctx: CTX });
  translating = await startProxy({ cache: { enabled: false } }, [{ id: "llama", url: engine.url, kind: "llamacpp", mode: "translate" }]);
});
afterAll(async () => {
  await translating?.stop();
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
  return { response, usage: ((await response.json()) as Message).usage };
}

test.skipIf(!binary)(
  "a conversation far over the window: planned with the engine's counts, accepted, the count close to the engine's",
  async () => {
    const { response, usage } = await send(translating, { messages: conversation(40) });
    const [used, window] = response.headers.get("x-anyclaude-context")!.split("/").map(Number);
    expect(window).toBe(CTX);
    const engineCount = usage.input_tokens + (usage.cache_read_input_tokens ?? 0);
    // Within the prompt's budget (the window less the output reserve, a quarter of so small a window) by the engine's own count.
    expect(engineCount).toBeLessThanOrEqual(CTX - CTX / 4);
    // The template's framing is estimated; the text itself was counted by the engine.
    expect(Math.abs(used! - engineCount) / engineCount).toBeLessThan(0.1);
    expect(translating.logs.find((record) => record.msg === "messages")?.warnings).not.toContain("token-count-estimated");
    console.log(`[engines] counts: anyclaude ${used}, llama-server ${engineCount} of ${CTX}`);
  },
);
