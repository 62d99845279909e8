/**
 * Named client keys kept in the store by `anyclaude keys` (run as processes beside the server, on
 * one real SQLite file): a key added while the server runs is accepted at once, a revoked one
 * refused at once, and each request's key name reaches the log line, the request history, the
 * metrics and `keys list`. Keys of the configuration (a hash, a variable) work beside them.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Anthropic from "@anthropic-ai/sdk";
import { hashClientKey } from "../../src/access/client-key-secret";
import { type FakeOpenAIBackend, openAIJson, openAIStream, startFakeOpenAIBackend } from "../support/fake-openai-backend";
import { llamaServerChunks, llamaServerCompletion } from "../support/fake-openai-chunks";
import { runKeysCommand } from "../support/run-keys-command";
import { type StartedProxy, startProxy } from "../support/start-proxy";

const MESSAGE = { model: "claude-sonnet-4-5", max_tokens: 16, messages: [{ role: "user" as const, content: "hi" }] };
const CONFIGURED_KEY = "sk-configured-by-hash";

let backend: FakeOpenAIBackend;
let proxy: StartedProxy;
let dataDir: string;

/** `keys add NAME` and the key it printed alone on its last line. */
async function addKey(name: string): Promise<string> {
  const run = await runKeysCommand(["add", name], dataDir);
  expect([run.status, run.stderr]).toEqual([0, expect.stringContaining(`Added client key ${name}`)]);
  const lines = run.stdout.trimEnd().split("\n");
  expect(lines.at(-1)).toMatch(/^sk-anyclaude-[A-Za-z0-9_-]{43}$/);
  return lines.at(-1)!;
}

const ask = (key: string) =>
  new Anthropic({ apiKey: key, baseURL: proxy.url, maxRetries: 0 }).messages.create(MESSAGE).then(
    (message) => message.content[0],
    (error: unknown) => error,
  );

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "anyclaude-keys-"));
  const reply = { text: "hello", usage: { promptTokens: 5, completionTokens: 1 } };
  backend = startFakeOpenAIBackend(
    (request) =>
      (request.body as { stream?: boolean }).stream ? openAIStream(llamaServerChunks(reply)) : openAIJson(llamaServerCompletion(reply)),
    { kind: "llamacpp" },
  );
});

afterAll(async () => {
  await Promise.all([proxy?.stop(), backend.stop()]);
  rmSync(dataDir, { recursive: true, force: true });
});

