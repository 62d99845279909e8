/**
 * The discovery endpoints each engine answers, so kind detection, model listing and token
 * counting can run against a fake. Where each shape comes from:
 * - llama-server: observed from llama-server and read in its source (tools/server, llama.cpp
 *   commit 80fb11a): /health, /props, /v1/models (with `meta`), /tokenize, /apply-template,
 *   /v1/chat/completions/input_tokens.
 * - Ollama: its public API docs (api.md: /api/version, /api/tags, /api/show, /api/ps; openai.md: /v1/models).
 * - LM Studio: its public REST API v0 docs (/api/v0/models).
 * - vLLM: its public OpenAI-compatible server docs (/health, /version, /tokenize, ModelCard
 *   with `max_model_len`).
 * - generic OpenAI and Anthropic: their public API references for `GET /v1/models`.
 */
import type { BackendKind } from "../../src/config/config-choices";
import { applyFakeChatTemplate, countFakeTokens, tokenizeFake } from "./fake-chat-template";

export type FakeEngineKind = BackendKind;

export interface FakeEngineInfo {
  kind: FakeEngineKind;
  model: string;
  /** The runtime window: llama-server n_ctx, vLLM max_model_len, LM Studio max_context_length, Ollama `/api/ps` context_length (and `<arch>.context_length`). */
  contextWindow: number;
  /** LM Studio: newer builds add the loaded window; absent from the v0 docs, so only sent when set. */
  loadedContextLength?: number;
  /** Ollama: whether `/api/ps` lists the model as loaded (with its window); true when unset. */
  ollamaLoaded?: boolean;
  /** llama-server builds older than /v1/chat/completions/input_tokens answer it with 404. */
  legacyLlamaServer?: boolean;
  /** llama-server's parallel slots (`/props` total_slots, `-np`); 1 when unset. */
  totalSlots?: number;
  /** Whether the model's chat template calls tools (llama-server `chat_template_caps`, Ollama's `tools` capability); true when unset. */
  toolCalls?: boolean;
}

/** Fixed, so recorded answers do not change from run to run (2026-01-01T00:00:00Z). */
const CREATED = 1767225600;

/**
 * @example
 * answerEngineProbe(engine, "GET", "/props", undefined) // llama-server props, or undefined for other kinds
 */
export function answerEngineProbe(engine: FakeEngineInfo, method: string, path: string, body: unknown): Response | undefined {
  const route = `${method} ${path}`;
  switch (engine.kind) {
    case "llamacpp":
      return answerLlamaServer(engine, route, body);
    case "ollama":
      return answerOllama(engine, route, body);
    case "lmstudio":
      return answerLmStudio(engine, route);
    case "vllm":
      return answerVllm(engine, route, body);
    case "openai":
      if (route === "GET /v1/models") return modelList([{ id: engine.model, object: "model", created: CREATED, owned_by: "system" }]);
      return undefined;
    case "anthropic":
      if (route !== "GET /v1/models") return undefined;
      return Response.json({
        data: [{ type: "model", id: engine.model, display_name: engine.model, created_at: new Date(CREATED * 1000).toISOString() }],
        has_more: false,
        first_id: engine.model,
        last_id: engine.model,
      });
  }
}

function answerLlamaServer(engine: FakeEngineInfo, route: string, body: unknown): Response | undefined {
  switch (route) {
    case "GET /health":
      return Response.json({ status: "ok" });
    case "GET /props":
      return Response.json({
        default_generation_settings: { params: { n_predict: -1, temperature: 0.8 }, n_ctx: engine.contextWindow },
        total_slots: engine.totalSlots ?? 1,
        model_alias: engine.model,
        model_path: `/models/${engine.model}.gguf`,
        modalities: { vision: false, video: false, audio: false },
        chat_template: "{# fake #}",
        // As llama-server 80fb11a reports them for a Qwen-style template (observed).
        chat_template_caps: {
          supports_object_arguments: engine.toolCalls !== false,
          supports_parallel_tool_calls: engine.toolCalls !== false,
          supports_preserve_reasoning: false,
          supports_reasoning_effort: false,
          supports_string_content: true,
          supports_system_role: true,
          supports_tool_calls: engine.toolCalls !== false,
          supports_tools: engine.toolCalls !== false,
          supports_typed_content: false,
        },
        bos_token: "<s>",
        eos_token: "</s>",
        build_info: "b8000-80fb11ac",
        is_sleeping: false,
      });
    case "GET /models":
    case "GET /v1/models":
      return Response.json({
        models: [{ name: engine.model, model: engine.model, type: "model", capabilities: ["completion"] }],
        object: "list",
        data: [
          {
            id: engine.model,
            aliases: [],
            tags: [],
            object: "model",
            created: CREATED,
            owned_by: "llamacpp",
            meta: {
              vocab_type: 2,
              n_vocab: 151936,
              n_ctx: engine.contextWindow,
              n_ctx_train: 262144,
              n_embd: 2048,
              n_params: 30532122624,
              size: 17284726784,
            },
          },
        ],
      });
    case "POST /tokenize":
      return Response.json({ tokens: tokenizeFake(String((body as { content?: unknown } | undefined)?.content ?? "")) });
    case "POST /apply-template":
      return Response.json({ prompt: applyFakeChatTemplate(body) });
    case "POST /v1/chat/completions/input_tokens":
      if (engine.legacyLlamaServer) return undefined;
      return Response.json({ input_tokens: countFakeTokens(applyFakeChatTemplate(body)), object: "response.input_tokens" });
  }
  return undefined;
}

