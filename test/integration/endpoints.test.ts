/**
 * The endpoints around the Messages API: the model list, health, the offline API docs and the
 * Prometheus metrics, each asked of the real server in front of fake engines.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { Config } from "../../src/config/config-schema";
import type { ModelsPage } from "../../src/protocol/anthropic/models";
import { convertAnthropicRequestToOpenAIChat } from "../../src/translate/convert-anthropic-request-to-openai-chat";
import { normalizeAnthropicRequest } from "../../src/translate/normalize-anthropic-request";
import { readClaudeCodeRequests } from "../support/claude-code-fixtures";
import { type FakeOpenAIBackend, openAIJson, openAIStream, startFakeOpenAIBackend } from "../support/fake-openai-backend";
import { llamaServerChunks, llamaServerCompletion } from "../support/fake-openai-chunks";
import { findClosedPort } from "../support/find-closed-port";
import { readAnthropicEvents } from "../support/read-anthropic-events";
import { type StartedProxy, startProxy } from "../support/start-proxy";

const LLAMA_MODEL = "qwen3-coder-30b-a3b";
const OLLAMA_MODEL = "gpt-oss:20b";
const CLAUDE_NAMES = ["claude-opus-5-5", "claude-sonnet-5-5", "claude-haiku-5-5"];

let llama: FakeOpenAIBackend;
let ollama: FakeOpenAIBackend;
let proxy: StartedProxy;

beforeAll(async () => {
  const reply = { text: "Hello.", usage: { promptTokens: 50, completionTokens: 2 } };
  const script = (request: { body: unknown }) =>
    (request.body as { stream?: boolean }).stream ? openAIStream(llamaServerChunks(reply)) : openAIJson(llamaServerCompletion(reply));
  llama = startFakeOpenAIBackend(script, { kind: "llamacpp", model: LLAMA_MODEL });
  ollama = startFakeOpenAIBackend(script, { kind: "ollama", model: OLLAMA_MODEL });
  proxy = await startProxy({ models: { aliases: { "team-default": `ollama/${OLLAMA_MODEL}` } } }, [
    { id: "llama", url: llama.url, kind: "llamacpp", mode: "translate" },
    { id: "ollama", url: ollama.url, kind: "ollama", mode: "translate" },
  ]);
});

afterAll(async () => {
  await Promise.all([proxy.stop(), llama.stop(), ollama.stop()]);
});

const getJson = async <T>(path: string, from = proxy): Promise<{ status: number; body: T }> => {
  const response = await fetch(`${from.url}${path}`);
  return { status: response.status, body: (await response.json()) as T };
};

describe("GET /v1/models", () => {
  test("lists the local models, then the Claude names and aliases with the model each maps to", async () => {
    const { status, body } = await getJson<ModelsPage>("/v1/models");
    expect(status).toBe(200);
    expect(body.data.map((model) => model.id)).toEqual([LLAMA_MODEL, OLLAMA_MODEL, ...CLAUDE_NAMES, "team-default"]);
    for (const model of body.data) expect(model).toMatchObject({ type: "model", created_at: expect.any(String) });
    const shown = Object.fromEntries(body.data.map((model) => [model.id, model.display_name]));
    expect(shown[LLAMA_MODEL]).toContain("32768");
    // With no model map, every Claude name lands on the first backend's first model.
    for (const name of CLAUDE_NAMES) expect(shown[name]).toEndWith(`llama/${LLAMA_MODEL}`);
    expect(shown["team-default"]).toEndWith(`ollama/${OLLAMA_MODEL}`);
    expect(body).toMatchObject({ has_more: false, first_id: LLAMA_MODEL, last_id: "team-default" });
  });

  test("limit and after_id page through the same list", async () => {
    const all = (await getJson<ModelsPage>("/v1/models")).body.data.map((model) => model.id);
    const first = (await getJson<ModelsPage>("/v1/models?limit=2")).body;
    expect(first.data.map((model) => model.id)).toEqual(all.slice(0, 2));
    expect(first).toMatchObject({ has_more: true, first_id: all[0], last_id: all[1] });
    const second = (await getJson<ModelsPage>(`/v1/models?limit=2&after_id=${encodeURIComponent(first.last_id!)}`)).body;
    expect(second.data.map((model) => model.id)).toEqual(all.slice(2, 4));
    const rest = (await getJson<ModelsPage>(`/v1/models?after_id=${encodeURIComponent(all.at(-2)!)}`)).body;
    expect(rest.data.map((model) => model.id)).toEqual(all.slice(-1));
    expect(rest.has_more).toBe(false);
  });

  test("GET /v1/models/:id answers one model, or 404 in Anthropic's shape", async () => {
    const found = await getJson<{ id: string; type: string }>("/v1/models/claude-opus-5-5");
    expect(found.status).toBe(200);
    expect(found.body).toMatchObject({ type: "model", id: "claude-opus-5-5" });
    const local = await getJson<{ id: string }>(`/v1/models/${encodeURIComponent(OLLAMA_MODEL)}`);
    expect(local.body.id).toBe(OLLAMA_MODEL);
    const missing = await getJson<{ type: string; error: { type: string; message: string } }>("/v1/models/no-such-model");
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({
      type: "error",
      error: { type: "not_found_error", message: expect.stringContaining("no-such-model") },
    });
  });
});

describe("GET /health", () => {
  test("says ok when every backend answers", async () => {
    const { status, body } = await getJson<{ status: string; backends: Array<{ id: string; state: string }> }>("/health");
    expect(status).toBe(200);
    expect(body.status).toBe("ok");
    expect(body.backends.map(({ id, state }) => ({ id, state }))).toEqual([
      { id: "llama", state: "up" },
      { id: "ollama", state: "up" },
    ]);
  });

  test("says degraded, with the reason, when a second backend is down", async () => {
    const closed = await findClosedPort();
    const partial = await startProxy({}, [
      { id: "llama", url: llama.url, kind: "llamacpp", mode: "translate" },
      { id: "gone", url: `http://127.0.0.1:${closed}`, kind: "vllm", mode: "translate" },
    ]);
    try {
      const { status, body } = await getJson<{ status: string; backends: Array<{ id: string; state: string; lastError?: string }> }>(
        "/health",
        partial,
      );
      expect(status).toBe(200);
      expect(body.status).toBe("degraded");
      const [up, down] = body.backends;
      expect(up).toMatchObject({ id: "llama", state: "up" });
      expect(up).not.toHaveProperty("lastError");
      expect(down).toMatchObject({ id: "gone", state: "down", lastError: expect.stringContaining("gone") });
    } finally {
      await partial.stop();
    }
  });
});

describe("GET /docs", () => {
  test("serves Swagger UI whose script and stylesheet are anyclaude's own, not a CDN's", async () => {
    const response = await fetch(`${proxy.url}/docs`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toStartWith("text/html");
    const page = await response.text();
    expect(page).not.toMatch(/https?:\/\//);
    const scripts = [...page.matchAll(/<script[^>]*\bsrc="([^"]+)"/g)].map((match) => match[1]!);
    const styles = [...page.matchAll(/<link[^>]*rel="stylesheet"[^>]*href="([^"]+)"/g)].map((match) => match[1]!);
    expect(scripts.length).toBeGreaterThan(0);
    expect(styles.length).toBeGreaterThan(0);
    for (const [urls, type] of [
      [scripts, "javascript"],
      [styles, "text/css"],
    ] as const) {
      for (const url of urls) {
        expect(url).toStartWith("/docs/assets/");
        const asset = await fetch(`${proxy.url}${url}`);
        expect(asset.status).toBe(200);
        expect(asset.headers.get("content-type")).toContain(type);
        expect((await asset.arrayBuffer()).byteLength).toBeGreaterThan(50_000);
      }
    }
  });

  test("/docs/json is an OpenAPI document listing the Messages endpoints", async () => {
    const { status, body } = await getJson<{ openapi: string; info: { title: string }; paths: Record<string, Record<string, unknown>> }>(
      "/docs/json",
    );
    expect(status).toBe(200);
    expect(body.openapi).toMatch(/^3\.\d+\.\d+$/);
    expect(body.info.title).toBe("anyclaude");
    expect(body.paths["/v1/messages"]).toHaveProperty("post");
    expect(body.paths["/v1/messages/count_tokens"]).toHaveProperty("post");
    // What each answers, the error body included, as Claude Code and the SDK read them.
    const responses = (path: string) =>
      (body.paths[path]!.post as { responses: Record<string, { content: Record<string, { schema: unknown }> }> }).responses;
    const messages = responses("/v1/messages");
    expect(Object.keys(messages["200"]!.content).sort()).toEqual(["application/json", "text/event-stream"]);
    expect(messages["200"]!.content["application/json"]!.schema).toMatchObject({ properties: { type: { const: "message" } } });
    for (const status of ["400", "401", "413", "429", "529"]) {
      expect(messages[status]!.content["application/json"]!.schema).toMatchObject({ properties: { type: { const: "error" } } });
    }
    expect(responses("/v1/messages/count_tokens")["200"]!.content["application/json"]!.schema).toMatchObject({
      properties: { input_tokens: { type: "integer" } },
    });
    expect(Object.keys(body.paths).some((path) => path.startsWith("/docs"))).toBe(false);
  });
});

describe("GET /metrics", () => {
  test("counts a Claude Code request and its translation warnings by code", async () => {
    // A window that holds Claude Code's max_tokens: the context step passes the request without a warning of its own.
    const metered = await startProxy({ context: { windows: { [LLAMA_MODEL]: 262_144 } } }, [
      { id: "llama", url: llama.url, kind: "llamacpp", mode: "translate" },
    ]);
    try {
      const recorded = readClaudeCodeRequests().find((request) => request.name.includes("say-hi"))!;
      const response = await fetch(`${metered.url}${recorded.url}`, {
        method: "POST",
        headers: recorded.headers,
        body: JSON.stringify(recorded.body),
      });
      expect(response.status).toBe(200);
      await readAnthropicEvents(response);

      const text = await (await fetch(`${metered.url}/metrics`)).text();
      expect(readCounter(text, "anyclaude_requests_total", 'endpoint="messages",status="200",backend="llama",stream="true"')).toBe(1);
      const expected = countWarningCodes(recorded.body, metered.config);
      expect(Object.keys(expected).length).toBeGreaterThan(0);
      // The fake reports 50 prompt tokens for Claude Code's whole prompt: what an engine that cut it would say.
      expected["prompt-truncated"] = 1;
      const counted = Object.fromEntries(
        Object.keys(expected).map((code) => [code, readCounter(text, "anyclaude_translation_warnings_total", `code="${code}"`)]),
      );
      expect(counted).toEqual(expected);
      expect(text.match(/^anyclaude_translation_warnings_total\{/gm)?.length).toBe(Object.keys(expected).length);
      expect(readCounter(text, "anyclaude_context_actions_total", 'backend="llama",action="pass"')).toBe(1);
      expect(text).toMatch(/^anyclaude_context_utilization_ratio_count\{backend="llama"\} 1$/m);
    } finally {
      await metered.stop();
    }
  });
});

function readCounter(text: string, name: string, labels: string): number | undefined {
  const line = text.split("\n").find((candidate) => candidate.startsWith(`${name}{${labels}} `));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(" ") + 1));
}

/** The warnings the pure translation gives for this request, by code: what the server must have counted. */
function countWarningCodes(body: Parameters<typeof normalizeAnthropicRequest>[0], config: Config): Record<string, number> {
  const normalized = normalizeAnthropicRequest(body, config.claudeCode);
  const converted = convertAnthropicRequestToOpenAIChat(
    { ...normalized.value, model: LLAMA_MODEL },
    { thinkingStyle: "chat_template_kwargs", stream: true },
  );
  const counts: Record<string, number> = {};
  for (const { code } of [...normalized.warnings, ...converted.warnings]) counts[code] = (counts[code] ?? 0) + 1;
  return counts;
}
