/**
 * Prompts and answers in the request history, through the real server: off (the default),
 * nothing of either reaches the SQLite file, not even in its journal; on, `/api/requests/{id}`
 * shows the request as sent and the answer as it went out (JSON and streamed), cut to
 * `history.maxBodyBytes` with the prompt's end kept.
 */
import { afterEach, describe, expect, test } from "bun:test";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RequestDetail, RequestRow } from "../../src/history/request-stats-schema";
import { STORE_FILE_NAME } from "../../src/store/open-store";
import { type FakeOpenAIBackend, openAIJson, openAIStream, startFakeOpenAIBackend } from "../support/fake-openai-backend";
import { llamaServerChunks, llamaServerCompletion } from "../support/fake-openai-chunks";
import { type StartedProxy, startProxy } from "../support/start-proxy";

const PROMPT_MARKER = "prompt-marker-5d1c9e";
const ANSWER_MARKER = "answer-marker-8b27f0";

let dataDir: string;
let backend: FakeOpenAIBackend | undefined;
let proxy: StartedProxy | undefined;

afterEach(async () => {
  await proxy?.stop();
  await backend?.stop();
  rmSync(dataDir, { recursive: true, force: true });
  proxy = backend = undefined;
});

async function start(history: Record<string, unknown>) {
  dataDir = mkdtempSync(join(tmpdir(), "anyclaude-history-bodies-"));
  backend = startFakeOpenAIBackend((request) =>
    (request.body as { stream?: boolean }).stream
      ? openAIStream(llamaServerChunks({ text: `Streamed ${ANSWER_MARKER}.`, pieces: 5 }))
      : openAIJson(llamaServerCompletion({ text: `Whole ${ANSWER_MARKER}.` })),
  );
  proxy = await startProxy(
    { paths: { dataDir, cacheDir: join(dataDir, "cache-dir") }, cache: { enabled: false }, history: { flushIntervalMs: 100, ...history } },
    [{ id: "llama", url: backend.url, kind: "llamacpp", mode: "translate" }],
  );
}

async function send(content: string, stream: boolean): Promise<void> {
  const response = await fetch(`${proxy!.url}/v1/messages`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ model: "claude-sonnet-5-5", max_tokens: 64, stream, messages: [{ role: "user", content }] }),
  });
  expect(response.status).toBe(200);
  await response.text();
}

async function details(): Promise<RequestDetail[]> {
  const { requests } = (await (await fetch(`${proxy!.url}/api/requests?limit=10`)).json()) as { requests: RequestRow[] };
  return Promise.all(requests.map(async (row) => (await (await fetch(`${proxy!.url}/api/requests/${row.id}`)).json()) as RequestDetail));
}

describe("history.storeBodies", () => {
  test("off: no prompt or answer is kept, and none of their bytes is in the database file", async () => {
    await start({});
    await send(`Say hi. ${PROMPT_MARKER}`, false);
    await send(`Say hi again. ${PROMPT_MARKER}`, true);
    const kept = await details();
    expect(kept).toHaveLength(2);
    for (const detail of kept) expect(detail.bodies).toBeNull();

    await proxy!.stop();
    proxy = undefined;
    const files = readdirSync(dataDir).filter((name) => name.startsWith(STORE_FILE_NAME));
    expect(files).toContain(STORE_FILE_NAME);
    for (const name of files) {
      const bytes = readFileSync(join(dataDir, name));
      expect([name, bytes.includes(PROMPT_MARKER), bytes.includes(ANSWER_MARKER)]).toEqual([name, false, false]);
    }
  });

  test("on: the request as sent and the answer as it went out, JSON and streamed", async () => {
    await start({ storeBodies: true });
    await send(`Say hi. ${PROMPT_MARKER}`, false);
    await send(`Say hi again. ${PROMPT_MARKER}`, true);
    const [streamed, whole] = await details();
    expect(whole!.bodies!.truncated).toBe(false);
    expect(JSON.parse(whole!.bodies!.prompt)).toMatchObject({ messages: [{ role: "user", content: `Say hi. ${PROMPT_MARKER}` }] });
    expect(JSON.parse(whole!.bodies!.answer)).toMatchObject({ content: [{ type: "text", text: `Whole ${ANSWER_MARKER}.` }] });
    expect(JSON.parse(streamed!.bodies!.prompt)).toMatchObject({ stream: true });
    expect(JSON.parse(streamed!.bodies!.answer)).toMatchObject({ content: [{ type: "text", text: `Streamed ${ANSWER_MARKER}.` }] });
    expect(streamed).toMatchObject({ stream: true, status: 200 });
  });

  test("on, with a cap: a long prompt keeps its end, within maxBodyBytes", async () => {
    await start({ storeBodies: true, maxBodyBytes: 2048 });
    await send(`${"an old turn. ".repeat(400)}${PROMPT_MARKER}`, false);
    const [detail] = await details();
    const { prompt, answer, truncated } = detail!.bodies!;
    expect(truncated).toBe(true);
    expect(prompt).toStartWith("…");
    expect(prompt).toContain(PROMPT_MARKER);
    expect(Buffer.byteLength(prompt) + Buffer.byteLength(answer)).toBeLessThanOrEqual(2048);
  });

  test("an id the history does not have is a 404 in Anthropic's shape", async () => {
    await start({});
    const response = await fetch(`${proxy!.url}/api/requests/999`);
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ type: "error", error: { type: "not_found_error" } });
  });
});
