/**
 * The context window an engine runs a model with, read from its own answers. Pure: each
 * function takes the parsed JSON of one endpoint and says the window and where it came from, or
 * nothing when the answer does not say. listBackendModels asks the endpoints.
 */

export interface ContextWindowReading {
  /** Tokens the engine accepts for prompt and answer together, for one request. */
  window: number;
  /** Where it came from, for `doctor` and the logs. */
  source: string;
}

/** The source of a window that is only Ollama's default: doctor warns about it. */
export const OLLAMA_DEFAULT_SOURCE = "ollama default num_ctx";

/** Ollama's window when neither the model's parameters nor the server's running state say otherwise. */
const OLLAMA_DEFAULT_NUM_CTX = 4_096;

/**
 * llama-server `GET /props`: `default_generation_settings.n_ctx` is one slot's window (the `-c`
 * given, divided among `-np` slots), which is what one request gets.
 *
 * @example
 * readLlamaServerWindow({ default_generation_settings: { n_ctx: 8192 }, total_slots: 2 });
 * // => { window: 8192, source: "llama-server /props n_ctx per slot" }
 */
export function readLlamaServerWindow(props: unknown): ContextWindowReading | undefined {
  const settings = field(props, "default_generation_settings");
  const window = asPositiveInteger(field(settings, "n_ctx")) ?? asPositiveInteger(field(props, "n_ctx"));
  return window === undefined ? undefined : { window, source: "llama-server /props n_ctx per slot" };
}

/**
 * Ollama: the loaded model's `context_length` in `GET /api/ps` (what it runs with now), else the
 * `num_ctx` in `POST /api/show` parameters, else Ollama's default, never above the model's own
 * `<arch>.context_length`. Its OpenAI-compatible endpoint ignores a request's num_ctx.
 *
 * @example
 * readOllamaWindow({ parameters: "num_ctx 16384\ntemperature 0.7", model_info: { "qwen3.context_length": 40960 } }, undefined, "qwen3:8b");
 * // => { window: 16384, source: "ollama num_ctx parameter" }
 */
export function readOllamaWindow(show: unknown, running: unknown, model: string): ContextWindowReading | undefined {
  const loaded = asArray(field(running, "models")).find((entry) => field(entry, "model") === model || field(entry, "name") === model);
  const loadedWindow = asPositiveInteger(field(loaded, "context_length"));
  if (loadedWindow !== undefined) return { window: loadedWindow, source: "ollama /api/ps context_length" };
  const info = field(show, "model_info");
  const trainedKey = info === undefined ? undefined : Object.keys(info as object).find((key) => key.endsWith(".context_length"));
  const trained = trainedKey === undefined ? undefined : asPositiveInteger(field(info, trainedKey));
  const parameters = field(show, "parameters");
  const numCtx = typeof parameters === "string" ? asPositiveInteger(Number(/^\s*num_ctx\s+(\d+)\s*$/m.exec(parameters)?.[1])) : undefined;
  if (numCtx !== undefined) return { window: numCtx, source: "ollama num_ctx parameter" };
  if (show === undefined) return undefined;
  return { window: Math.min(OLLAMA_DEFAULT_NUM_CTX, trained ?? OLLAMA_DEFAULT_NUM_CTX), source: OLLAMA_DEFAULT_SOURCE };
}

/**
 * LM Studio `GET /api/v0/models`: the loaded window, else the model's maximum.
 *
 * @example
 * readLmStudioWindow({ data: [{ id: "qwen3", loaded_context_length: 8192, max_context_length: 40960 }] }, "qwen3");
 * // => { window: 8192, source: "lmstudio loaded_context_length" }
 */
export function readLmStudioWindow(models: unknown, model: string): ContextWindowReading | undefined {
  const entry = findModel(models, model);
  const loaded = asPositiveInteger(field(entry, "loaded_context_length"));
  if (loaded !== undefined) return { window: loaded, source: "lmstudio loaded_context_length" };
  const maximum = asPositiveInteger(field(entry, "max_context_length"));
  return maximum === undefined ? undefined : { window: maximum, source: "lmstudio max_context_length" };
}

/**
 * vLLM `GET /v1/models`: `max_model_len` of the served model.
 *
 * @example
 * readVllmWindow({ data: [{ id: "Qwen/Qwen3-8B", max_model_len: 32768 }] }, "Qwen/Qwen3-8B");
 * // => { window: 32768, source: "vllm max_model_len" }
 */
export function readVllmWindow(models: unknown, model: string): ContextWindowReading | undefined {
  const window = asPositiveInteger(field(findModel(models, model), "max_model_len"));
  return window === undefined ? undefined : { window, source: "vllm max_model_len" };
}

function findModel(page: unknown, model: string): unknown {
  return asArray(field(page, "data")).find((entry) => field(entry, "id") === model);
}

function field(value: unknown, key: string): unknown {
  return typeof value === "object" && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function asPositiveInteger(value: unknown): number | undefined {
  return typeof value === "number" && Number.isInteger(value) && value > 0 ? value : undefined;
}
