/**
 * Which models a backend serves and the window each runs with, asked in each engine's own
 * dialect and read by read-context-window.ts: llama-server (`/v1/models`, `/props` for one slot's
 * window and total_slots for prefix affinity), vLLM (`max_model_len`), LM Studio (`/api/v0/models`),
 * Ollama (`/api/tags`, `/api/ps` for what a loaded model runs with, `/api/show`), anything else `/v1/models`.
 */
import { BackendProtocolError } from "../errors/proxy-error";
import type { BackendModel } from "./backend";
import type { BackendSettings } from "./backend-settings";
import {
  type ContextWindowReading,
  readLlamaServerWindow,
  readLmStudioWindow,
  readOllamaWindow,
  readVllmWindow,
} from "./read-context-window";
import { requestBackendJson } from "./request-backend-json";

const LIST_TIMEOUT_MS = 10_000;

/**
 * The backend's models (its `models` setting picks and orders them), each with its window and
 * where that came from; a configured `contextWindow` wins over what the engine says.
 *
 * @example
 * await listBackendModels(settings); // [{ id: "qwen3", contextWindow: 16384, contextWindowSource: "llama-server /props n_ctx per slot", slots: 1 }]
 */
export async function listBackendModels(settings: BackendSettings, signal?: AbortSignal): Promise<BackendModel[]> {
  const discovered = await discoverModels(settings, signal);
  const models = settings.models ? settings.models.map((id) => discovered.find((model) => model.id === id) ?? { id }) : discovered;
  if (settings.contextWindow === undefined) return models;
  return models.map((model) => ({ ...model, contextWindow: settings.contextWindow, contextWindowSource: "backend contextWindow" }));
}

async function discoverModels(settings: BackendSettings, signal?: AbortSignal): Promise<BackendModel[]> {
  switch (settings.kind) {
    case "ollama":
      return listOllamaModels(settings, signal);
    case "lmstudio": {
      const page = await getJson(settings, "/api/v0/models", signal);
      return readData(settings.id, page).map((entry) => withWindow(String(entry.id), readLmStudioWindow(page, String(entry.id))));
    }
    case "llamacpp": {
      const [page, props] = await Promise.all([getJson(settings, "/v1/models", signal), readLlamaProps(settings, signal)]);
      // /props n_ctx is one slot's window (what one request gets), /v1/models meta.n_ctx the whole -c.
      const window = readLlamaServerWindow(props);
      const slots = asPositive((props as { total_slots?: unknown } | undefined)?.total_slots);
      return readData(settings.id, page).map((entry) => ({
        ...withWindow(String(entry.id), window ?? readModelCardWindow(page, entry)),
        ...(slots !== undefined && { slots }),
      }));
    }
    default: {
      // vLLM, and any OpenAI-compatible server that is one of them underneath.
      const page = await getJson(settings, "/v1/models", signal);
      return readData(settings.id, page).map((entry) => withWindow(String(entry.id), readModelCardWindow(page, entry)));
    }
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

/** A `/v1/models` entry's own window: vLLM's `max_model_len`, else llama-server's `meta.n_ctx`. */
function readModelCardWindow(page: unknown, entry: Record<string, unknown>): ContextWindowReading | undefined {
  const vllm = readVllmWindow(page, String(entry.id));
  if (vllm !== undefined) return vllm;
  const window = asPositive((entry.meta as Record<string, unknown> | undefined)?.n_ctx);
  return window === undefined ? undefined : { window, source: "/v1/models meta.n_ctx" };
}

/** Ollama: `/api/ps` once for the whole list (what loaded models run with), `/api/show` per model. */
async function listOllamaModels(settings: BackendSettings, signal?: AbortSignal): Promise<BackendModel[]> {
  const [tags, running] = await Promise.all([
    getJson(settings, "/api/tags", signal) as Promise<{ models?: Array<{ name?: unknown; model?: unknown }> }>,
    // An Ollama older than /api/ps context_length still lists; its window comes from /api/show.
    getJson(settings, "/api/ps", signal).catch(() => undefined),
  ]);
  if (!Array.isArray(tags.models)) throw new BackendProtocolError(settings.id, "/api/tags has no models array");
  return Promise.all(
    tags.models.map(async (entry) => {
      const id = String(entry.model ?? entry.name);
      const shown = await getJson(settings, "/api/show", signal, { model: id });
      return withWindow(id, readOllamaWindow(shown, running, id));
    }),
  );
}

function withWindow(id: string, reading: ContextWindowReading | undefined): BackendModel {
  return reading === undefined ? { id } : { id, contextWindow: reading.window, contextWindowSource: reading.source };
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