describe("keys the store keeps", () => {
  let alice: string;

  beforeAll(async () => {
    alice = await addKey("alice");
    proxy = await startProxy(
      {
        paths: { dataDir, cacheDir: dataDir },
        server: { keys: { ops: { hash: `sha256:${hashClientKey(CONFIGURED_KEY)}` }, ci: { apiKeyEnv: "CI_KEY" } } },
        history: { flushIntervalMs: 100 },
      },
      [{ url: backend.url, kind: "llamacpp", mode: "translate" }],
      { env: { CI_KEY: "sk-from-the-environment" } },
    );
  });

  test("the key `keys add` printed opens the proxy to the official SDK; another key, and none, get 401", async () => {
    expect(await ask(alice)).toMatchObject({ type: "text", text: "hello" });
    expect(await ask("sk-anyclaude-not-a-key")).toBeInstanceOf(Anthropic.AuthenticationError);
    expect((await fetch(`${proxy.url}/v1/models`)).status).toBe(401);
  });

  test("keys of the configuration, by hash and from a variable, work beside the stored ones", async () => {
    expect(await ask(CONFIGURED_KEY)).toMatchObject({ text: "hello" });
    expect(await ask("sk-from-the-environment")).toMatchObject({ text: "hello" });
  });

  test("a key added while the server runs is accepted at once; a revoked one refused at once", async () => {
    const bob = await addKey("bob");
    expect(await ask(bob)).toMatchObject({ text: "hello" });
    const revoked = await runKeysCommand(["revoke", "bob"], dataDir);
    expect([revoked.status, revoked.stdout]).toEqual([0, expect.stringContaining("revoked client key bob")]);
    expect(await ask(bob)).toBeInstanceOf(Anthropic.AuthenticationError);
    expect(await ask(alice)).toMatchObject({ text: "hello" });
  });

  test("a login trades a key for a session cookie the dashboard's API takes (the models' API does not); revoking the key ends it", async () => {
    const carol = await addKey("carol");
    expect((await fetch(`${proxy.url}/dashboard`, { redirect: "manual" })).headers.get("location")).toBe("/login");
    const login = (key: string) =>
      fetch(`${proxy.url}/login`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ key }),
        redirect: "manual",
      });
    expect((await login("sk-wrong")).status).toBe(401);
    const loggedIn = await login(carol);
    expect([loggedIn.status, loggedIn.headers.get("location")]).toEqual([303, "/dashboard"]);
    const setCookie = loggedIn.headers.get("set-cookie")!;
    expect(setCookie).toMatch(/^anyclaude_session=[^;]+; HttpOnly; SameSite=Strict; Path=\/; Max-Age=\d+$/);
    expect(setCookie).not.toContain(carol);
    const cookie = { cookie: setCookie.split(";")[0]! };
    expect((await fetch(`${proxy.url}/api/stats`, { headers: cookie })).status).toBe(200);
    expect((await fetch(`${proxy.url}/dashboard`, { headers: cookie })).status).toBe(200);
    expect((await fetch(`${proxy.url}/v1/models`, { headers: cookie })).status).toBe(401);
    await runKeysCommand(["revoke", "carol"], dataDir);
    expect((await fetch(`${proxy.url}/api/stats`, { headers: cookie })).status).toBe(401);
  });

  test("the key's name is in the log line, the history row and the metrics; keys list shows when it was used, never a key", async () => {
    const before = proxy.logs.length;
    const streamed = await new Anthropic({ apiKey: alice, baseURL: proxy.url, maxRetries: 0 }).messages.stream(MESSAGE).finalMessage();
    expect(streamed.content[0]).toMatchObject({ text: "hello" });
    const line = proxy.logs.slice(before).find((record) => record.msg === "messages");
    expect(line).toMatchObject({ key: "alice", stream: true, outcome: "completed" });

    const headers = { "x-api-key": alice };
    const page = (await (await fetch(`${proxy.url}/api/requests?limit=50`, { headers })).json()) as {
      requests: Array<{ requestId: string; clientKey: string | null; status: number }>;
    };
    expect(page.requests.find((row) => row.requestId === line!.requestId)?.clientKey).toBe("alice");
    const answered = page.requests.filter((row) => row.status !== 401);
    expect(new Set(answered.map((row) => row.clientKey))).toEqual(new Set(["alice", "ops", "ci", "bob"]));
    // Requests refused for their key are in the history too, under no key's name.
    expect(page.requests.filter((row) => row.status === 401).every((row) => row.clientKey === null)).toBe(true);

    const metrics = await (await fetch(`${proxy.url}/metrics`, { headers })).text();
    expect(metrics).toMatch(/^anyclaude_client_requests_total\{key="alice",endpoint="messages",status="200"\} [3-9]$/m);
    expect(metrics).toMatch(/^anyclaude_client_tokens_total\{key="alice"\} \d+$/m);

    const listed = await runKeysCommand(["list", "--json"], dataDir);
    const keys = JSON.parse(listed.stdout) as Array<{ name: string; source: string; createdAt: number | null; lastUsedAt: number | null }>;
    // This `keys list` was given no configuration file: it shows the store's keys, bob revoked.
    expect(keys.map(({ name, source }) => `${name}:${source}`)).toEqual(["alice:store"]);
    expect(keys.find((key) => key.name === "alice")?.lastUsedAt).toBeGreaterThanOrEqual(
      keys.find((key) => key.name === "alice")!.createdAt!,
    );
    expect(listed.stdout).not.toContain(alice);
    expect(listed.stdout).not.toContain(hashClientKey(alice));
  });
});
