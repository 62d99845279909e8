/**
 * `server.apiKey`: with it set, anyclaude answers only clients that send the key, the way Claude
 * Code sends it (x-api-key from ANTHROPIC_API_KEY, Bearer from ANTHROPIC_AUTH_TOKEN); everyone
 * else gets Anthropic's 401. Liveness and the docs stay open.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Anthropic from "@anthropic-ai/sdk";
import { ConfigError } from "../../src/config/config-error";
import { type FakeOpenAIBackend, openAIJson, openAIStream, startFakeOpenAIBackend } from "../support/fake-openai-backend";
import { llamaServerChunks, llamaServerCompletion } from "../support/fake-openai-chunks";
import { runClaudeCode } from "../support/run-claude-code";
import { type StartedProxy, startProxy } from "../support/start-proxy";

/** What the Claude Code harness sends as ANTHROPIC_API_KEY. */
const KEY = "sk-test";
const MESSAGE = { model: "claude-sonnet-4-5", max_tokens: 16, messages: [{ role: "user", content: "hi" }] };

let backend: FakeOpenAIBackend;
let proxy: StartedProxy;

beforeAll(async () => {
  const reply = { text: "hello", usage: { promptTokens: 5, completionTokens: 1 } };
  backend = startFakeOpenAIBackend(
    (request) =>
      (request.body as { stream?: boolean }).stream ? openAIStream(llamaServerChunks(reply)) : openAIJson(llamaServerCompletion(reply)),
    { kind: "llamacpp" },
  );
  proxy = await startProxy({ server: { apiKey: KEY } }, [{ url: backend.url, kind: "llamacpp", mode: "translate" }]);
});

afterAll(async () => {
  await Promise.all([proxy.stop(), backend.stop()]);
});

const post = (path: string, headers: Record<string, string>) =>
  fetch(`${proxy.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(MESSAGE),
  });

describe("with server.apiKey set", () => {
  test.each([
    ["no key at all", {}, "x-api-key header is required"],
    ["a wrong x-api-key", { "x-api-key": "sk-wrong" }, "invalid x-api-key"],
    ["a wrong Bearer token", { authorization: "Bearer sk-wrong" }, "invalid x-api-key"],
    ["the key with something appended", { "x-api-key": `${KEY}x` }, "invalid x-api-key"],
  ])("%s gets Anthropic's 401, and no backend is asked", async (_name, headers, message) => {
    const before = backend.requests.length;
    const response = await post("/v1/messages", headers);
    expect(response.status).toBe(401);
    const body = (await response.json()) as { type: string; error: { type: string; message: string }; request_id?: string };
    expect(body).toMatchObject({ type: "error", error: { type: "authentication_error", message } });
    expect(backend.requests.length).toBe(before);
  });

  test.each([
    ["x-api-key", { "x-api-key": KEY }],
    ["Authorization: Bearer", { authorization: `Bearer ${KEY}` }],
  ])("the key as %s is let through", async (_name, headers) => {
    const response = await post("/v1/messages", headers);
    expect(response.status).toBe(200);
    expect(((await response.json()) as { content: Array<{ text: string }> }).content[0]!.text).toBe("hello");
  });

  test("every route but /health and /docs asks for it", async () => {
    for (const path of ["/v1/models", "/metrics", "/v1/cache/stats"]) expect((await fetch(`${proxy.url}${path}`)).status).toBe(401);
    expect((await post("/v1/messages/count_tokens", {})).status).toBe(401);
    expect((await fetch(`${proxy.url}/health`)).status).toBe(200);
    expect((await fetch(`${proxy.url}/docs`)).status).toBe(200);
    expect((await fetch(`${proxy.url}/v1/models`, { headers: { "x-api-key": KEY } })).status).toBe(200);
  });

  test("the official SDK works with the key and reports an AuthenticationError without it", async () => {
    const good = new Anthropic({ apiKey: KEY, baseURL: proxy.url, maxRetries: 0 });
    const message = await good.messages.create(MESSAGE as Anthropic.MessageCreateParamsNonStreaming);
    expect(message.content[0]).toMatchObject({ type: "text", text: "hello" });
    const bad = new Anthropic({ apiKey: "sk-wrong", baseURL: proxy.url, maxRetries: 0 });
    const refused = await bad.messages.create(MESSAGE as Anthropic.MessageCreateParamsNonStreaming).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(Anthropic.AuthenticationError);
  });

  test("the real Claude Code gets through with ANTHROPIC_API_KEY; with a wrong one it never reaches a model", async () => {
    const passing = await runClaudeCode({ baseUrl: proxy.url, prompt: "say hello", timeoutMs: 45_000 });
    expect({ exitCode: passing.exitCode, result: passing.json?.result, stderr: passing.stderr }).toMatchObject({
      exitCode: 0,
      result: "hello",
    });
    // Claude Code 2.1.332 retries a 401 with growing pauses (6 tries in 20 s) instead of
    // exiting, so the run is cut short: what matters is that no request got past the proxy.
    // Model calls only: the health monitor's probes go on meanwhile.
    const modelCalls = () => backend.requestsTo("/v1/chat/completions").length;
    const before = modelCalls();
    const refused = await runClaudeCode({
      baseUrl: proxy.url,
      prompt: "say hello",
      timeoutMs: 6_000,
      extraEnv: { ANTHROPIC_API_KEY: "sk-wrong" },
    });
    expect(refused.json?.result).not.toBe("hello");
    expect(refused.timedOut || refused.exitCode !== 0).toBe(true);
    expect(modelCalls()).toBe(before);
  }, 100_000);
});

describe("where the key comes from", () => {
  test("apiKeyFile and apiKeyEnv are read at start-up", async () => {
    const dir = await mkdtemp(join(tmpdir(), "anyclaude-key-"));
    try {
      await writeFile(join(dir, "key"), "sk-from-file\n");
      const fromFile = await startProxy({ server: { apiKeyFile: join(dir, "key") } }, [
        { url: backend.url, kind: "llamacpp", mode: "translate" },
      ]);
      const fromEnv = await startProxy(
        { server: { apiKeyEnv: "PROXY_KEY" } },
        [{ url: backend.url, kind: "llamacpp", mode: "translate" }],
        { env: { PROXY_KEY: "sk-from-env" } },
      );
      try {
        expect((await fetch(`${fromFile.url}/v1/models`, { headers: { "x-api-key": "sk-from-file" } })).status).toBe(200);
        expect((await fetch(`${fromEnv.url}/v1/models`, { headers: { "x-api-key": "sk-from-env" } })).status).toBe(200);
        expect((await fetch(`${fromEnv.url}/v1/models`, { headers: { "x-api-key": "sk-from-file" } })).status).toBe(401);
      } finally {
        await Promise.all([fromFile.stop(), fromEnv.stop()]);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test("a variable that is not set stops start-up with a configuration error naming the field", async () => {
    const failure = await startProxy(
      { server: { apiKeyEnv: "NOT_SET_ANYWHERE" } },
      [{ url: backend.url, kind: "llamacpp", mode: "translate" }],
      { env: {} },
    ).then(
      (started) => started.stop().then(() => undefined),
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(ConfigError);
    expect((failure as ConfigError).issues).toEqual([
      { path: "server.apiKeyEnv", message: "environment variable NOT_SET_ANYWHERE (apiKeyEnv) is not set" },
    ]);
  });
});
