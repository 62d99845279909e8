/**
 * Converts an engine's token counts to Anthropic usage. The two count prompt tokens
 * differently: OpenAI's `prompt_tokens` includes tokens served from the prompt cache, while
 * Anthropic's `input_tokens` excludes them (input_tokens + cache_read_input_tokens = prompt).
 * Claude Code adds the three up to track how full the context window is.
 */
import type { Static } from "@sinclair/typebox";
import type { Usage } from "../protocol/anthropic/messages";
import type { ChatUsage, LlamaTimingsSchema } from "../protocol/openai/chat-response-schema";

export type LlamaTimings = Static<typeof LlamaTimingsSchema>;

export interface OpenAIChatUsageSource {
  usage?: ChatUsage | null;
  /** llama-server's `timings`: `cache_n` prompt tokens reused, `prompt_n` evaluated, `predicted_n` generated. */
  timings?: LlamaTimings;
}

/**
 * @example
 * convertOpenAIChatUsage({ usage: { prompt_tokens: 100, completion_tokens: 7 }, timings: { cache_n: 80 } });
 * // { input_tokens: 20, output_tokens: 7, cache_creation_input_tokens: 0, cache_read_input_tokens: 80 }
 */
export function convertOpenAIChatUsage(source: OpenAIChatUsageSource, fallbackInputTokens = 0): Usage {
  const { usage, timings } = source;
  // OpenAI, vLLM and newer llama-server builds report cached tokens here; older llama-server only in timings.
  const cached = usage?.prompt_tokens_details?.cached_tokens ?? timings?.cache_n ?? 0;
  const prompt = usage?.prompt_tokens ?? promptFromTimings(timings);
  const input = prompt === undefined ? fallbackInputTokens : Math.max(0, prompt - cached);
  return {
    input_tokens: input,
    output_tokens: usage?.completion_tokens ?? timings?.predicted_n ?? 0,
    // Local engines fill their cache implicitly; nothing is ever billed as a cache write.
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: cached,
  };
}

function promptFromTimings(timings: LlamaTimings | undefined): number | undefined {
  if (timings?.prompt_n === undefined) return undefined;
  return timings.prompt_n + (timings.cache_n ?? 0);
}
