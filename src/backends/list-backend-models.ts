/**
 * Which models a backend serves and how large their context windows are, asked in each
 * engine's own dialect: llama-server (`/v1/models` meta.n_ctx, `/props` for one slot's window and
 * total_slots for prefix affinity), vLLM (`max_model_len`), LM Studio (`/api/v0/models`), Ollama (`/api/tags`
 * + `/api/show`), anything else `/v1/models`.
 */
import { BackendProtocolError } from "../errors/proxy-error";
import type { BackendModel } from "./backend";
import type { BackendSettings } from "./backend-settings";
import { readLlamaServerWindow } from "./read-context-window";
import { requestBackendJson } from "./request-backend-json";

const LIST_TIMEOUT_MS = 10_000;

export async function listBackendModels(settings: BackendSettings, signal?: AbortSignal): Promise<BackendModel[]> {
  const discovered = await discoverModels(settings, signal);
  const models = settings.models ? settings.models.map((id) => discovered.find((model) => model.id === id) ?? { id }) : discovered;
  if (settings.contextWindow === undefined) return models;
  return models.map((model) => ({ ...model, contextWindow: settings.contextWindow }));
}

async function discoverModels(settings: BackendSettings, signal?: AbortSignal): Promise<BackendModel[]> {
  switch (settings.kind) {
    case "ollama":
      return listOllamaModels(settings, signal);
    case "lmstudio": {
      const page = await getJson(settings, "/api/v0/models", signal);
      return readData(settings.id, page).map((entry) => ({
        id: String(entry.id),
        contextWindow: asPositive(entry.loaded_context_length) ?? asPositive(entry.max_context_length),
      }));
    }
    case "llamacpp": {
      const [models, props] = await Promise.all([listOpenAIModels(settings, signal), readLlamaProps(settings, signal)]);
      // /props n_ctx is one slot's window (what one request gets), /v1/models meta.n_ctx the whole -c.
      const window = readLlamaServerWindow(props)?.window;
      const slots = asPositive((props as { total_slots?: unknown } | undefined)?.total_slots);
      return models.map((model) => ({
        ...model,
        ...(window !== undefined && { contextWindow: window }),
        ...(slots !== undefined && { slots }),
      }));
    }
    default:
      return listOpenAIModels(settings, signal);
  }
}

/**
 * `/props`: the slot count prefix affinity pins to and one slot's window; a llama-server without
 * /props only loses the pinning, and its window comes from /v1/models.
 */
async function readLlamaProps(settings: BackendSettings, signal?: AbortSignal): Promise<unknown> {
  try {
    return await getJson(settings, "/props", signal);
  } catch {
    return undefined;
  }
}

async function listOpenAIModels(settings: BackendSettings, signal?: AbortSignal): Promise<BackendModel[]> {
  const page = await getJson(settings, "/v1/models", signal);
  return readData(settings.id, page).map((entry) => ({
    id: String(entry.id),
    // llama-server: meta.n_ctx (the slot's window); vLLM: max_model_len.
    contextWindow: asPositive((entry.meta as Record<string, unknown> | undefined)?.n_ctx) ?? asPositive(entry.max_model_len),
  }));
}

async function listOllamaModels(settings: BackendSettings, signal?: AbortSignal): Promise<BackendModel[]> {
  const tags = (await getJson(settings, "/api/tags", signal)) as { models?: Array<{ name?: unknown; model?: unknown }> };
  if (!Array.isArray(tags.models)) throw new BackendProtocolError(settings.id, "/api/tags has no models array");
  return Promise.all(
    tags.models.map(async (entry) => {
      const id = String(entry.model ?? entry.name);
      const shown = (await getJson(settings, "/api/show", signal, { model: id })) as { model_info?: Record<string, unknown> };
      const info = shown.model_info ?? {};
      const key = Object.keys(info).find((name) => name.endsWith(".context_length"));
      return { id, contextWindow: key ? asPositive(info[key]) : undefined };
    }),
  );
}

function getJson(settings: BackendSettings, path: string, signal?: AbortSignal, body?: object): Promise<unknown> {
  const timeouts = { firstByteMs: Math.min(LIST_TIMEOUT_MS, settings.timeouts.firstByteMs), totalMs: LIST_TIMEOUT_MS };
  return requestBackendJson(settings, path, { body, signal, timeouts });
}

function readData(backendId: string, page: unknown): Array<Record<string, unknown>> {
  const data = (page as { data?: unknown } | null)?.data;
  if (!Array.isArray(data)) throw new BackendProtocolError(backendId, "model list has no data array");
  return data.filter((entry): entry is Record<string, unknown> => typeof entry === "object" && entry !== null && "id" in entry);
}

function asPositive(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) && value > 0 ? value : undefined;
}
