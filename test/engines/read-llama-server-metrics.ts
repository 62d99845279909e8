/**
 * How much prompt work llama-server did, read from its own Prometheus counters (`--metrics`).
 * The counters are the engine's accounting, independent of anything anyclaude reports, and
 * they work the same in translate and native mode: `prompt_tokens_total` grows by the tokens a
 * request evaluated, `prompt_tokens_cached_total` by the tokens it reused from the KV cache,
 * `prompt_seconds_total` by the time prompt evaluation took.
 */

interface LlamaServerCounters {
  promptTokens: number;
  cachedTokens: number;
  promptSeconds: number;
}

/** One request's prompt work: the counters' difference around it. */
export interface PromptWork {
  /** Tokens evaluated (not found in the KV cache). */
  evaluated: number;
  /** Tokens reused from the KV cache. */
  cached: number;
  /** evaluated + cached: the whole prompt. */
  prompt: number;
  /** Share of the prompt that was evaluated, 0..1. */
  evaluatedShare: number;
  /** Prompt evaluation time as llama-server measured it. */
  promptSeconds: number;
}

/**
 * @example
 * const { promptTokens } = await readLlamaServerCounters(server.url);
 */
async function readLlamaServerCounters(llamaServerUrl: string): Promise<LlamaServerCounters> {
  const response = await fetch(`${llamaServerUrl}/metrics`);
  if (!response.ok) throw new Error(`llama-server /metrics answered ${response.status}; start it with --metrics`);
  const text = await response.text();
  return {
    promptTokens: readCounter(text, "prompt_tokens_total"),
    cachedTokens: readCounter(text, "prompt_tokens_cached_total"),
    promptSeconds: readCounter(text, "prompt_seconds_total"),
  };
}

/**
 * Runs `request` and returns its result with the prompt work llama-server counted meanwhile.
 * Only meaningful while nothing else talks to that llama-server.
 *
 * @example
 * const { result, work } = await measurePromptWork(llama.url, () => fetch(`${proxy.url}/v1/messages`, init));
 * work.evaluatedShare; // 0.0001 on a warm cache
 */
export async function measurePromptWork<T>(llamaServerUrl: string, request: () => Promise<T>): Promise<{ result: T; work: PromptWork }> {
  const before = await readLlamaServerCounters(llamaServerUrl);
  const result = await request();
  const after = await readLlamaServerCounters(llamaServerUrl);
  const evaluated = after.promptTokens - before.promptTokens;
  const cached = after.cachedTokens - before.cachedTokens;
  const prompt = evaluated + cached;
  return {
    result,
    work: {
      evaluated,
      cached,
      prompt,
      evaluatedShare: prompt === 0 ? 0 : evaluated / prompt,
      promptSeconds: after.promptSeconds - before.promptSeconds,
    },
  };
}

function readCounter(metrics: string, name: string): number {
  const match = new RegExp(`^llamacpp:${name} (\\S+)$`, "m").exec(metrics);
  if (!match) throw new Error(`llama-server /metrics has no llamacpp:${name}`);
  return Number(match[1]);
}
