/**
 * `compress` summaries kept in the SQLite store and written by the configured summarizer: a
 * conversation too long for the main engine is summarized by a second loopback engine named in
 * `context.summarizer`, the summaries land in the store file, and a restarted server places the
 * same summary without asking the summarizer again.
 */
import { Database } from "bun:sqlite";
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type FakeBackend, startFakeBackend } from "../support/fake-backend-server";
import { openAIJson } from "../support/fake-openai-backend";
import { llamaServerCompletion } from "../support/fake-openai-chunks";
import { longReadConversation } from "../support/long-read-conversation";
import { type StartedProxy, startProxy } from "../support/start-proxy";
import { postMessage } from "./proxy-test-client";

const dir = mkdtempSync(join(tmpdir(), "anyclaude-summaries-"));
const SUMMARY = "Forty files of the parser were read; the user wants it refactored.";
let main: FakeBackend;
let small: FakeBackend;

const answer = (text: string) => openAIJson(llamaServerCompletion({ text, usage: { promptTokens: 10, completionTokens: 1 } }));

function startCompressing(): Promise<StartedProxy> {
  return startProxy(
    {
      cache: { enabled: false },
      paths: { dataDir: join(dir, "data"), cacheDir: join(dir, "cache") },
      context: { policy: "compress", summarizer: "small/tiny-summarizer" },
    },
    [
      { url: main.url, kind: "llamacpp", id: "main" },
      { url: small.url, kind: "llamacpp", id: "small" },
    ],
  );
}

beforeAll(() => {
  main = startFakeBackend({
    kind: "llamacpp",
    model: "main-model",
    contextWindow: 4_096,
    routes: { "/v1/chat/completions": answer("ok") },
  });
  small = startFakeBackend({
    kind: "llamacpp",
    model: "tiny-summarizer",
    contextWindow: 32_768,
    routes: { "/v1/chat/completions": answer(SUMMARY) },
  });
});
afterAll(async () => {
  await Promise.all([main.stop(), small.stop()]);
  rmSync(dir, { recursive: true, force: true });
});

test("the configured summarizer writes the summaries, the store keeps them, and a restart reuses them", async () => {
  const messages = longReadConversation(40);
  const first = await startCompressing();
  const response = await postMessage(first, { model: "main-model", messages });
  expect(response.status).toBe(200);
  await response.json();
  await first.stop();

  const summaryCalls = small.requestsTo("/v1/chat/completions");
  expect(summaryCalls.length).toBeGreaterThanOrEqual(1);
  expect(summaryCalls.every((request) => (request.body as { model: string }).model === "tiny-summarizer")).toBe(true);
  expect(summaryCalls.every((request) => request.rawBody.includes("You summarize the earlier part"))).toBe(true);
  // The main engine got only the request itself, the summary in place of the left-out turns.
  const sent = main.requestsTo("/v1/chat/completions");
  expect(sent).toHaveLength(1);
  expect(sent[0]!.rawBody).toContain(SUMMARY);

  const database = new Database(join(dir, "data", "anyclaude.db"), { readonly: true });
  const rows = database.query("SELECT summarizer, summary FROM context_summaries").all() as Array<{ summarizer: string; summary: string }>;
  database.close();
  expect(rows).toHaveLength(summaryCalls.length);
  expect(rows.every((row) => row.summarizer === "small/tiny-summarizer" && row.summary === SUMMARY)).toBe(true);

  // A new server on the same data directory: the same cut gets the stored summary, the summarizer is not asked.
  const restarted = await startCompressing();
  const again = await postMessage(restarted, { model: "main-model", messages });
  expect(again.status).toBe(200);
  await again.json();
  await restarted.stop();
  expect(small.requestsTo("/v1/chat/completions")).toHaveLength(summaryCalls.length);
  const resent = main.requestsTo("/v1/chat/completions");
  expect(resent).toHaveLength(2);
  // The same bytes as before the restart: the engine's cached prefix still matches.
  expect((resent[1]!.body as { messages: unknown }).messages).toEqual((resent[0]!.body as { messages: unknown }).messages);
});

test("a summarizer that names nothing the router knows: the trim's marker, with a warning", async () => {
  const proxy = await startProxy({ cache: { enabled: false }, context: { policy: "compress", summarizer: "nowhere/none" } }, [
    { url: main.url, kind: "llamacpp", id: "main" },
  ]);
  try {
    const response = await postMessage(proxy, { model: "main-model", messages: longReadConversation(40) });
    expect(response.status).toBe(200);
    await response.json();
    expect(String(proxy.logs.find((record) => record.msg === "messages")?.warnings)).toContain("summary-failed@messages");
  } finally {
    await proxy.stop();
  }
});
