/**
 * Each engine's window as anyclaude lists it, against real loopback servers that answer as each
 * engine does (shapes from llama.cpp's server source, Ollama's API docs, LM Studio's REST API v0
 * docs and vLLM's ModelCard); then through the real server: the window per target in /health and
 * /v1/models (config overrides applied), and read again when the engine restarts with another.
 */
import { afterEach, expect, test } from "bun:test";
import type { BackendSettings } from "../../src/backends/backend-settings";
import { listBackendModels } from "../../src/backends/list-backend-models";
import type { BackendKind } from "../../src/config/config-choices";
import { BackendHttpError } from "../../src/errors/proxy-error";
import { startFakeBackend } from "../support/fake-backend-server";
import { llamaServerContextOverflow, openAIJson } from "../support/fake-openai-backend";
import { llamaServerCompletion } from "../support/fake-openai-chunks";
import { startProxy } from "../support/start-proxy";
import { postMessage } from "./proxy-test-client";

type Routes = Record<string, (body: unknown) => Response>;
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

function serveEngine(routes: Routes): string {
  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    async fetch(request) {
      const path = new URL(request.url).pathname;
      const body = request.method === "POST" ? await request.json() : undefined;
      return routes[`${request.method} ${path}`]?.(body) ?? Response.json({ error: "not found" }, { status: 404 });
    },
  });
  cleanups.push(() => server.stop(true));
  return `http://127.0.0.1:${server.port}`;
}

function settingsFor(kind: BackendKind, baseUrl: string, contextWindow?: number): BackendSettings {
  return {
    id: kind,
    kind,
    mode: "translate",
    baseUrl,
    thinkingStyle: "none",
    timeouts: { firstByteMs: 2_000, idleMs: 2_000, totalMs: 2_000 },
    contextWindow,
  };
}

test("llama-server: one slot's n_ctx from /props (-c 16384 -np 2 gives 8192), else /v1/models meta.n_ctx", async () => {
  let props = true;
  const url = serveEngine({
    "GET /props": () =>
      props
        ? Response.json({ default_generation_settings: { n_ctx: 8_192, params: {} }, total_slots: 2 })
        : Response.json({ error: "not found" }, { status: 404 }),
    "GET /v1/models": () => Response.json({ data: [{ id: "m", meta: { n_ctx: 16_384 } }] }),
  });
  const settings = settingsFor("llamacpp", url);
  expect(await listBackendModels(settings)).toEqual([
    { id: "m", contextWindow: 8_192, contextWindowSource: "llama-server /props n_ctx per slot", slots: 2 },
  ]);
  props = false;
  expect(await listBackendModels(settings)).toEqual([{ id: "m", contextWindow: 16_384, contextWindowSource: "/v1/models meta.n_ctx" }]);
});

test("Ollama: the running context_length first, then num_ctx, then its default below the model's own length", async () => {
  const model = "qwen3:8b";
  let running: unknown[] = [{ name: model, model, context_length: 12_288 }];
  let parameters = "num_ctx 16384\ntemperature 0.6";
  const url = serveEngine({
    "GET /api/tags": () => Response.json({ models: [{ name: model, model }] }),
    "GET /api/ps": () => Response.json({ models: running }),
    "POST /api/show": (body) =>
      (body as { model: string }).model === model
        ? Response.json({ parameters, model_info: { "qwen3.context_length": 40_960 } })
        : Response.json({ error: "not found" }, { status: 404 }),
  });
  const settings = settingsFor("ollama", url);
  const window = async () => {
    const [listed] = await listBackendModels(settings);
    return { window: listed!.contextWindow, source: listed!.contextWindowSource };
  };
  expect(await window()).toEqual({ window: 12_288, source: "ollama /api/ps context_length" });
  running = [];
  expect(await window()).toEqual({ window: 16_384, source: "ollama num_ctx parameter" });
  parameters = "temperature 0.6";
  expect(await window()).toEqual({ window: 4_096, source: "ollama default num_ctx" });
  await expect(listBackendModels({ ...settings, baseUrl: serveEngine({ "GET /api/tags": () => Response.json({}) }) })).rejects.toThrow(
    "no models array",
  );
});

test("LM Studio: the loaded window over the model's maximum", async () => {
  let loaded: object = { loaded_context_length: 8_192 };
  const url = serveEngine({
    "GET /api/v0/models": () =>
      Response.json({ data: [{ id: "qwen3", state: "loaded", max_context_length: 40_960, ...loaded }, { id: "other" }] }),
  });
  const settings = settingsFor("lmstudio", url);
  expect(await listBackendModels(settings)).toEqual([
    { id: "qwen3", contextWindow: 8_192, contextWindowSource: "lmstudio loaded_context_length" },
    { id: "other" },
  ]);
  loaded = {};
  expect((await listBackendModels(settings))[0]).toEqual({
    id: "qwen3",
    contextWindow: 40_960,
    contextWindowSource: "lmstudio max_context_length",
  });
});

