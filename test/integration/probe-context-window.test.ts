/**
 * Context-window discovery against real loopback servers that answer as each engine does
 * (shapes from llama.cpp's server source, Ollama's API docs, LM Studio's REST API v0 docs and
 * vLLM's ModelCard): the window one request gets, and where it came from.
 */
import { afterEach, expect, test } from "bun:test";
import type { BackendSettings } from "../../src/backends/backend-settings";
import { probeContextWindow } from "../../src/backends/probe-context-window";
import type { BackendKind } from "../../src/config/config-choices";
import { BackendHttpError } from "../../src/errors/proxy-error";

type Routes = Record<string, (body: unknown) => Response>;
const servers: Array<ReturnType<typeof Bun.serve>> = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.stop(true);
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
  servers.push(server);
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

test("llama-server: one slot's n_ctx from /props (-c 16384 -np 2 gives 8192)", async () => {
  const url = serveEngine({
    "GET /props": () => Response.json({ default_generation_settings: { n_ctx: 8_192, params: {} }, total_slots: 2 }),
  });
  expect(await probeContextWindow(settingsFor("llamacpp", url), "m")).toEqual({
    window: 8_192,
    source: "llama-server /props n_ctx per slot",
  });
});

test("Ollama: the running context_length first, then num_ctx, then its default below the model's own length", async () => {
  const model = "qwen3:8b";
  let running: unknown[] = [{ name: model, model, context_length: 12_288 }];
  let parameters = "num_ctx 16384\ntemperature 0.6";
  const url = serveEngine({
    "GET /api/ps": () => Response.json({ models: running }),
    "POST /api/show": (body) =>
      (body as { model: string }).model === model
        ? Response.json({ parameters, model_info: { "qwen3.context_length": 40_960 } })
        : Response.json({ error: "not found" }, { status: 404 }),
  });
  const settings = settingsFor("ollama", url);
  expect(await probeContextWindow(settings, model)).toEqual({ window: 12_288, source: "ollama /api/ps context_length" });
  running = [];
  expect(await probeContextWindow(settings, model)).toEqual({ window: 16_384, source: "ollama num_ctx parameter" });
  parameters = "temperature 0.6";
  expect(await probeContextWindow(settings, model)).toEqual({ window: 4_096, source: "ollama default num_ctx" });
  await expect(probeContextWindow(settings, "absent")).rejects.toBeInstanceOf(BackendHttpError);
});

test("LM Studio: the loaded window over the model's maximum", async () => {
  let loaded: object = { loaded_context_length: 8_192 };
  const url = serveEngine({
    "GET /api/v0/models": () => Response.json({ data: [{ id: "qwen3", state: "loaded", max_context_length: 40_960, ...loaded }] }),
  });
  const settings = settingsFor("lmstudio", url);
  expect(await probeContextWindow(settings, "qwen3")).toEqual({ window: 8_192, source: "lmstudio loaded_context_length" });
  loaded = {};
  expect(await probeContextWindow(settings, "qwen3")).toEqual({ window: 40_960, source: "lmstudio max_context_length" });
  expect(await probeContextWindow(settings, "other")).toBeUndefined();
});

test("vLLM: max_model_len; a configured contextWindow wins without asking; OpenAI does not say", async () => {
  let asked = 0;
  const url = serveEngine({
    "GET /v1/models": () => {
      asked++;
      return Response.json({ data: [{ id: "Qwen/Qwen3-8B", max_model_len: 32_768 }] });
    },
  });
  expect(await probeContextWindow(settingsFor("vllm", url), "Qwen/Qwen3-8B")).toEqual({ window: 32_768, source: "vllm max_model_len" });
  expect(await probeContextWindow(settingsFor("vllm", url, 16_000), "Qwen/Qwen3-8B")).toEqual({
    window: 16_000,
    source: "config contextWindow",
  });
  expect(asked).toBe(1);
  expect(await probeContextWindow(settingsFor("openai", url), "gpt")).toBeUndefined();
});
