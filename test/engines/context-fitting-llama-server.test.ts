/**
 * Real-engine tier: a conversation several times longer than a real llama-server's window goes
 * through anyclaude (no context configuration: the window is what the engine lists) trimmed to
 * fit, and the engine's own count of the prompt it got stays within the window.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Message } from "../../src/protocol/anthropic/messages";
import { findLlamaServer } from "../support/engines";
import { type StartedProxy, startProxy } from "../support/start-proxy";
import { LLAMA_SERVER_MISSING, startTinyLlamaServer, type TinyLlamaServer } from "./start-tiny-llama-server";

const binary = findLlamaServer();
if (!binary) console.log(LLAMA_SERVER_MISSING);

const CTX = 2_048;
let dir: string;
let engine: TinyLlamaServer;
let proxy: StartedProxy;

beforeAll(async () => {
  if (!binary) return;
  dir = mkdtempSync(join(tmpdir(), "anyclaude-context-"));
  engine = await startTinyLlamaServer({ dir, variant: "chatty", ctx: CTX });
  proxy = await startProxy({ cache: { enabled: false } }, [{ id: "llama", url: engine.url, kind: "auto", mode: "translate" }]);
});
afterAll(async () => {
  await proxy?.stop();
  await engine?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The task, then `turns` exchanges of about 60 words each. */
function longConversation(turns: number): Array<{ role: "user" | "assistant"; content: string }> {
  const messages: Array<{ role: "user" | "assistant"; content: string }> = [{ role: "user", content: "Tell me about the weather." }];
  for (let k = 0; k < turns; k++) {
    messages.push({
      role: "assistant",
      content: `Day ${k}: the weather was mild with some clouds and a light wind from the west. `.repeat(4),
    });
    messages.push({ role: "user", content: `And on day ${k + 1}? Please say it in a few words.` });
  }
  return messages;
}

test.skipIf(!binary)("a conversation five times the window is trimmed to what the engine accepts", async () => {
  const response = await fetch(`${proxy.url}/v1/messages`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ model: engine.model, max_tokens: 64, messages: longConversation(60) }),
  });
  const body = (await response.json()) as Message;
  expect(response.status).toBe(200);
  const [used, window] = response.headers.get("x-anyclaude-context")!.split("/").map(Number);
  expect(window).toBe(CTX);
  // The engine's own count of what it got: anyclaude's must not have under-counted past the window.
  expect(body.usage.input_tokens).toBeLessThanOrEqual(CTX - 64);
  expect(used).toBeLessThanOrEqual(CTX);
  expect(String(proxy.logs.find((record) => record.msg === "messages")?.warnings)).toContain("context-trimmed@messages");
  console.log(`[engines] context: ${used}/${window} by anyclaude's count, ${body.usage.input_tokens} by llama-server's`);
});