test("vLLM: max_model_len; a configured contextWindow wins; OpenAI does not say; a failing engine throws", async () => {
  const url = serveEngine({ "GET /v1/models": () => Response.json({ data: [{ id: "Qwen/Qwen3-8B", max_model_len: 32_768 }] }) });
  expect(await listBackendModels(settingsFor("vllm", url))).toEqual([
    { id: "Qwen/Qwen3-8B", contextWindow: 32_768, contextWindowSource: "vllm max_model_len" },
  ]);
  expect(await listBackendModels(settingsFor("vllm", url, 16_000))).toEqual([
    { id: "Qwen/Qwen3-8B", contextWindow: 16_000, contextWindowSource: "backend contextWindow" },
  ]);
  const plain = serveEngine({ "GET /v1/models": () => Response.json({ data: [{ id: "gpt" }] }) });
  expect(await listBackendModels(settingsFor("openai", plain))).toEqual([{ id: "gpt" }]);
  await expect(listBackendModels(settingsFor("vllm", serveEngine({})))).rejects.toBeInstanceOf(BackendHttpError);
});

test("the real server shows each target's window and its source in /health and /v1/models, config overrides applied", async () => {
  const engines = (["llamacpp", "ollama", "lmstudio", "vllm"] as const).map((kind, index) =>
    startFakeBackend({ kind, model: `model-${kind}`, contextWindow: 4_096 * (index + 1), routes: {} }),
  );
  cleanups.push(() => Promise.all(engines.map((engine) => engine.stop())));
  const proxy = await startProxy(
    { cache: { enabled: false }, context: { windows: { "vllm/model-vllm": 10_000 } } },
    engines.map((engine, index) => ({
      url: engine.url,
      kind: (["llamacpp", "ollama", "lmstudio", "vllm"] as const)[index],
      id: ["llama", "ollama", "lmstudio", "vllm"][index],
    })),
  );
  cleanups.push(() => proxy.stop());

  const health = (await (await fetch(`${proxy.url}/health`)).json()) as {
    backends: Array<{ id: string; models: object[] }>;
  };
  const windows = Object.fromEntries(health.backends.map((backend) => [backend.id, backend.models[0]]));
  expect(windows).toEqual({
    llama: { id: "model-llamacpp", contextWindow: 4_096, contextWindowSource: "llama-server /props n_ctx per slot", slots: 1 },
    ollama: { id: "model-ollama", contextWindow: 8_192, contextWindowSource: "ollama /api/ps context_length" },
    lmstudio: { id: "model-lmstudio", contextWindow: 12_288, contextWindowSource: "lmstudio max_context_length" },
    vllm: { id: "model-vllm", contextWindow: 10_000, contextWindowSource: "context.windows vllm/model-vllm" },
  });
  const models = (await (await fetch(`${proxy.url}/v1/models?limit=100`)).json()) as { data: Array<{ id: string; display_name: string }> };
  expect(models.data.find((model) => model.id === "model-vllm")?.display_name).toBe("model-vllm (vllm, 10000 ctx)");
  expect(models.data.find((model) => model.id === "model-ollama")?.display_name).toBe("model-ollama (ollama, 8192 ctx)");
});

test("an engine restarted with a smaller window: its refusal is Claude Code's 400, and the next request is fitted to the new window", async () => {
  const words = (count: number) => Array.from({ length: count }, (_, index) => `word${index}`).join(" ");
  const conversation = [
    { role: "user", content: "The task." },
    { role: "assistant", content: words(400) },
    { role: "user", content: `More. ${words(400)}` },
    { role: "assistant", content: words(400) },
    { role: "user", content: `Still more. ${words(400)}` },
    { role: "assistant", content: "Noted." },
    { role: "user", content: "And now the question?" },
  ];
  const answer = openAIJson(llamaServerCompletion({ text: "ok", usage: { promptTokens: 100, completionTokens: 1 } }));
  const first = startFakeBackend({ kind: "llamacpp", contextWindow: 16_384, routes: { "/v1/chat/completions": answer } });
  const proxy = await startProxy({ cache: { enabled: false }, health: { enabled: false } }, [{ url: first.url, kind: "llamacpp" }]);
  cleanups.push(() => proxy.stop());
  const sent = await postMessage(proxy, { messages: conversation, max_tokens: 1_000 });
  expect(sent.status).toBe(200);
  expect(sent.headers.get("x-anyclaude-context")).toEndWith("/16384");

  // The same port, now `-c 2048`: it refuses what the proxy still plans for 16384.
  await first.stop();
  const restarted = startFakeBackend({
    kind: "llamacpp",
    port: first.port,
    contextWindow: 2_048,
    routes: {
      "/v1/chat/completions": (request) =>
        request.rawBody.length > 6_000 ? openAIJson(llamaServerContextOverflow(3_000, 2_048), 400) : answer,
    },
  });
  cleanups.push(() => restarted.stop());
  const refused = await postMessage(proxy, { messages: conversation, max_tokens: 1_000 });
  expect(refused.status).toBe(400);
  expect(((await refused.json()) as { error: { message: string } }).error.message).toContain("prompt is too long");

  // The refusal had the list read again (in the background): poll /health until it shows the new window.
  for (let tries = 0; tries < 100; tries++) {
    const health = (await (await fetch(`${proxy.url}/health`)).json()) as {
      backends: Array<{ models?: Array<{ contextWindow?: number }> }>;
    };
    if (health.backends[0]?.models?.[0]?.contextWindow === 2_048) break;
    await Bun.sleep(20);
  }
  const fitted = await postMessage(proxy, { messages: conversation, max_tokens: 1_000 });
  expect(fitted.status, await fitted.clone().text()).toBe(200);
  expect(fitted.headers.get("x-anyclaude-context")).toEndWith("/2048");
});