function answerOllama(engine: FakeEngineInfo, route: string, body: unknown): Response | undefined {
  switch (route) {
    case "GET /":
      return new Response("Ollama is running");
    case "GET /api/version":
      return Response.json({ version: "0.14.0" });
    case "GET /api/tags":
      return Response.json({
        models: [
          {
            name: engine.model,
            model: engine.model,
            modified_at: "2026-01-01T00:00:00Z",
            size: 18556700761,
            digest: "0".repeat(64),
            details: ollamaDetails(),
          },
        ],
      });
    case "POST /api/show": {
      const asked = (body as { model?: unknown; name?: unknown } | undefined) ?? {};
      if ((asked.model ?? asked.name) !== engine.model)
        return Response.json({ error: `model '${String(asked.model ?? asked.name)}' not found` }, { status: 404 });
      return Response.json({
        modelfile: `FROM ${engine.model}`,
        parameters: "temperature 0.7",
        template: "{{ .Prompt }}",
        details: ollamaDetails(),
        model_info: {
          "general.architecture": "qwen3moe",
          "general.parameter_count": 30532122624,
          "qwen3moe.context_length": engine.contextWindow,
        },
        capabilities: engine.toolCalls === false ? ["completion"] : ["completion", "tools"],
        modified_at: "2026-01-01T00:00:00Z",
      });
    }
    case "GET /api/ps":
      // The model as loaded, with the window it runs with (what the OpenAI-compatible endpoint uses).
      if (engine.ollamaLoaded === false) return Response.json({ models: [] });
      return Response.json({
        models: [
          {
            name: engine.model,
            model: engine.model,
            size: 18556700761,
            digest: "0".repeat(64),
            details: ollamaDetails(),
            expires_at: "2026-01-01T00:05:00Z",
            size_vram: 18556700761,
            context_length: engine.contextWindow,
          },
        ],
      });
    case "GET /v1/models":
      return modelList([{ id: engine.model, object: "model", created: CREATED, owned_by: "library" }]);
  }
  return undefined;
}

function answerLmStudio(engine: FakeEngineInfo, route: string): Response | undefined {
  if (route === "GET /api/v0/models") {
    const loaded = engine.loadedContextLength === undefined ? {} : { loaded_context_length: engine.loadedContextLength };
    return modelList([
      {
        id: engine.model,
        object: "model",
        type: "llm",
        publisher: "lmstudio-community",
        arch: "qwen3moe",
        compatibility_type: "gguf",
        quantization: "Q4_K_M",
        state: "loaded",
        max_context_length: engine.contextWindow,
        ...loaded,
      },
    ]);
  }
  if (route === "GET /v1/models") return modelList([{ id: engine.model, object: "model", owned_by: "organization_owner" }]);
  return undefined;
}

function answerVllm(engine: FakeEngineInfo, route: string, body: unknown): Response | undefined {
  switch (route) {
    case "GET /health":
      return new Response(null, { status: 200 });
    case "GET /version":
      return Response.json({ version: "0.11.0" });
    case "GET /v1/models":
      return modelList([
        {
          id: engine.model,
          object: "model",
          created: CREATED,
          owned_by: "vllm",
          root: engine.model,
          parent: null,
          max_model_len: engine.contextWindow,
          permission: [],
        },
      ]);
    case "POST /tokenize": {
      const asked = (body ?? {}) as { prompt?: unknown; messages?: unknown };
      const tokens = tokenizeFake(asked.messages === undefined ? String(asked.prompt ?? "") : applyFakeChatTemplate(asked));
      return Response.json({ count: tokens.length, max_model_len: engine.contextWindow, tokens });
    }
  }
  return undefined;
}

function ollamaDetails() {
  return {
    parent_model: "",
    format: "gguf",
    family: "qwen3moe",
    families: ["qwen3moe"],
    parameter_size: "30.5B",
    quantization_level: "Q4_K_M",
  };
}

function modelList(data: object[]): Response {
  return Response.json({ object: "list", data });
}
