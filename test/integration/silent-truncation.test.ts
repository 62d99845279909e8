/**
 * An engine that cuts the prompt without saying so, as Ollama's OpenAI-compatible endpoint does
 * (it keeps what fits its num_ctx and reports only those prompt tokens): the real server notices
 * from the usage, logs a warning and counts it, for JSON and streamed answers; an engine that
 * took the whole prompt raises nothing.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { type FakeBackend, type RecordedRequest, startFakeBackend } from "../support/fake-backend-server";
import { openAIJson, openAIStream } from "../support/fake-openai-backend";
import { type StartedProxy, startProxy } from "../support/start-proxy";
import { postMessage } from "./proxy-test-client";

/** Ollama's default num_ctx: what it kept of any longer prompt. */
const OLLAMA_KEPT = 2_048;

/** Ollama's OpenAI-compatible answer (its openai.md), with the prompt tokens it really evaluated. */
function answerAsOllama(request: RecordedRequest) {
  const body = request.body as { stream?: boolean; messages: Array<{ content?: unknown }> };
  const sentChars = JSON.stringify(body.messages).length;
  // Roughly its tokenizer's count, capped at what it kept.
  const promptTokens = Math.min(OLLAMA_KEPT, Math.ceil(sentChars / 4));
  const usage = { prompt_tokens: promptTokens, completion_tokens: 1, total_tokens: promptTokens + 1 };
  const envelope = { id: "chatcmpl-123", created: 1767225600, model: "qwen3:8b", system_fingerprint: "fp_ollama" };
  if (!body.stream) {
    return openAIJson({
      ...envelope,
      object: "chat.completion",
      choices: [{ index: 0, message: { role: "assistant", content: "ok" }, finish_reason: "stop" }],
      usage,
    });
  }
  const chunk = (delta: object, finish: string | null) => ({
    ...envelope,
    object: "chat.completion.chunk",
    choices: [{ index: 0, delta, finish_reason: finish }],
  });
  return openAIStream([
    chunk({ role: "assistant", content: "ok" }, null),
    chunk({ role: "assistant", content: "" }, "stop"),
    { ...envelope, object: "chat.completion.chunk", choices: [], usage },
  ]);
}

let ollama: FakeBackend;
let proxy: StartedProxy;

beforeAll(async () => {
  // It lists a large loaded window, yet keeps only 2048 tokens of what it gets.
  ollama = startFakeBackend({
    kind: "ollama",
    model: "qwen3:8b",
    contextWindow: 131_072,
    routes: { "/v1/chat/completions": answerAsOllama },
  });
  proxy = await startProxy({ cache: { enabled: false } }, [{ url: ollama.url, kind: "ollama" }]);
});
afterAll(async () => {
  await Promise.all([proxy.stop(), ollama.stop()]);
});

const longPrompt = `Read this and answer. ${"The parser keeps a table of states and a stack of frames. ".repeat(800)}`;

async function truncationCount(): Promise<number> {
  const metrics = await (await fetch(`${proxy.url}/metrics`)).text();
  const line = metrics.split("\n").find((text) => text.startsWith(`anyclaude_context_truncations_total{backend="ollama-${ollama.port}"}`));
  return line === undefined ? 0 : Number(line.split(" ").at(-1));
}

test("a short prompt taken whole raises nothing", async () => {
  const response = await postMessage(proxy, { model: "qwen3:8b", messages: [{ role: "user", content: "Hello there." }] });
  expect(response.status).toBe(200);
  await response.json();
  expect(await truncationCount()).toBe(0);
  expect(proxy.logs.filter((record) => record.msg === "the engine cut the prompt")).toEqual([]);
});

test("a long prompt the engine cut: a warning in the log line and a count, for JSON and streamed answers", async () => {
  for (const stream of [false, true]) {
    const before = await truncationCount();
    const response = await postMessage(proxy, { model: "qwen3:8b", stream, messages: [{ role: "user", content: longPrompt }] });
    expect(response.status).toBe(200);
    await response.text();
    expect(await truncationCount()).toBe(before + 1);
  }
  const warnings = proxy.logs.filter((record) => record.msg === "the engine cut the prompt");
  expect(warnings).toHaveLength(2);
  expect(String(warnings[0]!.detail)).toMatch(/^the engine reported 2048 prompt tokens for a prompt anyclaude counted at \d+/);
  const lines = proxy.logs.filter((record) => record.msg === "messages");
  expect(lines.at(-1)!.warnings).toContain("prompt-truncated@messages");
});
