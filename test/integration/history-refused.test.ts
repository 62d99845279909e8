/**
 * Requests refused before dispatch reach the history too, through the real server: a body that
 * is not JSON, one that fails validation, one over `server.maxBodyBytes`, the wrong content type,
 * and a missing client key each get a row with status, error type and latency (and nothing of the
 * body), counted among /api/stats' errors. A refused count_tokens request is not a Messages
 * request and gets none. (A model no backend serves fails in dispatch, which recorded it already.)
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RequestRow, RequestStats } from "../../src/history/request-stats-schema";
import { STORE_FILE_NAME } from "../../src/store/open-store";
import { type FakeOpenAIBackend, openAIJson, startFakeOpenAIBackend } from "../support/fake-openai-backend";
import { llamaServerCompletion } from "../support/fake-openai-chunks";
import { type StartedProxy, startProxy } from "../support/start-proxy";

const KEY = "sk-anyclaude-refused-test";
const LIMIT = 4096;
const dataDir = mkdtempSync(join(tmpdir(), "anyclaude-history-refused-"));
let backend: FakeOpenAIBackend;
let proxy: StartedProxy;
let stopped = false;

beforeAll(async () => {
  backend = startFakeOpenAIBackend(openAIJson(llamaServerCompletion({ text: "Hi" })));
  proxy = await startProxy(
    {
      server: { apiKey: KEY, maxBodyBytes: LIMIT },
      paths: { dataDir, cacheDir: join(dataDir, "cache-dir") },
      history: { flushIntervalMs: 100 },
    },
    [{ id: "llama", url: backend.url, kind: "llamacpp", mode: "translate" }],
  );
});

afterAll(async () => {
  if (!stopped) await proxy?.stop();
  await backend?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const VALID = { model: "claude-sonnet-5-5", max_tokens: 64, messages: [{ role: "user", content: "Hi" }] };

function post(path: string, body: string, headers: Record<string, string> = {}) {
  return fetch(`${proxy.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-api-key": KEY, ...headers },
    body,
  });
}

async function getJson<T>(path: string): Promise<T> {
  return (await (await fetch(`${proxy.url}${path}`, { headers: { "x-api-key": KEY } })).json()) as T;
}

test("each refusal is a history row with its status and error type, counted as an error; nothing of the body is kept", async () => {
  const sent: Array<[number, string]> = [];
  const refuse = async (response: Promise<Response>) => {
    const answer = await response;
    const body = (await answer.json()) as { error: { type: string } };
    sent.push([answer.status, body.error.type]);
  };
  await refuse(post("/v1/messages", "{not json"));
  await refuse(post("/v1/messages", JSON.stringify({ ...VALID, max_tokens: "many" })));
  await refuse(post("/v1/messages", JSON.stringify({ ...VALID, messages: [{ role: "user", content: "x".repeat(LIMIT) }] })));
  await refuse(post("/v1/messages", JSON.stringify(VALID), { "content-type": "text/plain" }));
  await refuse(post("/v1/messages", JSON.stringify(VALID), { "x-api-key": "sk-wrong" }));
  // Not Messages requests: no rows.
  await refuse(post("/v1/messages/count_tokens", "{not json"));
  expect((await post("/v1/messages", JSON.stringify(VALID))).status).toBe(200);

  expect(sent).toEqual([
    [400, "invalid_request_error"],
    [400, "invalid_request_error"],
    [413, "request_too_large"],
    [415, "invalid_request_error"],
    [401, "authentication_error"],
    [400, "invalid_request_error"],
  ]);
  const { requests } = await getJson<{ requests: RequestRow[] }>("/api/requests?limit=20");
  const refused = requests.filter((row) => row.status >= 400).reverse();
  expect(refused.map((row) => [row.status, row.errorType])).toEqual(sent.slice(0, 5));
  for (const row of refused) {
    expect(row).toMatchObject({ outcome: "failed", cache: null, inputTokens: null });
    expect(row.latencyMs).toBeGreaterThanOrEqual(0);
  }
  expect(requests).toHaveLength(6);

  const stats = await getJson<RequestStats>("/api/stats?window=15m");
  expect(stats).toMatchObject({ requests: 6, errors: 5 });
  expect(stats.recentErrors.map((row) => row.status).sort()).toEqual([400, 400, 401, 413, 415]);

  // Stopping writes what is pending; the file (and its journal) hold the rows, never a body.
  await proxy.stop();
  stopped = true;
  const files = readdirSync(dataDir).filter((name) => name.startsWith(STORE_FILE_NAME));
  expect(files).toContain(STORE_FILE_NAME);
  for (const name of files) expect(readFileSync(join(dataDir, name)).includes("x".repeat(64))).toBe(false);
});
